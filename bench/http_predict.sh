#!/usr/bin/env bash
# HTTP /predict throughput and latency with wrk on loopback against a real `smartchurn serve`
# seeded with the demo data (default gradient boosting model), CUSTOMERS customers per request
# (1: a single customer object; more: {"customers": [...]}). Prints one JSON line.
# Usage: bench/http_predict.sh path/to/smartchurn [seconds] [connections] [customers]
set -euo pipefail
source "$(dirname "$0")/wrk_common.sh"
BIN=$(realpath "${1:-build-release/smartchurn}")
SECONDS_TO_RUN=${2:-10}
CONNECTIONS=${3:-16}
CUSTOMERS=${4:-1}
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
cleanup() {
  local rc=$?
  if [[ -n "${SERVER:-}" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

start_demo_server "$BIN" "$WORK" "$PORT"

# The benchmark measures the default gradient boosting model: train it on the demo data and
# activate it (the demo's best model may be another family).
JOB=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"dataset_id": 1, "target": "churn", "id_column": "customer_id", "na_values": ["Unknown"], "models": ["gbm"]}' \
  "http://127.0.0.1:$PORT/api/v1/training-jobs" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 600); do
  STATUS=$(curl -sf "http://127.0.0.1:$PORT/api/v1/training-jobs/$JOB" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["model_id"])')
  [[ "$STATUS" == succeeded* ]] && break
  sleep 0.1
done
curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/models/${STATUS#succeeded }/activate" > /dev/null

# The request body: the first CUSTOMERS data rows of the demo file.
demo_body "$(ls "$WORK"/data/datasets/*.csv | head -1)" "$WORK/body.json" "$CUSTOMERS"
curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/body.json" \
  "http://127.0.0.1:$PORT/api/v1/predict" > /dev/null
wrk_post "http://127.0.0.1:$PORT/api/v1/predict" "$WORK/body.json" "$CONNECTIONS" \
  "$SECONDS_TO_RUN" smartchurn "$CUSTOMERS"
