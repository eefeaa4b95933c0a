#!/usr/bin/env bash
# The README's tour, end to end, as a new user runs it from a fresh clone: a broker, the plain
# `run` next to `run --functions examples/functions.yaml`, the diamonds model fed from the CSV,
# the kcat and Python examples (when kcat and python3-confluent-kafka are installed), and the
# gateway's curl requests. It fails on any dead letter, and when a valid event gets no prediction.
#
#   scripts/readme-tour.sh [WORK_DIR]        # WORK_DIR: state, logs (default: target/readme-tour)
#
# Everything runs on 127.0.0.1 with free ports; every process it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mkdir -p "${1:-target/readme-tour}" && cd "${1:-target/readme-tour}" && pwd)"
rm -rf "${work:?}"/*
mkdir -p "$work/logs"
export TRIBUTARY_JAVA_OPTS="${TRIBUTARY_JAVA_OPTS:--Xmx512m}"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'readme-tour: FAILED: %s\n' "$*" >&2; exit 1; }
free_port() { /usr/bin/env python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Runs a command in the background, its output in logs/NAME.log.
background() { local name="$1"; shift; "$@" >"$work/logs/$name.log" 2>&1 & pids+=("$!"); }
await_line() { # FILE TEXT SECONDS
  for _ in $(seq 1 "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  tail -20 "$1" >&2; fail "no '$2' in $1 after $3 s"
}

step "build"
./tributary --version

port="$(free_port)"; bootstrap="127.0.0.1:$port"; kafka=(--bootstrap-servers "$bootstrap")
step "broker on $bootstrap"
background broker ./tributary broker --port "$port" --data-dir "$work/broker"
await_line "$work/logs/broker.log" "Kafka broker running" 90

step "run, and run --functions examples/functions.yaml"
background run ./tributary run "${kafka[@]}" --state-dir "$work/state-1" --http-port 0
background functions ./tributary run --functions examples/functions.yaml "${kafka[@]}" --state-dir "$work/state-f" \
  --http-port 0
await_line "$work/logs/run.log" "Tributary functions running" 120
await_line "$work/logs/functions.log" "Tributary functions running" 120

step "models and events"
./tributary models create diamonds --algorithm linear --features carat,cut,color,clarity,depth,table,x,y,z "${kafka[@]}"
./tributary produce --model diamonds --csv examples/data/diamonds.csv --label price "${kafka[@]}"
expected=$(( $(wc -l < examples/data/diamonds.csv) - 1 ))

if command -v kcat >/dev/null; then
  ./tributary models create kcat-demo --algorithm linear --features size,rooms "${kafka[@]}"
  examples/kcat.sh "$bootstrap"
  expected=$((expected + 100))
else
  echo "kcat is not installed: its example is left out"
fi
if /usr/bin/python3 -c 'import confluent_kafka' 2>/dev/null; then
  ./tributary models create py-demo --algorithm logistic --features x1,x2 "${kafka[@]}"
  /usr/bin/python3 examples/python/produce_events.py --model py-demo --bootstrap-servers "$bootstrap" \
    | tee "$work/logs/python.log"
  grep -q "^0 of this run's events were dead-lettered" "$work/logs/python.log" || fail "the Python example saw dead letters"
  expected=$((expected + 2000))
else
  echo "python3-confluent-kafka is not installed: the Python example is left out"
fi

step "gateway"
# The model the README's feedback request names, as its section on labels that come later creates it.
./tributary models create ctr --algorithm logistic --features f1,f2 --label-wait 30m --default-label 0 "${kafka[@]}"
gateway_port="$(free_port)"
background gateway ./tributary gateway --http-port "$gateway_port" "${kafka[@]}"
await_line "$work/logs/gateway.log" "Tributary gateway on" 90
# The README's requests, on this gateway's port.
grep -o "curl -d '[^']*' localhost:8080[^ \`]*" README.md | sed "s/localhost:8080/127.0.0.1:$gateway_port/" \
  | while read -r request; do
      echo "$request"
      eval "$request --fail-with-body --silent --show-error" || fail "$request"
      echo
    done
expected=$((expected + $(grep -c "curl -d '[^']*' localhost:8080/v1/events" README.md)))

step "predictions: $expected expected"
predicted=0
for _ in $(seq 1 30); do
  predicted=$(./tributary consume --from-beginning --timeout 5 "${kafka[@]}" | wc -l)
  [[ "$predicted" -ge "$expected" ]] && break
  sleep 2
done
[[ "$predicted" -eq "$expected" ]] || fail "$predicted predictions, expected $expected"
./tributary consume --topic diamonds.quotes --from-beginning --max 1 "${kafka[@]}"
if /usr/bin/python3 -c 'import confluent_kafka' 2>/dev/null; then
  /usr/bin/python3 examples/python/read_predictions.py --bootstrap-servers "$bootstrap" --max 3
fi

step "dead letters: none expected"
./tributary consume --topic tributary.dead-letters --from-beginning --timeout 5 "${kafka[@]}" | tee "$work/dead-letters.jsonl"
[[ ! -s "$work/dead-letters.jsonl" ]] || fail "$(wc -l < "$work/dead-letters.jsonl") dead letters (above)"

./tributary models list "${kafka[@]}"
./tributary usage "${kafka[@]}"
echo "readme-tour: OK ($predicted predictions, no dead letter)"
