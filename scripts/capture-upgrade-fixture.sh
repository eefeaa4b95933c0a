#!/usr/bin/env bash
# Writes the fixture of RollingUpgradeIT: what a previous release of Tributary left in Kafka after it
# created models, trained them and was stopped while events were still arriving. It runs that release
# (its broker, one `run` instance, its `models` and `produce` commands) on 127.0.0.1, then captures
# every topic, topic config and consumer group offset with dev.tributary.it.TopicSnapshot.
#
#   git worktree add /tmp/prev-release RELEASE_COMMIT
#   (cd /tmp/prev-release && mvn -B package -DskipTests -pl cli -am)
#   mvn -B package -DskipTests -pl integration-tests -am     # this checkout: the CLI jar and test classes
#   scripts/capture-upgrade-fixture.sh /tmp/prev-release [OUT]
#
# OUT defaults to integration-tests/src/test/resources/upgrade/previous-release.snapshot. The
# instance is killed (SIGKILL) while events are arriving, so that the train function has labelled
# examples left to read on its repartition topic, in the form that release wrote them; when a run
# happens to leave none, the script says so and fails: run it again. The capture waits for the
# killed instance's open transactions to be aborted, and keeps only committed records.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
release="$(cd "${1:?usage: $0 RELEASE_DIR [OUT]}" && pwd)"
out="${2:-$repo/integration-tests/src/test/resources/upgrade/previous-release.snapshot}"
work="$(mktemp -d "${TMPDIR:-/tmp}/upgrade-fixture.XXXXXX")"
mkdir -p "$work/logs"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT

fail() { printf 'capture-upgrade-fixture: %s\n' "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
http="$(free_port)"
bootstrap="127.0.0.1:$port"
old() {
  java -Xmx512m -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.tributary -jar "$release/cli/target/tributary.jar" \
    "$@" --bootstrap-servers "$bootstrap"
}
await() { # SECONDS COMMAND...
  local seconds="$1"; shift
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  fail "timed out: $*"
}

java -Xmx512m -jar "$release/cli/target/tributary.jar" broker --port "$port" --data-dir "$work/broker" \
  >"$work/logs/broker.log" 2>&1 &
pids+=("$!")
await 120 old models list
java -Xmx512m -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.tributary -jar "$release/cli/target/tributary.jar" \
  run --bootstrap-servers "$bootstrap" --state-dir "$work/state" --http-port "$http" --partitions 2 \
  >"$work/logs/run.log" 2>&1 &
run_pid="$!"
pids+=("$run_pid")
await 120 curl -sf "http://127.0.0.1:$http/ready"

old models create diamonds --algorithm linear --features carat,cut,color,clarity,depth,table,x,y,z \
  --publish-every 500
old models create clicks --algorithm logistic --features x1,x2 --categorical shop --promotion auto \
  --publish-every 400 --promotion-window 200
# 3000 labelled click events, the same every time (fixed seed).
awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) { x1 = rand() * 4 - 2; x2 = rand() * 4 - 2;
  printf "{\"id\":\"c%d\",\"model\":\"clicks\",\"features\":{\"x1\":%.4f,\"x2\":%.4f},\"categories\":{\"shop\":\"s%d\"},\"label\":%d}\n",
  i, x1, x2, i % 5, (x1 + 0.5 * x2 + (i % 5 == 0 ? 1 : 0) > 0) } }' >"$work/clicks.json"

old produce --model diamonds --csv "$release/examples/data/diamonds.csv" --label price
old produce --json "$work/clicks.json"
seen() { old models versions "$1" | grep -q "$2"; }
await 120 seen diamonds ' 2,000 '
await 120 seen clicks ' 3,000 '
old models alias diamonds stable 1
old models alias diamonds champion 2

# The instance dies while events are still coming, once it has learned from some of them: by then
# some are scored but not yet trained, others not read.
learned() {
  curl -sf "http://127.0.0.1:$http/metrics" \
    | awk '/^tributary_examples_learned_total/ { n += $NF } END { printf "%d", n }'
}
before="$(learned)"
old produce --model diamonds --csv "$release/examples/data/diamonds.csv" --label price --rate 500 \
  >"$work/logs/produce.log" 2>&1 &
producer="$!"
for _ in $(seq 1 300); do
  (( $(learned) >= before + 300 )) && break
  sleep 0.1
done
kill -KILL "$run_pid"
wait "$run_pid" || true
wait "$producer"

# What the previous release prints for every version: the test reads each one back the same.
mkdir -p "$(dirname "$out")"
shown="$(dirname "$out")/previous-release-models.json"
: >"$shown"
for name in clicks diamonds; do
  old models versions "$name"
  for v in $(old models versions "$name" | awk '$1 ~ /^[0-9]+$/ { print $1 }' | sort -n); do
    old models show "$name:$v" >>"$shown"
  done
done
java -cp "$repo/cli/target/tributary.jar:$repo/integration-tests/target/test-classes" \
  dev.tributary.it.TopicSnapshot capture "$bootstrap" "$out" | tee "$work/capture.txt"
grep -q 'group tributary-functions: [1-9][0-9]* unread records of tributary-functions-train-by-model-repartition' \
  "$work/capture.txt" || fail "the stop left no labelled example unread on the train topic: run it again"
ls -l "$out" "$shown"
