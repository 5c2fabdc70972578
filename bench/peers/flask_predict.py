"""The Flask + scikit-learn peer of `smartchurn serve`'s POST /api/v1/predict: what users run today.

At import it trains the standard pipeline (median imputation + scaling of numerics, most-frequent
imputation + one-hot of categoricals, GradientBoostingClassifier(random_state=42)) on the CSV named by
SMARTCHURN_PEER_DATA (target `churn`, positive `Yes`, id `customer_id`, "Unknown" and blank missing).
POST /api/v1/predict takes one customer as a JSON object (the CSV row minus churn, missing as null)
and returns {"customer_id", "churn_probability", "risk_tier"}; or {"customers": [...]}, scored in one
predict_proba call, and returns {"predictions": [...]} like smartchurn.

bench/http_peer.sh runs it either with the Flask dev server (threaded) or with
`gunicorn -w 2 --chdir bench/peers flask_predict:app`, then measures it with wrk.
Runs on Debian's python3-flask, python3-sklearn and gunicorn.
"""
import os

import numpy as np
import pandas as pd
from flask import Flask, jsonify, request
from sklearn.ensemble import GradientBoostingClassifier

from demo_pipeline import read_demo, standard_pipeline

MISSING = {None, "", "Unknown"}

frame, y = read_demo(os.environ["SMARTCHURN_PEER_DATA"])
NUMERIC = frame.select_dtypes(include="number").columns.tolist()
model = standard_pipeline(frame, GradientBoostingClassifier(random_state=42)).fit(frame, y)

app = Flask(__name__)


def scored(customers):
    rows = [{c: np.nan if (v := customer.get(c)) is None or str(v).strip() in MISSING else v
             for c in frame.columns} for customer in customers]
    x = pd.DataFrame(rows, columns=frame.columns)
    x[NUMERIC] = x[NUMERIC].apply(pd.to_numeric, errors="coerce")
    out = []
    for customer, p in zip(customers, model.predict_proba(x)[:, 1]):
        p = float(p)
        tier = "high" if p >= 0.6 else "medium" if p >= 0.3 else "low"
        out.append(dict(customer_id=customer.get("customer_id"), churn_probability=p, risk_tier=tier))
    return out


@app.post("/api/v1/predict")
def predict():
    body = request.get_json()
    if isinstance(body, dict) and "customers" in body:
        return jsonify(predictions=scored(body["customers"]))
    return jsonify(scored([body])[0])
