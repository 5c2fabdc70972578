#!/usr/bin/env bash
# How long a new client waits while the server is busy: wrk holds CONNECTIONS keep-alive
# connections POSTing single-customer /predict bodies as fast as it can, and meanwhile a new
# client (curl, a fresh connection each time) sends the same request once a second. Prints
# one JSON line per CONNECTIONS value with the probes' status codes and time to answer.
# Under cpp-httplib's thread per connection (before the Beast server), -c256 made a new client
# wait 18 s and -c1024 25 s. Past --max-connections (1024 by default) a new connection gets
# 503 + Retry-After at once: the probe counts those apart.
# Usage: bench/new_client_wait.sh path/to/smartchurn [seconds] [connections...] (20; 256 1024)
set -euo pipefail
source "$(dirname "$0")/wrk_common.sh"
BIN=$(realpath "${1:-build-release/smartchurn}")
SECONDS_TO_RUN=${2:-20}
shift $(($# > 2 ? 2 : $#))
LOADS=("$@")
[[ ${#LOADS[@]} -gt 0 ]] || LOADS=(256 1024)
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
cleanup() {
  local rc=$?
  if [[ -n "${LOAD:-}" ]]; then kill "$LOAD" 2> /dev/null || true; fi
  if [[ -n "${SERVER:-}" ]]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
ulimit -n 8192  # wrk needs a descriptor per connection

start_demo_server "$BIN" "$WORK" "$PORT"
URL="http://127.0.0.1:$PORT/api/v1/predict"
demo_body "$(ls "$WORK"/data/datasets/*.csv | head -1)" "$WORK/body.json" 1
cat > "$WORK/post.lua" << LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/body.json"); wrk.body = f:read("*a"); f:close()
LUA

for connections in "${LOADS[@]}"; do
  wrk -t1 -c"$connections" -d"$((SECONDS_TO_RUN + 3))s" -s "$WORK/post.lua" "$URL" > "$WORK/wrk.txt" 2>&1 &
  LOAD=$!
  sleep 2  # every wrk connection open and busy
  : > "$WORK/probes.txt"
  for _ in $(seq 1 "$SECONDS_TO_RUN"); do
    # A fresh connection each time; 30 s is longer than any wait seen before the Beast server.
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 \
      -H 'Content-Type: application/json' --data @"$WORK/body.json" "$URL" >> "$WORK/probes.txt" ||
      echo "000 30" >> "$WORK/probes.txt"
    sleep 1
  done
  wait "$LOAD" || true
  LOAD=
  /usr/bin/python3 - "$WORK/probes.txt" "$WORK/wrk.txt" "$connections" << 'PY'
import json, re, statistics, sys
probes = [line.split() for line in open(sys.argv[1]) if line.strip()]
wrk = open(sys.argv[2]).read()
def ms(status):
    return sorted(float(t) * 1000 for code, t in probes if code == status)
ok, busy = ms("200"), ms("503")
rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk)
print(json.dumps({
    "connections": int(sys.argv[3]), "probes": len(probes), "answered_200": len(ok),
    "answered_503": len(busy), "other": len(probes) - len(ok) - len(busy),
    "probe_ms_median": round(statistics.median(ok), 2) if ok else None,
    "probe_ms_max": round(ok[-1], 2) if ok else None,
    "probe_503_ms_max": round(busy[-1], 2) if busy else None,
    "load_requests_per_s": float(rps.group(1)) if rps else None}))
PY
done
