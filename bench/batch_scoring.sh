#!/usr/bin/env bash
# Batch scoring: a generated Telco-like CSV of ROWS rows (1,000,000 by default; 10,000,000 for the
# large run) to a scored CSV, with the default gradient boosting model trained on 20,000 demo
# customers; wall time, rows/s, CPU time and peak memory (/usr/bin/time -v), RUNS times (median
# and spread). With PEER=1 the pandas + scikit-learn peer scores the same file once (it holds the
# whole file in memory: ~1.4 GB at 1M rows, so run it at 1M only).
# Prints JSON lines. Usage: [RUNS=3] [PEER=1] bench/batch_scoring.sh path/to/smartchurn ROWS
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
ROWS=${2:-1000000}
RUNS=${RUNS:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" demo-data --rows 20000 --seed 1 -o "$WORK/train.csv"
"$BIN" train "$WORK/train.csv" --target churn --id customer_id --na Unknown --models gbm \
  -o "$WORK/model.json" > /dev/null
"$BIN" demo-data --rows "$ROWS" --seed 2 -o "$WORK/score.csv"

for run in $(seq "$RUNS"); do
  /usr/bin/time -v "$BIN" predict --model "$WORK/model.json" --na Unknown "$WORK/score.csv" \
    -o "$WORK/out.csv" 2> "$WORK/time-$run.txt"
  rm -f "$WORK/out.csv"
done
/usr/bin/python3 - "$ROWS" "$WORK"/time-*.txt <<'PY'
import json, re, statistics, sys
rows = int(sys.argv[1])
runs = []
for path in sys.argv[2:]:
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): (\S+)", text).group(1))
              for kind in ("User", "System"))
    rss_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    runs.append({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": rss_mb})
seconds = [r["seconds"] for r in runs]
median = statistics.median(seconds)
print(json.dumps({"scorer": "smartchurn", "rows": rows, "runs": len(runs), "seconds": median,
                  "seconds_min": min(seconds), "seconds_max": max(seconds),
                  "rows_per_s": rows / median,
                  "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                  "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}))
PY
if [[ "${PEER:-0}" == "1" ]]; then
  /usr/bin/time -v /usr/bin/python3 "$HERE/peers/sklearn_batch.py" "$WORK/train.csv" "$WORK/score.csv" \
    "$WORK/peer.csv" > "$WORK/peer.json" 2> "$WORK/peer-time.txt"
  /usr/bin/python3 - "$WORK/peer.json" "$WORK/peer-time.txt" <<'PY'
import json, re, sys
result = json.load(open(sys.argv[1]))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[2]).read()).group(1))
result.update({"scorer": "pandas+scikit-learn", "runs": 1, "peak_rss_mb": rss / 1024})
print(json.dumps(result))
PY
fi
