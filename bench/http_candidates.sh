#!/usr/bin/env bash
# The two event-driven HTTP candidates for the server, side by side with the same service, routes,
# guard and metrics: Boost.Beast (`smartchurn serve`) and libmicrohttpd (bench_mhd_serve).
#  1. single-customer POST /predict, wrk -t1 -cCONNECTIONS, alternating ROUNDS times;
#  2. slowloris: 200 connections sending their request head one byte a second while a new client
#     POSTs /predict once a second (its time), and how many of the 200 the server has closed by
#     the end (a whole-head deadline closes them; a per-read timeout never does).
# Writes bench/results/http_candidates.{json,md}.
# Usage: bench/http_candidates.sh [smartchurn] [bench_mhd_serve] [rounds] [seconds] [connections]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/wrk_common.sh"
BEAST=$(realpath "${1:-$HERE/../build-release/smartchurn}")
MHD=$(realpath "${2:-$HERE/../build-release/bench/bench_mhd_serve}")
ROUNDS=${3:-3}
SECONDS_TO_RUN=${4:-10}
CONNECTIONS=${5:-16}
WORK=$(mktemp -d)
cleanup() {
  local rc=$?
  if [[ -n "${SERVER:-}" ]]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

: > "$WORK/runs.jsonl"
alternate_rounds "$WORK/runs.jsonl" "$ROUNDS" "$SECONDS_TO_RUN" "$CONNECTIONS" beast "$BEAST" mhd "$MHD"

# slowloris SIDE BIN: one JSON line.
slowloris() {
  local side=$1 bin=$2 port=$((20000 + RANDOM % 20000))
  mkdir -p "$WORK/$side"
  start_demo_server "$bin" "$WORK/$side" "$port"
  demo_body "$(ls "$WORK/$side"/data/datasets/*.csv | head -1)" "$WORK/$side/body.json" 1
  /usr/bin/python3 - "$port" "$WORK/$side/body.json" "$side" <<'PY'
import json, socket, statistics, subprocess, sys, time
port, body, side = int(sys.argv[1]), sys.argv[2], sys.argv[3]
head = (f"POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").encode()
attackers = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
times, failures = [], 0
for second in range(15):
    for s in attackers:
        try: s.send(head[second:second + 1])
        except OSError: pass
    start = time.monotonic()
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5", "-X", "POST",
                        "-H", "Content-Type: application/json", "--data", "@" + body,
                        f"http://127.0.0.1:{port}/api/v1/predict"], capture_output=True, text=True)
    times.append((time.monotonic() - start) * 1000)
    if r.stdout != "200": failures += 1
    time.sleep(max(0.0, 1.0 - (time.monotonic() - start)))
closed = 0
for s in attackers:
    s.settimeout(0.05)
    try: closed += 1 if s.recv(1) == b"" else 0
    except socket.timeout: pass
    except OSError: closed += 1
print(json.dumps({"side": side, "probes": len(times), "failed": failures,
                  "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                  "attackers_closed_after_15_s": closed, "attackers": len(attackers)}))
PY
  kill "$SERVER"
  wait "$SERVER" 2> /dev/null || true
  SERVER=
}
: > "$WORK/slowloris.jsonl"
slowloris beast "$BEAST" | tee -a "$WORK/slowloris.jsonl"
slowloris mhd "$MHD" | tee -a "$WORK/slowloris.jsonl"

mkdir -p "$HERE/results"
/usr/bin/python3 - "$WORK/runs.jsonl" "$WORK/slowloris.jsonl" "$HERE/results" "$CONNECTIONS" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
loris = [json.loads(line) for line in open(sys.argv[2])]
out, connections = sys.argv[3], sys.argv[4]
summary = {"runs": runs, "slowloris": loris}
names = {"beast": "Boost.Beast 1.74 (smartchurn serve)", "mhd": "libmicrohttpd 0.9.75 (bench_mhd_serve)"}
rows = []
for side in ("beast", "mhd"):
    rps = [r["result"]["requests_per_s"] for r in runs if r["side"] == side]
    p99 = [r["result"]["p99_ms"] for r in runs if r["side"] == side]
    summary[side] = {"requests_per_second_median": statistics.median(rps), "p99_ms_median": statistics.median(p99)}
    l = next(x for x in loris if x["side"] == side)
    rows.append(f"| {names[side]} | {summary[side]['requests_per_second_median']:.0f} | "
                f"{summary[side]['p99_ms_median']} | {l['median_ms']} / {l['max_ms']} ms, {l['failed']} failed | "
                f"{l['attackers_closed_after_15_s']} of {l['attackers']} |")
json.dump(summary, open(f"{out}/http_candidates.json", "w"), indent=2)
with open(f"{out}/http_candidates.md", "w") as md:
    md.write("# The two HTTP candidates, same service and routes (bench/http_candidates.sh)\n\n")
    md.write(f"POST /predict, one customer, wrk -t1 -c{connections}, runs alternating; slowloris: 200 "
             "connections sending their head a byte a second for 15 s while a new client POSTs "
             "/predict once a second.\n\n")
    md.write("| server | requests/s (median) | p99 ms (median) | new client under slowloris (median / max) | slow connections closed |\n")
    md.write("|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
print(open(f"{out}/http_candidates.md").read())
PY
