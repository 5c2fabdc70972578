#!/usr/bin/env bash
# Batch scoring: a generated Telco-like CSV of ROWS rows to a scored CSV, with the default gradient
# boosting model trained on 20,000 demo customers; wall time, rows/s and peak memory
# (/usr/bin/time -v). With PEER=1 the pandas + scikit-learn peer scores the same file.
# Prints JSON lines. Usage: bench/batch_scoring.sh path/to/smartchurn ROWS
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
ROWS=${2:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" demo-data --rows 20000 --seed 1 -o "$WORK/train.csv"
"$BIN" train "$WORK/train.csv" --target churn --id customer_id --na Unknown --models gbm \
  -o "$WORK/model.json" > /dev/null
"$BIN" demo-data --rows "$ROWS" --seed 2 -o "$WORK/score.csv"

/usr/bin/time -v "$BIN" predict --model "$WORK/model.json" --na Unknown "$WORK/score.csv" \
  -o "$WORK/out.csv" 2> "$WORK/time.txt"
/usr/bin/python3 - "$WORK/time.txt" "$ROWS" smartchurn <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
rss_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
rows = int(sys.argv[2])
print(json.dumps({"scorer": sys.argv[3], "rows": rows, "seconds": seconds,
                  "rows_per_s": rows / seconds, "peak_rss_mb": rss_mb}))
PY
if [[ "${PEER:-0}" == "1" ]]; then
  /usr/bin/time -v /usr/bin/python3 "$HERE/peers/sklearn_batch.py" "$WORK/train.csv" "$WORK/score.csv" \
    "$WORK/peer.csv" > "$WORK/peer.json" 2> "$WORK/peer-time.txt"
  /usr/bin/python3 - "$WORK/peer.json" "$WORK/peer-time.txt" <<'PY'
import json, re, sys
result = json.load(open(sys.argv[1]))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[2]).read()).group(1))
result.update({"scorer": "pandas+scikit-learn", "peak_rss_mb": rss / 1024})
print(json.dumps(result))
PY
fi
