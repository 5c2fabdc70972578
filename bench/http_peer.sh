#!/usr/bin/env bash
# The peer of bench/http_predict.sh: POST /api/v1/predict throughput and latency with wrk on loopback
# against bench/peers/flask_predict.py (Flask + scikit-learn gradient boosting) trained on the same
# demo data. Mode `flask`: Flask dev server, threaded; `gunicorn`: gunicorn, 2 sync workers.
# CUSTOMERS customers per request as in http_predict.sh. Prints one JSON line.
# Usage: bench/http_peer.sh path/to/smartchurn [seconds] [connections] [flask|gunicorn] [customers]
set -euo pipefail
source "$(dirname "$0")/wrk_common.sh"
BIN=$(realpath "${1:-build-release/smartchurn}")
SECONDS_TO_RUN=${2:-10}
CONNECTIONS=${3:-16}
MODE=${4:-gunicorn}
CUSTOMERS=${5:-1}
PEERS=$(cd "$(dirname "$0")/peers" && pwd)
WORK=$(mktemp -d)
cleanup() {
  local rc=$?
  if [[ -n "${SERVER:-}" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

"$BIN" demo-data --rows 5000 --seed 42 -o "$WORK/demo.csv" > /dev/null
export SMARTCHURN_PEER_DATA="$WORK/demo.csv"
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT/api/v1/predict"

case "$MODE" in
  flask) /usr/bin/python3 -m flask --app "$PEERS/flask_predict" run --host 127.0.0.1 --port "$PORT" \
           --with-threads > "$WORK/server.log" 2>&1 & ;;
  gunicorn) /usr/bin/gunicorn --workers 2 --worker-class sync --preload --bind "127.0.0.1:$PORT" \
              --chdir "$PEERS" flask_predict:app > "$WORK/server.log" 2>&1 & ;;
  *) echo "unknown mode: $MODE (flask or gunicorn)" >&2; exit 2 ;;
esac
SERVER=$!

# The request body: the first CUSTOMERS data rows of the demo file.
demo_body "$WORK/demo.csv" "$WORK/body.json" "$CUSTOMERS"

# The peer trains at import: wait until a prediction answers 200.
post() { curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/body.json" "$URL"; }
for _ in $(seq 1 1200); do
  post > /dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
post > /dev/null || { cat "$WORK/server.log" >&2; exit 1; }

wrk_post "$URL" "$WORK/body.json" "$CONNECTIONS" "$SECONDS_TO_RUN" "$MODE" "$CUSTOMERS"
