#!/usr/bin/env bash
# HTTP /predict throughput and latency with wrk on loopback against a real `smartchurn serve`
# seeded with the demo data (default gradient boosting model). Prints one JSON line.
# Usage: bench/http_predict.sh path/to/smartchurn [seconds] [connections]
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
SECONDS_TO_RUN=${2:-10}
CONNECTIONS=${3:-16}
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
cleanup() {
  local rc=$?
  if [[ -n "${SERVER:-}" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

"$BIN" serve --port "$PORT" --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/api/v1/health/ready" > /dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/api/v1/health/ready" > /dev/null || { cat "$WORK/server.log" >&2; exit 1; }

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

# One demo customer as the request body (the first data row of the demo file).
/usr/bin/python3 - "$WORK/data/datasets" "$WORK/body.json" <<'PY'
import csv, glob, json, sys
path = glob.glob(sys.argv[1] + "/*.csv")[0]
row = next(csv.DictReader(open(path)))
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
curl -sf -X POST -H 'Content-Type: application/json' --data @"$WORK/body.json" \
  "http://127.0.0.1:$PORT/api/v1/predict" > /dev/null
wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s "$WORK/post.lua" \
  "http://127.0.0.1:$PORT/api/v1/predict" > "$WORK/wrk.txt"
/usr/bin/python3 - "$WORK/wrk.txt" "$CONNECTIONS" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = float(re.match(r"([\d.]+)", v).group(1)), re.sub(r"[\d.]", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"requests_per_s": rps, "p50_ms": pct.get("50"), "p90_ms": pct.get("90"),
                  "p99_ms": pct.get("99"), "connections": int(sys.argv[2]),
                  "non_2xx": int(errors.group(1)) if errors else 0}))
PY
