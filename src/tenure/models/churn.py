"""A churn model: the probability that a customer churns within the horizon, from the point-in-time
signals, and the signals that drive it for each account (docs/backtest.md#the-churn-model).

    features     every numeric or true/false signal (a missing value is imputed with the training
                 median and flagged by its own "<signal> missing" feature, both learned once from the
                 training rows rather than per fold), plus one-hot text signals
                 with few values (segment, tier, ...); ids, names, owners, dates, the scorecard's own
                 output and the outcomes are never features
    model        standardised features -> logistic regression, L2 penalty with its strength C chosen
                 among CS by 3-fold cross-validated AUC (GridSearchCV; folds not shuffled, so
                 with rows in day order they are blocks of time)
    calibration  Platt scaling (a logistic regression on the model's log-odds) fitted on 3-fold
                 out-of-fold predictions of at most CALIBRATION_ROWS rows, so `predict` is a
                 probability of churn within the horizon, not just a ranking
    drivers      contribution of feature j = coef_j x (x_j - its training mean), in standardised units:
                 the log-odds it adds compared with the average training row. Positive raises the risk.
                 A logistic model's contributions add up exactly to its log-odds, which is why it is
                 chosen over a boosted model, whose per-account drivers would need SHAP (or LightGBM's
                 pred_contrib) and a dependency, for no measured gain on the demo (docs).

Text signals are one-hot encoded from integer codes over their training values (a missing value is
the category "(none)"; a value unseen in training has no column): encoding Python strings cost a
set of every value per fit, most of the model's time on a large history (100k accounts: 29 s of 38).

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
NONE = "(none)"  # the category of a missing text value
CS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SEARCH_ROWS = 50_000
CALIBRATION_ROWS = 200_000
# Fewer churns than this cannot be cross-validated (3 folds for C, 3 for calibration) into anything useful.
MIN_EACH = 10


class ChurnModel:
    def __init__(self, *, Cs: tuple[float, ...] = CS, folds: int = 3, random_state: int = 0):
        self.Cs = list(Cs)
        self.folds = folds
        self.random_state = random_state

    def fit(self, table: pa.Table | pd.DataFrame, churned: Iterable[bool]) -> "ChurnModel":
        """Fit on snapshot rows (signals as columns) and their outcome."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV, cross_val_predict

        frame = _frame(table)
        self.numeric_, self.categorical_ = _feature_columns(frame)
        # Text signals become integer codes over their training values, and missing numbers the
        # training median plus a flag (module docstring): both computed once here, not per fold.
        self.vocabulary_ = {c: sorted(frame[c].fillna(NONE).astype(str).unique()) for c in self.categorical_}
        numbers = {c: _numbers(frame, c) for c in self.numeric_}
        self.medians_ = {c: float(v.median()) if v.notna().any() else 0.0 for c, v in numbers.items()}
        self.flagged_ = [c for c, v in numbers.items() if v.isna().any()]
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
        # Platt scaling: a logistic regression of the outcome on the model's out-of-fold log-odds, on
        # at most CALIBRATION_ROWS rows (every k-th): two parameters need no more, and fitting the
        # folds on every row was most of the model's time on a large history. Then one model fitted
        # on every row, so there is a single set of coefficients to explain.
        step = max(1, -(-len(y) // CALIBRATION_ROWS))
        margins = cross_val_predict(pipeline, x.iloc[::step], y[::step], cv=self.folds, method="decision_function")
        self.platt_ = LogisticRegression(C=1e6).fit(margins.reshape(-1, 1), y[::step])
        self.pipeline_ = pipeline.fit(x, y)
        prepare, logistic = self.pipeline_[:-1], self.pipeline_[-1]
        self.features_ = [self._readable(n) for n in prepare.get_feature_names_out()]
        self.coef_ = logistic.coef_[0]
        self.intercept_ = float(logistic.intercept_[0])
        self.center_ = np.asarray(prepare.transform(x)).mean(axis=0)
        return self

    def predict(self, table: pa.Table | pd.DataFrame) -> np.ndarray:
        """Calibrated probability of churn within the horizon, per row."""
        margins = self.pipeline_.decision_function(self._x(_frame(table)))
        return self.platt_.predict_proba(margins.reshape(-1, 1))[:, 1]

    def contributions(self, table: pa.Table | pd.DataFrame) -> pd.DataFrame:
        """Per row and feature, coef x (transformed value - training mean): log-odds added."""
        z = np.asarray(self.pipeline_[:-1].transform(self._x(_frame(table))))
        return pd.DataFrame((z - self.center_) * self.coef_, columns=self.features_)

    def drivers(self, table: pa.Table | pd.DataFrame, top: int = 3) -> list[list[dict]]:
        """Per row, the `top` signals adding the most risk (positive contributions only), largest first:
        {"signal", "value" (the row's number; None for a text signal or a missing value), "category" (a
        text signal's value, e.g. segment 'enterprise'; else None), "missing" (True when the signal has
        no value), "contribution"}. A signal's contribution is the sum over its features: its one-hot
        columns (being 'enterprise' is also not being 'smb'), or its value and its missing flag."""
        frame = _frame(table)
        parts = self.contributions(frame)
        sources = [self._source(name) for name in self.features_]
        summed = parts.T.groupby(pd.Index(sources), sort=False).sum().T
        signals, parts = list(summed.columns), summed.to_numpy()
        numbers = {c: _numbers(frame, c).to_numpy(dtype=float) for c in self.numeric_}
        texts = {c: (frame[c] if c in frame else pd.Series(None, index=frame.index)).to_numpy(dtype=object)
                 for c in self.categorical_}
        best = np.argsort(-parts, axis=1, kind="stable")[:, :top]
        out = []
        for i, row in enumerate(best):
            chosen = []
            for j in row:
                if parts[i, j] <= 0:
                    break
                signal = signals[j]
                if signal in numbers:
                    value, category = numbers[signal][i], None
                    missing = bool(np.isnan(value))
                    value = None if missing else float(value)
                else:
                    text = texts[signal][i]
                    missing = bool(pd.isna(text))
                    value, category = None, None if missing else str(text)
                chosen.append({"signal": signal, "value": value, "category": category, "missing": missing,
                               "contribution": round(float(parts[i, j]), 4)})
            out.append(chosen)
        return out

    def _source(self, feature: str) -> str:
        """The signal a feature comes from: 'segment_enterprise' -> 'segment', 'nps missing' -> 'nps'."""
        if feature.endswith(" missing") and feature.removesuffix(" missing") in self.flagged_:
            return feature.removesuffix(" missing")
        for c in sorted(self.categorical_, key=len, reverse=True):
            if feature.startswith(f"{c}_") and feature.removeprefix(f"{c}_") in self.vocabulary_[c]:
                return c
        return feature

    def _x(self, frame: pd.DataFrame) -> pd.DataFrame:
        x = pd.DataFrame(index=frame.index)
        numbers = {c: _numbers(frame, c) for c in self.numeric_}
        for c, values in numbers.items():
            x[c] = values.fillna(self.medians_[c])
        for c in self.flagged_:
            x[f"{c} missing"] = numbers[c].isna().astype(float)
        for c in self.categorical_:
            text = (frame[c] if c in frame else pd.Series(None, index=frame.index)).fillna(NONE).astype(str)
            # A value not seen in training is code -1, which the encoder ignores (all its columns 0).
            x[c] = pd.Categorical(text, categories=self.vocabulary_[c]).codes.astype(np.int64)
        return x

    def _readable(self, name: str) -> str:
        """A one-hot 'segment_2' -> 'segment_enterprise'; other names as they are."""
        for c in sorted(self.categorical_, key=len, reverse=True):
            code = name.removeprefix(f"{c}_")
            if name.startswith(f"{c}_") and code.isdigit():
                return f"{c}_{self.vocabulary_[c][int(code)]}"
        return name

    def _pipeline(self):
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        categorical = OneHotEncoder(handle_unknown="ignore", max_categories=MAX_CATEGORIES, sparse_output=False)
        prepare = ColumnTransformer(
            [
                ("numeric", StandardScaler(), [*self.numeric_, *(f"{c} missing" for c in self.flagged_)]),
                ("categorical", categorical, self.categorical_),
            ],
            verbose_feature_names_out=False,
        )
        # Newton steps on the Cholesky of the Hessian: few iterations when rows far outnumber features,
        # 3-4x faster than lbfgs on heavy-tailed counts (10k-account demo: 5 s instead of 18 s).
        logistic = LogisticRegression(solver="newton-cholesky", max_iter=1000, random_state=self.random_state)
        return Pipeline([("prepare", prepare), ("logistic", logistic)])


def _frame(table: pa.Table | pd.DataFrame) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table.reset_index(drop=True)
    # Money arrives as exact decimals, which pandas keeps as Python objects: cast to floats in Arrow,
    # vectorised, rather than one object at a time later.
    for i, f in enumerate(table.schema):
        if pa.types.is_decimal(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.float64()))
    return table.to_pandas()


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


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """A numeric signal as floats (missing: NaN), from numbers, decimals or true/false."""
    values = frame[column] if column in frame else pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(values, errors="coerce").astype(float)


def _is_decimal(value) -> bool:
    return type(value).__name__ == "Decimal"
