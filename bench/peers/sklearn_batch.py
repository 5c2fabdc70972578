#!/usr/bin/python3
"""The pandas + scikit-learn peer of `smartchurn predict` on a big file: read_csv, the standard
pipeline's predict_proba, to_csv. The pipeline (imputation, scaling, one-hot, GradientBoosting) is
trained first on TRAIN.csv; only reading, scoring and writing are timed.

Usage: sklearn_batch.py TRAIN.csv SCORE.csv OUT.csv   (demo-data files: target churn, id customer_id)
Prints one JSON line: {"seconds": scoring wall time, "rows": N, "rows_per_s": ...}.
"""
import json
import sys
import time

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

from demo_pipeline import NA_VALUES, read_demo, standard_pipeline

def main():
    train_path, score_path, out_path = sys.argv[1:4]
    train, y = read_demo(train_path)
    model = standard_pipeline(train, GradientBoostingClassifier(random_state=42))
    model.fit(train, y)

    started = time.perf_counter()
    frame = pd.read_csv(score_path, na_values=NA_VALUES)
    p = model.predict_proba(frame.drop(columns=["customer_id", "churn"], errors="ignore"))[:, 1]
    out = pd.DataFrame({"customer_id": frame["customer_id"], "churn_probability": p.round(6)})
    out["risk_tier"] = pd.cut(p, [-1, 0.3, 0.6, 2], right=False, labels=["low", "medium", "high"])
    out.to_csv(out_path, index=False)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": len(frame), "rows_per_s": len(frame) / seconds}))


if __name__ == "__main__":
    main()
