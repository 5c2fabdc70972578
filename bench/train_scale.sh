#!/usr/bin/env bash
# Training at scale: gradient boosting on a generated Telco-like file of ROWS rows, our
# `smartchurn train --models gbm` against XGBoost from Python (bench/peers/xgboost_scale.py) doing
# the same work: FOLDS-fold stratified CV with early stopping on a held-out tenth of each fold's
# training rows, then a refit on every row. Both get 2 threads; each is timed whole (reading the
# CSV included) with /usr/bin/time -v for wall time and peak memory.
# MAX_ROUNDS caps the boosting rounds on both sides (1000, our default, unless given): the 10M run
# caps them to keep it within the hour the 2-core machine gives it.
# Prints one JSON line per trainer. Usage: bench/train_scale.sh path/to/smartchurn ROWS [FOLDS] [MAX_ROUNDS]
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
ROWS=${2:-1000000}
FOLDS=${3:-5}
MAX_ROUNDS=${4:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export OMP_WAIT_POLICY=passive

"$BIN" demo-data --rows "$ROWS" --seed 42 -o "$WORK/data.csv"

/usr/bin/time -v "$BIN" train "$WORK/data.csv" --target churn --id customer_id --na Unknown \
  --models gbm --param "gbm.max_rounds=$MAX_ROUNDS" --folds "$FOLDS" --threads 2 \
  -o "$WORK/model.json" --json \
  > "$WORK/ours.json" 2> "$WORK/ours-time.txt"
/usr/bin/time -v /usr/bin/python3 "$HERE/peers/xgboost_scale.py" "$WORK/data.csv" \
  --folds "$FOLDS" --threads 2 --max-rounds "$MAX_ROUNDS" > "$WORK/peer.json" 2> "$WORK/peer-time.txt"

/usr/bin/python3 - "$WORK" "$ROWS" "$FOLDS" "$MAX_ROUNDS" <<'PY'
import json, re, sys
work, rows, folds, max_rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def measured(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return {"seconds": seconds, "peak_rss_mb": rss_kb / 1024}

ours = json.load(open(f"{work}/ours.json"))
gbm = next(m for m in ours["models"] if m["name"] == "gbm")
bundle = json.load(open(f"{work}/model.json"))
print(json.dumps({"trainer": "smartchurn", "rows": rows, "folds": folds, "max_rounds": max_rounds,
                  "rows_used": rows - ours["duplicates_removed"],
                  "roc_auc": gbm["cv"]["roc_auc"]["mean"],
                  "final_rounds": bundle["model"]["state"]["rounds"],
                  **measured(f"{work}/ours-time.txt")}))
peer = json.load(open(f"{work}/peer.json"))
print(json.dumps({"trainer": "xgboost-python", "rows": rows, "folds": folds, "max_rounds": max_rounds,
                  "rows_used": peer["rows_used"], "roc_auc": peer["roc_auc"]["mean"],
                  "final_rounds": peer["final_rounds"], **measured(f"{work}/peer-time.txt")}))
PY
