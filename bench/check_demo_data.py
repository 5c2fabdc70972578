#!/usr/bin/python3
"""Offline check of the demo customer base made by `smartchurn demo-data` (a dev tool, not a test).

It generates the CSV with the given binary, then reports what a data scientist would look at
first: churn rate, missing values, duplicate rows, tenure vs signup_month consistency, a few
correlations, the cross-validated ROC-AUC of good models on all columns (the churn mechanism must
be learnable: target 0.80 - 0.92), and the univariate ROC-AUC of every column (no single column
may give it away: target <= 0.75).

Models: scikit-learn LogisticRegression on one-hot categoricals + scaled, imputed numerics, and
HistGradientBoostingClassifier with native categoricals, both with stratified 5-fold CV. A
column's univariate AUC is the CV AUC of a gradient-boosting model on that column alone, so
categorical and non-monotone effects count.

Needs Debian's python with pandas + scikit-learn:
    /usr/bin/python3 bench/check_demo_data.py [--binary build/smartchurn] [--rows 5000 20000]
                                              [--seed 42]
Exit status 1 when a target is missed.
"""
import argparse
import io
import subprocess
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

NUMERIC = ["senior_citizen", "tenure_months", "monthly_charges", "total_charges",
           "support_calls_90d", "late_payments_12m", "data_usage_gb", "satisfaction_score"]
CATEGORICAL = ["gender", "partner", "dependents", "region", "contract", "payment_method",
               "paperless_billing", "internet_service", "phone_service", "streaming_tv",
               "online_security", "tech_support"]
SNAPSHOT = 2026 * 12 + 9  # 2026-10 as a month index


def load(binary, rows, seed):
    csv = subprocess.run([binary, "demo-data", "--rows", str(rows), "--seed", str(seed)],
                         check=True, capture_output=True).stdout
    raw = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    assert len(raw) == rows, f"{len(raw)} rows, expected {rows}"
    return raw


def describe(raw):
    print(f"  churn rate            {np.mean(raw.churn == 'Yes'):.3f}")
    print(f"  exact duplicate rows  {raw.duplicated().mean():.4f}")
    ids_dup = raw.customer_id.duplicated().sum()
    print(f"  duplicated ids        {ids_dup} (rows duplicated: {raw.duplicated().sum()})")
    missing = {c: np.mean(raw[c].isin(["", " ", "Unknown"])) for c in raw.columns}
    print("  missing / unknown     " +
          ", ".join(f"{c} {r:.3f}" for c, r in missing.items() if r > 0))
    year_month = raw.signup_month.str.split("-", expand=True).astype(int)
    months = SNAPSHOT - (year_month[0] * 12 + year_month[1] - 1)
    print(f"  tenure == months since signup: {np.all(months == raw.tenure_months.astype(int))}")
    print("  signups per year      " +
          ", ".join(f"{y}: {n}" for y, n in year_month[0].value_counts().sort_index().items()))
    df = to_frame(raw)
    print("  mean monthly by internet  " + ", ".join(
        f"{k}: {v:.1f}" for k, v in df.groupby("internet_service").monthly_charges.mean().items()))
    print("  mean tenure by contract   " + ", ".join(
        f"{k}: {v:.1f}" for k, v in df.groupby("contract").tenure_months.mean().items()))
    print("  churn by contract         " + ", ".join(
        f"{k}: {v:.2f}" for k, v in df.groupby("contract").churn.mean().items()))


def to_frame(raw):
    df = raw.drop_duplicates().copy()
    for c in NUMERIC:
        df[c] = pd.to_numeric(df[c].str.strip().replace("", np.nan))
    for c in CATEGORICAL:
        df[c] = df[c].str.strip().replace({"": "missing", "Unknown": "missing"})
    df["churn"] = (df.churn == "Yes").astype(int)
    return df


def cv_auc(model, X, y):
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return cross_val_score(model, X, y, cv=folds, scoring="roc_auc").mean()


def logistic_auc(df):
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                              StandardScaler()), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)])
    model = make_pipeline(prep, LogisticRegression(max_iter=2000))
    return cv_auc(model, df[NUMERIC + CATEGORICAL], df.churn)


def boosting_frame(df, columns):
    X = pd.DataFrame(index=df.index)
    is_categorical = []
    for c in columns:
        if c in CATEGORICAL:
            X[c] = OrdinalEncoder().fit_transform(df[[c]])[:, 0]
        else:
            X[c] = df[c]
        is_categorical.append(c in CATEGORICAL)
    return X, np.array(is_categorical)


def boosting_auc(df, columns, **params):
    X, is_categorical = boosting_frame(df, columns)
    model = HistGradientBoostingClassifier(categorical_features=is_categorical, random_state=0,
                                           **params)
    return cv_auc(model, X, df.churn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/smartchurn")
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    ok = True
    for rows in args.rows:
        print(f"rows {rows}, seed {args.seed}")
        raw = load(args.binary, rows, args.seed)
        describe(raw)
        df = to_frame(raw)
        lr = logistic_auc(df)
        gb = boosting_auc(df, NUMERIC + CATEGORICAL, learning_rate=0.05, max_iter=300,
                          early_stopping=True)
        print(f"  ROC-AUC logistic regression  {lr:.3f}")
        print(f"  ROC-AUC gradient boosting    {gb:.3f}")
        univariate = {c: boosting_auc(df, [c], max_iter=50) for c in NUMERIC + CATEGORICAL}
        ranked = sorted(univariate.items(), key=lambda kv: -kv[1])
        print("  univariate ROC-AUC    " + ", ".join(f"{c} {a:.3f}" for c, a in ranked))
        churn_rate = df.churn.mean()
        ok &= 0.20 <= churn_rate <= 0.30
        ok &= all(0.80 <= a <= 0.92 for a in (lr, gb))
        ok &= ranked[0][1] <= 0.75
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
