"""What the Python peers share: reading the demo data and the standard scikit-learn pipeline
(median imputation + scaling of numerics, most-frequent imputation + one-hot of categoricals)."""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NA_VALUES = ["Unknown", " ", ""]


def read_demo(path):
    """The demo CSV's inputs (without id and target) and its 0/1 churn labels."""
    frame = pd.read_csv(path, na_values=NA_VALUES)
    y = (frame.pop("churn") == "Yes").astype(int)
    return frame.drop(columns=["customer_id"]), y


def preprocessor(frame):
    numeric = frame.select_dtypes(include="number").columns.tolist()
    categorical = [c for c in frame.columns if c not in numeric]
    return ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                              OneHotEncoder(handle_unknown="ignore")), categorical),
    ])


def standard_pipeline(frame, model):
    return make_pipeline(preprocessor(frame), model)
