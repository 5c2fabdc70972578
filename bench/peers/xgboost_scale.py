#!/usr/bin/python3
"""The XGBoost-from-Python peer of `smartchurn train --models gbm` on a big generated file.

What a data scientist would write for the same work as ours: pandas read_csv (text columns read
as pandas categories, as one does at millions of rows), exact duplicate rows dropped, XGBoost's
native categorical splits, tree_method=hist with our gbm defaults (eta 0.05, depth 4, subsample
and colsample 0.8, max_cat_to_onehot 4); stratified K-fold CV where each fold holds out a
stratified 10% of its training rows for early stopping (at most --max-rounds, 1000 by default, patience 50), then a
refit on every row for the mean best round count x 1.1. Prints one JSON line: wall seconds, CV
ROC-AUC mean and std, rounds per fold.

Usage: xgboost_scale.py DATA.csv [--folds 5] [--threads 2] [--max-rounds 1000]   (demo-data files: churn, customer_id)
Runs on Debian's python3-xgboost, python3-pandas and python3-sklearn.
"""
import argparse
import json
import math
import time

import numpy as np
import pandas as pd
import xgboost
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from demo_pipeline import NA_VALUES

PARAMS = {
    "objective": "binary:logistic", "eval_metric": "logloss", "tree_method": "hist",
    "eta": 0.05, "max_depth": 4, "min_child_weight": 1.0, "subsample": 0.8,
    "colsample_bytree": 0.8, "lambda": 1.0, "max_cat_to_onehot": 4, "seed": 42,
}
DEFAULT_MAX_ROUNDS, PATIENCE, VALID_SHARE, FINAL_ROUNDS_FACTOR = 1000, 50, 0.1, 1.1


def read(path):
    sample = pd.read_csv(path, na_values=NA_VALUES, nrows=10000)
    text = [c for c in sample.columns if sample[c].dtype == object and c != "customer_id"]
    frame = pd.read_csv(path, na_values=NA_VALUES, dtype={c: "category" for c in text})
    frame = frame.drop(columns=["customer_id"]).drop_duplicates()
    y = (frame.pop("churn") == "Yes").astype(np.int8).to_numpy()
    return frame, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-rounds", type=int, default=DEFAULT_MAX_ROUNDS)
    args = parser.parse_args()
    params = dict(PARAMS, nthread=args.threads)

    started = time.perf_counter()
    x, y = read(args.data)
    aucs, rounds = [], []
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42)
    for train, test in folds.split(x, y):
        fit, valid = train_test_split(train, test_size=VALID_SHARE, stratify=y[train],
                                      random_state=42)
        dfit = xgboost.DMatrix(x.iloc[fit], y[fit], enable_categorical=True)
        dvalid = xgboost.DMatrix(x.iloc[valid], y[valid], enable_categorical=True)
        booster = xgboost.train(params, dfit, args.max_rounds, evals=[(dvalid, "valid")],
                                early_stopping_rounds=PATIENCE, verbose_eval=False)
        del dfit, dvalid
        rounds.append(booster.best_iteration + 1)
        dtest = xgboost.DMatrix(x.iloc[test], enable_categorical=True)
        p = booster.predict(dtest, iteration_range=(0, booster.best_iteration + 1))
        aucs.append(roc_auc_score(y[test], p))
    final_rounds = math.ceil(np.mean(rounds) * FINAL_ROUNDS_FACTOR)
    xgboost.train(params, xgboost.DMatrix(x, y, enable_categorical=True), final_rounds)
    print(json.dumps({"seconds": time.perf_counter() - started, "rows_used": len(y),
                      "folds": args.folds, "roc_auc": {"mean": float(np.mean(aucs)),
                                                       "std": float(np.std(aucs))},
                      "rounds": rounds, "final_rounds": final_rounds}))


if __name__ == "__main__":
    main()
