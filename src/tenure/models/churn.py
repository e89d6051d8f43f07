"""A churn model: the probability that a customer churns within the horizon, from the point-in-time
signals, and the signals that drive it for each account (docs/backtest.md#the-churn-model).

    features     every numeric or true/false signal (a missing value is imputed with the training
                 median and flagged by its own "<signal> missing" feature), plus one-hot text signals
                 with few values (segment, tier, ...); ids, names, owners, dates, the scorecard's own
                 output and the outcomes are never features
    model        standardised features -> logistic regression, L2 penalty with its strength C chosen
                 among CS by 3-fold cross-validated AUC (GridSearchCV; folds not shuffled, so
                 with rows in day order they are blocks of time)
    calibration  Platt scaling fitted on 3 out-of-fold predictions (CalibratedClassifierCV, sigmoid),
                 so `predict` is a probability of churn within the horizon, not just a ranking
    drivers      contribution of feature j = coef_j x (x_j - its training mean), in standardised units:
                 the log-odds it adds compared with the average training row. Positive raises the risk.
                 A logistic model's contributions add up exactly to its log-odds, which is why it is
                 chosen over a boosted model, whose per-account drivers would need SHAP (or LightGBM's
                 pred_contrib) and a dependency, for no measured gain on the demo (docs).

Follows scikit-learn's fit / predict with fitted attributes ending in `_`. Deterministic: the solver
is deterministic and the calibration folds are not shuffled.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

# Columns of a snapshot that are never features: who, when, the scorecard's verdict, and what happened.
NOT_FEATURES = frozenset({
    "account_id", "day", "name", "owner", "scorecard", "score", "band", "confidence", "low_confidence", "stale",
    "arr", "churned", "churned_at", "contracted", "renewal_due", "renewed", "arr_lost",
})
MAX_CATEGORIES = 12
CS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SEARCH_ROWS = 50_000
# Fewer churns than this cannot be cross-validated (3 folds for C, 3 for calibration) into anything useful.
MIN_EACH = 10


class ChurnModel:
    def __init__(self, *, Cs: tuple[float, ...] = CS, folds: int = 3, random_state: int = 0):
        self.Cs = list(Cs)
        self.folds = folds
        self.random_state = random_state

    def fit(self, table: pa.Table | pd.DataFrame, churned: Iterable[bool]) -> "ChurnModel":
        """Fit on snapshot rows (signals as columns) and their outcome."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.model_selection import GridSearchCV

        frame = _frame(table)
        self.numeric_, self.categorical_ = _feature_columns(frame)
        if not self.numeric_ and not self.categorical_:
            raise ValueError("no signal columns to learn from")
        y = np.asarray(list(churned), dtype=bool)
        if min(y.sum(), (~y).sum()) < MIN_EACH:
            raise ValueError(f"{int(y.sum())} churned of {len(y)} rows: at least {MIN_EACH} of each outcome are needed")
        x = self._x(frame)
        # The strength of the L2 penalty by cross-validated AUC: a few hundred churns overfit at C = 1
        # (the demo's test AUC fell from 0.86 to 0.82), while a long history can afford a weaker one.
        # Searched on at most SEARCH_ROWS rows, every k-th (still in day order): the choice of C settles
        # long before that, and the search is most of the fitting time on a large history.
        step = max(1, -(-len(y) // SEARCH_ROWS))
        search = GridSearchCV(self._pipeline(), {"logistic__C": self.Cs}, scoring="roc_auc", cv=self.folds)
        self.C_ = float(search.fit(x.iloc[::step], y[::step]).best_params_["logistic__C"])
        pipeline = self._pipeline().set_params(logistic__C=self.C_)
        # ensemble=False: one model fitted on every row, and one calibrator on out-of-fold predictions,
        # so there is a single set of coefficients to explain.
        self.calibrated_ = CalibratedClassifierCV(pipeline, method="sigmoid", cv=self.folds, ensemble=False)
        self.calibrated_.fit(x, y)
        self.pipeline_ = self.calibrated_.calibrated_classifiers_[0].estimator
        prepare, logistic = self.pipeline_[:-1], self.pipeline_[-1]
        self.features_ = [_readable(n) for n in prepare.get_feature_names_out()]
        self.coef_ = logistic.coef_[0]
        self.intercept_ = float(logistic.intercept_[0])
        self.center_ = np.asarray(prepare.transform(x)).mean(axis=0)
        return self

    def predict(self, table: pa.Table | pd.DataFrame) -> np.ndarray:
        """Calibrated probability of churn within the horizon, per row."""
        return self.calibrated_.predict_proba(self._x(_frame(table)))[:, 1]

    def contributions(self, table: pa.Table | pd.DataFrame) -> pd.DataFrame:
        """Per row and feature, coef x (transformed value - training mean): log-odds added."""
        z = np.asarray(self.pipeline_[:-1].transform(self._x(_frame(table))))
        return pd.DataFrame((z - self.center_) * self.coef_, columns=self.features_)

    def drivers(self, table: pa.Table | pd.DataFrame, top: int = 3) -> list[list[dict]]:
        """Per row, the `top` features adding the most risk (positive contributions only), largest first:
        {"signal", "value" (the row's value as a float; None for a missing flag or a one-hot), "contribution"}."""
        x = self._x(_frame(table))
        parts = self.contributions(x).to_numpy()
        values = {c: x[c].to_numpy(dtype=float) for c in self.numeric_}
        best = np.argsort(-parts, axis=1, kind="stable")[:, :top]
        out = []
        for i, row in enumerate(best):
            chosen = []
            for j in row:
                if parts[i, j] <= 0:
                    break
                name = self.features_[j]
                value = values[name][i] if name in values else np.nan
                chosen.append({"signal": name, "value": None if np.isnan(value) else float(value),
                               "contribution": round(float(parts[i, j]), 4)})
            out.append(chosen)
        return out

    def _x(self, frame: pd.DataFrame) -> pd.DataFrame:
        x = pd.DataFrame(index=frame.index)
        for c in self.numeric_:
            x[c] = pd.to_numeric(frame[c] if c in frame else np.nan, errors="coerce").astype(float)
        for c in self.categorical_:
            x[c] = (frame[c] if c in frame else pd.Series(None, index=frame.index)).astype(object)
        return x

    def _pipeline(self):
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline, make_pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        numeric = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True), StandardScaler()
        )
        categorical = make_pipeline(
            SimpleImputer(strategy="constant", fill_value="(none)", keep_empty_features=True),
            OneHotEncoder(handle_unknown="ignore", max_categories=MAX_CATEGORIES, sparse_output=False),
        )
        prepare = ColumnTransformer(
            [("numeric", numeric, self.numeric_), ("categorical", categorical, self.categorical_)],
            verbose_feature_names_out=False,
        )
        # Newton steps on the Cholesky of the Hessian: few iterations when rows far outnumber features,
        # 3-4x faster than lbfgs on heavy-tailed counts (10k-account demo: 5 s instead of 18 s).
        logistic = LogisticRegression(solver="newton-cholesky", max_iter=1000, random_state=self.random_state)
        return Pipeline([("prepare", prepare), ("logistic", logistic)])


def _frame(table: pa.Table | pd.DataFrame) -> pd.DataFrame:
    return table.to_pandas() if isinstance(table, pa.Table) else table.reset_index(drop=True)


def _feature_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    numeric, categorical = [], []
    for c in frame.columns:
        if c in NOT_FEATURES:
            continue
        values = frame[c].dropna()
        if pd.api.types.is_bool_dtype(frame[c]) or pd.api.types.is_numeric_dtype(frame[c]):
            numeric.append(c)
        elif len(values) and all(isinstance(v, (bool, int, float)) or _is_decimal(v) for v in values.head(100)):
            numeric.append(c)  # decimals (money) and nullable booleans arrive as objects
        elif pd.api.types.is_object_dtype(frame[c]) and values.map(type).eq(str).all() and values.nunique() <= 50:
            categorical.append(c)
    return numeric, categorical


def _is_decimal(value) -> bool:
    return type(value).__name__ == "Decimal"


def _readable(name: str) -> str:
    """'missingindicator_nps' -> 'nps missing'; 'segment_enterprise' stays (one-hot: column_value)."""
    return name.removeprefix("missingindicator_") + " missing" if name.startswith("missingindicator_") else name
