#!/usr/bin/env bash
# `make demo`: the command-line walk-through on a generated customer base: generate, profile,
# train, score.
set -euo pipefail
BIN=${1:-build/smartchurn}
DIR=${2:-demo}
mkdir -p "$DIR"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Generate a demo customer base (5,000 customers, seed 42)" \
  "$BIN" demo-data --rows 5000 --seed 42 -o "$DIR/customers.csv"
step "Profile it: types, missing values, outliers, warnings" \
  "$BIN" profile "$DIR/customers.csv" --target churn --id customer_id --na Unknown
step "Train and compare logistic regression, random forest and gradient boosting" \
  "$BIN" train "$DIR/customers.csv" --target churn --id customer_id --na Unknown -o "$DIR/model.json"
step "Score every customer" \
  "$BIN" predict --model "$DIR/model.json" "$DIR/customers.csv" -o "$DIR/scored.csv"

printf '\nScored customers by risk tier:\n'
tail -n +2 "$DIR/scored.csv" | cut -d, -f3 | sort | uniq -c | sort -rn
printf '\nHighest-risk customers:\n'
head -1 "$DIR/scored.csv"
sort -t, -k2 -rn "$DIR/scored.csv" | sed -n 1,5p
printf '\nFiles: %s/customers.csv (data), %s/model.json (model bundle), %s/scored.csv (scores)\n' \
  "$DIR" "$DIR" "$DIR"
