#!/usr/bin/python3
"""The scikit-learn peer of `smartchurn train`: the standard pipeline a data scientist would write.

Median/most-frequent imputation, standard scaling of numerics, one-hot categoricals; logistic
regression, random forest (300 trees), scikit-learn's gradient boosting and XGBoost (its
scikit-learn interface with default parameters, tree_method=hist), 5-fold stratified CV ROC-AUC,
then the best refitted on all rows. Prints one JSON line with the CV figures, the wall time in all
and the seconds each model's CV took.

Usage: sklearn_train.py DATA.csv --target COL [--positive LABEL] [--id COL ...] [--jobs N]
Runs on Debian's python3-sklearn and python3-xgboost (installed by `scripts/install-deps.sh --bench`).
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--target", required=True)
    parser.add_argument("--positive")
    parser.add_argument("--id", action="append", default=[])
    parser.add_argument("--drop", action="append", default=[])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    frame = pd.read_csv(args.data, na_values=[" ", "", "NA", "N/A", "null", "?"], keep_default_na=True)
    target = frame.pop(args.target).astype(str)
    positive = args.positive or next(v for v in ("Yes", "1", "True") if v in set(target))
    y = (target == positive).astype(int).to_numpy()
    frame = frame.drop(columns=args.id + args.drop)
    numeric = frame.select_dtypes(include="number").columns.tolist()
    categorical = [c for c in frame.columns if c not in numeric]
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                              OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    models = {
        "lr": LogisticRegression(max_iter=1000),
        "rf": RandomForestClassifier(n_estimators=300, n_jobs=args.jobs, random_state=42),
        "gbm": GradientBoostingClassifier(random_state=42),
        # One thread per fit: cross_val_score already runs `jobs` folds at once.
        "xgboost": XGBClassifier(tree_method="hist", n_jobs=1, random_state=42),
    }
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    results, model_seconds = {}, {}
    for name, model in models.items():
        model_started = time.perf_counter()
        scores = cross_val_score(make_pipeline(prep, model), frame, y, cv=folds,
                                 scoring="roc_auc", n_jobs=args.jobs)
        model_seconds[name] = time.perf_counter() - model_started
        results[name] = {"mean": float(np.mean(scores)), "std": float(np.std(scores))}
    best = max(results, key=lambda n: results[n]["mean"])
    make_pipeline(prep, models[best]).fit(frame, y)
    print(json.dumps({"seconds": time.perf_counter() - started, "roc_auc": results,
                      "model_seconds": model_seconds, "best": best}))


if __name__ == "__main__":
    main()
