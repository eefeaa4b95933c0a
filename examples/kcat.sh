#!/usr/bin/env bash
# Publish JSON events with kcat (Debian: apt-get install kcat). Needs a model named kcat-demo:
#   ./tributary models create kcat-demo --algorithm linear --features size,rooms
set -euo pipefail
broker="${1:-127.0.0.1:9092}"
for i in $(seq 1 100); do
  size=$((RANDOM % 200 + 20)); rooms=$((RANDOM % 6 + 1))
  printf 'house-%s|{"id":"house-%s","model":"kcat-demo","features":{"size":%s,"rooms":%s},"label":%s}\n' \
    "$i" "$i" "$size" "$rooms" "$((size * 3000 + rooms * 10000))"
done | kcat -P -b "$broker" -t tributary.events -K '|'
echo "published 100 events; see them scored with: ./tributary consume --from-beginning --max 5"
