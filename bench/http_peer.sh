#!/usr/bin/env bash
# The peer of bench/http_predict.sh: POST /api/v1/predict throughput and latency with wrk on loopback
# against bench/peers/flask_predict.py (Flask + scikit-learn gradient boosting) trained on the same
# demo data. Mode `flask`: Flask dev server, threaded; `gunicorn`: gunicorn, 2 sync workers.
# Prints one JSON line.
# Usage: bench/http_peer.sh path/to/smartchurn [seconds] [connections] [flask|gunicorn]
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
SECONDS_TO_RUN=${2:-10}
CONNECTIONS=${3:-16}
MODE=${4:-gunicorn}
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

# One demo customer as the request body (the first data row of the demo file).
/usr/bin/python3 - "$WORK/demo.csv" "$WORK/body.json" <<'PY'
import csv, json, sys
row = next(csv.DictReader(open(sys.argv[1])))
row.pop("churn")
def value(k, v):
    if v.strip() == "": return None
    try: return v if k in ("customer_id", "senior_citizen") else float(v)
    except ValueError: return v
json.dump({k: value(k, v) for k, v in row.items()}, open(sys.argv[2], "w"))
PY
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/body.json"); wrk.body = f:read("*a"); f:close()
LUA

# The peer trains at import: wait until a prediction answers 200.
post() { curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/body.json" "$URL"; }
for _ in $(seq 1 1200); do
  post > /dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
post > /dev/null || { cat "$WORK/server.log" >&2; exit 1; }

wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s "$WORK/post.lua" "$URL" > "$WORK/wrk.txt"
/usr/bin/python3 - "$WORK/wrk.txt" "$CONNECTIONS" "$MODE" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = float(re.match(r"([\d.]+)", v).group(1)), re.sub(r"[\d.]", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"peer": sys.argv[3], "requests_per_s": rps, "p50_ms": pct.get("50"),
                  "p90_ms": pct.get("90"), "p99_ms": pct.get("99"), "connections": int(sys.argv[2]),
                  "non_2xx": int(errors.group(1)) if errors else 0}))
PY
