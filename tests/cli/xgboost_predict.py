"""Predicts with Python's xgboost from `smartchurn export --format xgboost` and the feature matrix
of `smartchurn transform`: xgboost_predict.py MODEL.json FEATURES.csv ID_COLUMN OUT.csv writes
"id,probability" per row (17 significant digits). Missing features are empty cells, read as NaN,
which is what XGBoost's DMatrix treats as missing."""
import csv
import sys

import numpy as np
import xgboost


def main(model_path, features_path, id_column, out_path):
    with open(features_path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    id_index = header.index(id_column)
    names = [n for i, n in enumerate(header) if i != id_index]
    ids = [row[id_index] for row in rows]
    values = np.array(
        [[float(cell) if cell != "" else np.nan for i, cell in enumerate(row) if i != id_index]
         for row in rows],
        dtype=np.float32)
    booster = xgboost.Booster(model_file=model_path)
    matrix = xgboost.DMatrix(values, missing=np.nan)
    probabilities = booster.predict(matrix)
    with open(out_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([id_column, "probability"])
        for id_value, p in zip(ids, probabilities):
            writer.writerow([id_value, "%.17g" % p])
    print("%d rows, %d features" % (len(ids), len(names)))


if __name__ == "__main__":
    main(*sys.argv[1:])
