#!/usr/bin/python3
"""Peers of one-customer scoring in process: a scikit-learn pipeline's predict_proba on a one-row
DataFrame (raw record to probability), and XGBoost's own one-row inplace_predict on an already
prepared row. Trained on TRAIN.csv (demo data: target churn, id customer_id).

Usage: one_row.py TRAIN.csv   Prints JSON lines with the median and p90 per call in microseconds.
"""
import json
import statistics
import sys
import time

import numpy as np
import xgboost
from sklearn.ensemble import GradientBoostingClassifier

from demo_pipeline import preprocessor, read_demo, standard_pipeline


def timed(call, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        call()
        times.append((time.perf_counter_ns() - start) / 1000)
    times.sort()
    return {"p50_us": statistics.median(times), "p90_us": times[int(0.9 * len(times))]}


def main():
    frame, y = read_demo(sys.argv[1])
    pipeline = standard_pipeline(frame, GradientBoostingClassifier(random_state=42)).fit(frame, y)
    prep = preprocessor(frame)
    row = frame.iloc[[0]]
    result = timed(lambda: pipeline.predict_proba(row), 300)
    print(json.dumps({"scorer": "scikit-learn pipeline predict_proba (raw row)", **result}))

    x = prep.fit_transform(frame)
    x = x.toarray() if hasattr(x, "toarray") else x
    booster = xgboost.XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.05, n_jobs=1,
                                    tree_method="hist").fit(x, y).get_booster()
    one = np.ascontiguousarray(x[:1], dtype=np.float32)
    booster.inplace_predict(one)
    result = timed(lambda: booster.inplace_predict(one), 3000)
    print(json.dumps({"scorer": "XGBoost inplace_predict (prepared row, 300 trees)", **result}))


if __name__ == "__main__":
    main()
