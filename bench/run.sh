#!/usr/bin/env bash
# `make bench`: runs every benchmark against a release build and writes bench/results/latest.md
# and latest.json. Peers (scikit-learn) run in the same session so ratios hold on a noisy machine.
# Usage: bench/run.sh path/to/smartchurn [runs]
set -euo pipefail
BIN=$(realpath "${1:-build-release/smartchurn}")
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA="$HERE/../../shared/data"
OUT="$HERE/results"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
export OMP_WAIT_POLICY=passive

if [[ ! -d "$DATA" ]]; then
  echo "bench: ../shared/data is absent; the training benchmarks need the public data sets" >&2
  exit 1
fi

# name|data file|smartchurn args|peer args
CASES=(
  "telco|telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv|--target Churn --id customerID|--target Churn --id customerID"
  "bank|bank-churn-modelling/Churn_Modelling.csv|--target Exited --id RowNumber --id CustomerId --id Surname|--target Exited --id RowNumber --id CustomerId --id Surname"
)

json_cases=()
{
  echo "# SmartChurn benchmarks"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(lscpu | sed -n 's/^Model name: *//p')"
  echo "- smartchurn: $("$BIN" --version), runs per figure: $RUNS"
  echo "- peer: scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
  echo
  echo "## Training: smartchurn train (reading, leakage check, preparation), lr + rf + gbm, 5-fold stratified CV, refit of the best"
  echo
  echo "Peer: the scikit-learn pipeline with LogisticRegression, RandomForest(300), GradientBoosting and"
  echo "XGBClassifier (XGBoost $(/usr/bin/python3 -c 'import xgboost; print(xgboost.__version__)'), defaults, tree_method=hist), 5-fold CV each, refit of the best; its XGBoost columns"
  echo "are that model's CV ROC-AUC and CV seconds (last run)."
  echo
  echo "| data | smartchurn median s (min-max) | best CV ROC-AUC | peer median s (min-max) | best CV ROC-AUC | XGBoost CV ROC-AUC | XGBoost CV s | speed-up |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$OUT/latest.md"

for case in "${CASES[@]}"; do
  IFS='|' read -r name file ours peers <<< "$case"
  # shellcheck disable=SC2086
  hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/$name-ours.json" \
    "$BIN train $DATA/$file $ours --models lr,rf,gbm --folds 5 -o $WORK/$name.json --json > $WORK/$name-train.json" >&2
  # shellcheck disable=SC2086
  hyperfine --runs "$RUNS" --export-json "$WORK/$name-peer.json" \
    "/usr/bin/python3 $HERE/peers/sklearn_train.py $DATA/$file $peers > $WORK/$name-peer-out.json" >&2
  /usr/bin/python3 - "$name" "$WORK" "$OUT/latest.md" <<'PY'
import json, sys
name, work, md = sys.argv[1:]
ours = json.load(open(f"{work}/{name}-ours.json"))["results"][0]
peer = json.load(open(f"{work}/{name}-peer.json"))["results"][0]
train = json.load(open(f"{work}/{name}-train.json"))
peer_out = json.load(open(f"{work}/{name}-peer-out.json"))
our_auc = max(m["cv"]["roc_auc"]["mean"] for m in train["models"])
peer_auc = max(v["mean"] for v in peer_out["roc_auc"].values())
row = {"data": name, "ours_median_s": ours["median"], "ours_min_s": ours["min"], "ours_max_s": ours["max"],
       "ours_roc_auc": our_auc, "peer_median_s": peer["median"], "peer_min_s": peer["min"],
       "peer_max_s": peer["max"], "peer_roc_auc": peer_auc, "peer_models": peer_out["roc_auc"],
       "peer_model_seconds": peer_out["model_seconds"], "speedup": peer["median"] / ours["median"]}
with open(md, "a") as f:
    f.write(f"| {name} | {row['ours_median_s']:.2f} ({row['ours_min_s']:.2f}-{row['ours_max_s']:.2f}) | "
            f"{our_auc:.4f} | {row['peer_median_s']:.2f} ({row['peer_min_s']:.2f}-{row['peer_max_s']:.2f}) | "
            f"{peer_auc:.4f} | {peer_out['roc_auc']['xgboost']['mean']:.4f} | "
            f"{peer_out['model_seconds']['xgboost']:.2f} | {row['speedup']:.1f}x |\n")
with open(f"{work}/{name}-row.json", "w") as f:
    json.dump(row, f)
PY
  json_cases+=("$WORK/$name-row.json")
done

# Training at scale: gradient boosting on 1M generated rows (2-fold CV, at most 1000 rounds: about
# 10 minutes for both trainers on the 2-core machine) and, with SMARTCHURN_BENCH_10M=1, on 10M rows
# (2 folds, rounds capped at 200 on both sides: about 25 minutes), against XGBoost from Python
# doing the same folds.
SCALE_FOLDS=${SMARTCHURN_SCALE_FOLDS:-2}
"$HERE/train_scale.sh" "$BIN" 1000000 "$SCALE_FOLDS" 1000 > "$WORK/scale.jsonl"
if [[ "${SMARTCHURN_BENCH_10M:-0}" == "1" ]]; then
  "$HERE/train_scale.sh" "$BIN" 10000000 2 200 >> "$WORK/scale.jsonl"
fi
/usr/bin/python3 - "$WORK/scale.jsonl" "$OUT/latest.md" "$WORK/scale.json" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
with open(sys.argv[2], "a") as f:
    f.write("\n## Scale: gradient boosting on generated rows (demo-data), whole run timed with /usr/bin/time -v\n\n"
            "Both sides: stratified K-fold CV (K in the table) with early stopping on a tenth of each fold's\n"
            "training rows (eta 0.05, depth 4, at most the table's max rounds, patience 50), then a refit on every\n"
            "de-duplicated row; 2 threads. smartchurn: `train --models gbm --folds K` (reading, profile and\n"
            "leakage check, preparation with combined features). Peer: bench/peers/xgboost_scale.py (pandas\n"
            "read_csv with categories, drop_duplicates, native categoricals, xgboost.train).\n\n"
            "| rows | folds | max rounds | trainer | seconds | peak RSS MB | CV ROC-AUC | final rounds | time vs smartchurn | memory vs smartchurn |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n")
    for r in runs:
        ours = next(o for o in runs if o["rows"] == r["rows"] and o["trainer"] == "smartchurn")
        f.write(f"| {r['rows']:,} | {r['folds']} | {r['max_rounds']} | {r['trainer']} | {r['seconds']:.0f} | "
                f"{r['peak_rss_mb']:.0f} | {r['roc_auc']:.4f} | {r['final_rounds']} | "
                f"{r['seconds'] / ours['seconds']:.2f}x | {r['peak_rss_mb'] / ours['peak_rss_mb']:.2f}x |\n")
json.dump(runs, open(sys.argv[3], "w"))
PY

# One customer in process: the engine against XGBoost's own one-row call (same model), and the
# Python peers (scikit-learn pipeline on a raw row, XGBoost inplace_predict on a prepared row).
BENCH_SCORER="$(dirname "$BIN")/bench/bench_scorer"
if [[ -x "$BENCH_SCORER" ]]; then
  "$BENCH_SCORER" "$DATA/telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv" > "$WORK/scorer.txt"
  "$BIN" demo-data --rows 5000 --seed 42 -o "$WORK/demo.csv"
  /usr/bin/python3 "$HERE/peers/one_row.py" "$WORK/demo.csv" > "$WORK/one_row.jsonl"
  {
    echo
    echo "## One customer in process (raw record to probability unless noted)"
    echo
    echo '```'
    cat "$WORK/scorer.txt"
    cat "$WORK/one_row.jsonl"
    echo '```'
  } >> "$OUT/latest.md"
fi

# Batch scoring: 1M and 10M generated rows, CSV to scored CSV, three runs each; the pandas +
# scikit-learn peer at 1M only (it holds the file in memory: ~1.4 GB at 1M, ~14 GB at 10M).
RUNS=3 PEER=1 "$HERE/batch_scoring.sh" "$BIN" 1000000 > "$WORK/batch.jsonl"
RUNS=3 "$HERE/batch_scoring.sh" "$BIN" 10000000 >> "$WORK/batch.jsonl"
{
  echo
  echo "## Batch scoring: CSV to scored CSV, gradient boosting (default parameters, trained on 20,000 demo rows)"
  echo
  echo "smartchurn: the whole \`predict\` process (start, model load, read, score, write), median of 3 runs (min-max);"
  echo "peer: pandas read_csv + pipeline predict_proba + to_csv, timed inside Python, one run, at 1M rows only"
  echo "(at 10M rows pandas would need ~14 GB)."
  echo
  echo "| scorer | rows | seconds median (min-max) | rows/s | CPU s | peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  /usr/bin/python3 - "$WORK/batch.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for r in rows:
    spread = f" ({r['seconds_min']:.2f}-{r['seconds_max']:.2f})" if r.get("runs", 1) > 1 else ""
    cpu = f"{r['cpu_seconds']:.2f}" if "cpu_seconds" in r else "-"
    print(f"| {r['scorer']} | {r['rows']:,} | {r['seconds']:.2f}{spread} | {r['rows_per_s']:,.0f} | "
          f"{cpu} | {r['peak_rss_mb']:.0f} |")
ours = {r["rows"]: r for r in rows if r["scorer"] == "smartchurn"}
peer = next((r for r in rows if r["scorer"] != "smartchurn"), None)
if peer and peer["rows"] in ours:
    o = ours[peer["rows"]]
    print(f"\nAt {peer['rows']:,} rows smartchurn scores {o['rows_per_s'] / peer['rows_per_s']:.1f}x the rows per second "
          f"of {peer['scorer']} in {peer['peak_rss_mb'] / o['peak_rss_mb']:.0f}x less memory.")
if len(ours) > 1:
    small, large = ours[min(ours)], ours[max(ours)]
    print(f"\nPeak memory at {large['rows']:,} rows: {large['peak_rss_mb']:.0f} MB, at {small['rows']:,}: "
          f"{small['peak_rss_mb']:.0f} MB ({large['peak_rss_mb'] / small['peak_rss_mb']:.2f}x for "
          f"{large['rows'] // small['rows']}x the rows).")
PY
} >> "$OUT/latest.md"

# HTTP /predict with wrk -t1 -c16 on loopback: one customer per request and 100 per request, three
# runs each. Peers in the same run: a Flask app with a scikit-learn pipeline, dev server and gunicorn.
for customers in 1 100; do
  for run in 1 2 3; do
    "$HERE/http_predict.sh" "$BIN" 10 16 "$customers" >> "$WORK/http.jsonl"
  done
  "$HERE/http_peer.sh" "$BIN" 10 16 flask "$customers" >> "$WORK/http.jsonl"
  "$HERE/http_peer.sh" "$BIN" 10 16 gunicorn "$customers" >> "$WORK/http.jsonl"
done
/usr/bin/python3 - "$WORK/http.jsonl" "$OUT/latest.md" "$WORK/http.json" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
summary = {}
with open(sys.argv[2], "a") as f:
    for customers in sorted({r["customers_per_request"] for r in runs}):
        by_server = {}
        for r in runs:
            if r["customers_per_request"] == customers:
                by_server.setdefault(r["server"], []).append(r)
        what = "one customer" if customers == 1 else f"{customers} customers"
        f.write(f"\n## HTTP: POST /api/v1/predict, {what} per request, gradient boosting (wrk -t1 -c16, 10 s)\n\n")
        f.write("| server | runs | requests/s median (min-max) | customers/s | p50 ms | p99 ms median (min-max) | non-2xx |\n"
                "|---|---|---|---|---|---|---|\n")
        group = summary.setdefault(f"customers_{customers}", {})
        for server, rs in by_server.items():
            rps = [r["requests_per_s"] for r in rs]
            p99 = [r["p99_ms"] for r in rs]
            group[server] = {"runs": rs, "requests_per_s_median": statistics.median(rps),
                             "customers_per_s_median": statistics.median(rps) * customers,
                             "p99_ms_median": statistics.median(p99)}
            f.write(f"| {server} | {len(rs)} | {statistics.median(rps):.0f} ({min(rps):.0f}-{max(rps):.0f}) | "
                    f"{statistics.median(rps) * customers:.0f} | "
                    f"{statistics.median([r['p50_ms'] for r in rs]):.2f} | "
                    f"{statistics.median(p99):.2f} ({min(p99):.2f}-{max(p99):.2f}) | "
                    f"{sum(r['non_2xx'] for r in rs)} |\n")
        ours = group["smartchurn"]["requests_per_s_median"]
        for peer in ("flask", "gunicorn"):
            if peer in group:
                f.write(f"\nsmartchurn / {peer} (Flask + scikit-learn GradientBoosting): "
                        f"{ours / group[peer]['requests_per_s_median']:.0f}x the requests per second\n")
json.dump(summary, open(sys.argv[3], "w"))
PY

# This tree's server against the previous HTTP server (cpp-httplib, before the Boost.Beast layer),
# built beside it from SMARTCHURN_BENCH_HTTP_BASE and measured alternately in the same run.
"$HERE/http_compare.sh" "$BIN" "${SMARTCHURN_BENCH_HTTP_BASE:-31e07c1}" 3 10 16 > /dev/null
{ echo; sed 's/^# /## HTTP: /' "$HERE/results/http_compare.md"; } >> "$OUT/latest.md"

# The two event-driven candidates with the same routes: Beast (this server) and libmicrohttpd.
"$HERE/http_candidates.sh" "$BIN" "$(dirname "$BIN")/bench/bench_mhd_serve" 3 10 16 > /dev/null
{ echo; sed 's/^# /## HTTP: /' "$HERE/results/http_candidates.md"; } >> "$OUT/latest.md"

# A new client's wait while wrk keeps 256 and 1024 connections busy (18 s and 25 s before the
# Beast server): one fresh-connection /predict a second for 20 s under each load.
"$HERE/new_client_wait.sh" "$BIN" 20 256 1024 > "$WORK/new_client.jsonl"
/usr/bin/python3 - "$WORK/new_client.jsonl" >> "$OUT/latest.md" <<'PY'
import json, sys
print("\n## HTTP: a new client's wait while wrk keeps N connections busy (one probe a second, 20 s)\n")
print("| busy connections | probes | 200 | 503 | median ms | max ms | load requests/s |")
print("|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"| {r['connections']} | {r['probes']} | {r['answered_200']} | {r['answered_503']} | "
          f"{r['probe_ms_median']} | {r['probe_ms_max']} | {r['load_requests_per_s']} |")
PY

# Explanations: one customer's reasons and every Telco customer in batch (bench_explain).
BENCH_EXPLAIN="$(dirname "$BIN")/bench/bench_explain"
if [[ -x "$BENCH_EXPLAIN" ]]; then
  {
    echo
    echo "## Explanations: raw Telco records to reasons (every input column, grouped), release build"
    echo
    "$BENCH_EXPLAIN" "$DATA/telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv" \
      | tee "$WORK/explain.txt"
  } >> "$OUT/latest.md"
fi

# The model families straight on Telco and Bank: 5-fold CV ROC-AUC and fit seconds (bench_models).
BENCH_MODELS="$(dirname "$BIN")/bench/bench_models"
if [[ -x "$BENCH_MODELS" ]]; then
  {
    echo
    echo "## Model families on the prepared data sets: 5-fold CV ROC-AUC / fit seconds per fold"
    echo
    echo '```'
    "$BENCH_MODELS" "$DATA" telco bank | tee "$WORK/models.txt"
    echo '```'
  } >> "$OUT/latest.md"
fi

/usr/bin/python3 - "$OUT/latest.json" "$WORK" "${json_cases[@]}" <<'PY'
import json, os, sys
work = sys.argv[2]
rows = [json.load(open(p)) for p in sys.argv[3:]]

def lines(name):  # the in-process benchmarks print text; kept line by line
    path = os.path.join(work, name)
    return open(path).read().splitlines() if os.path.exists(path) else []

json.dump({"training": rows, "scale": json.load(open(f"{work}/scale.json")),
           "one_customer": {"engine": lines("scorer.txt"),
                            "peers": [json.loads(l) for l in lines("one_row.jsonl")]},
           "batch_scoring": [json.loads(l) for l in lines("batch.jsonl")],
           "http_predict": json.load(open(f"{work}/http.json")),
           "new_client_wait": [json.loads(l) for l in lines("new_client.jsonl")],
           "explanations": lines("explain.txt"),
           "model_families": lines("models.txt")},
          open(sys.argv[1], "w"), indent=2)
PY
cat "$OUT/latest.md"
