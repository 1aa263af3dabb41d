"""Fit the two models, and keep them as JSON artifacts that carry the hash the approving evaluation recorded.

* Not on track: expected-response curves by quantile regression of a measure's total on ln(session number) and
  the intake total, stratified by intake severity band (Lambert's expected recovery curves, as evaluated by
  Hannan et al. 2005, J Clin Psychol 61:155-163; Finch, Lambert & Schaalje 2001, Clin Psychol Psychother 8:231-242).
  A score above the band's 80th percentile flags the client.
* Dropout: logistic regression on standardised engagement features (alongside.risk.features.FEATURES); the
  coefficients are readable and the probabilities are checked for calibration by the evaluation.

Artifacts are JSON only, never pickle. A stored artifact is ``{"model": …, "evaluation": {…, "model_sha256": …}}``;
loading recomputes the hash of ``model`` and refuses a file whose hash differs (an edited model), and a model whose
evaluation did not pass its minimum goals is never activated.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from statsmodels.regression.quantile_regression import QuantReg

from alongside.risk.features import FEATURES, Tables, engagement

VERSION = 1
# The flag sits at the 80th percentile: at the 90th, sensitivity by session 3 on the synthetic population was
# 0.84 with 6% false alarms (evaluation of 2026-12-06); the 80th keeps false alarms well under the 25% budget.
QUANTILES = {"low": 0.1, "median": 0.5, "high": 0.8}

# Intake severity bands. PHQ-9: Kroenke, Spitzer & Williams 2001 (J Gen Intern Med 16:606-613), 5-9 mild,
# 10-14 moderate, 15-19 moderately severe, 20-27 severe. GAD-7: Spitzer et al. 2006 (Arch Intern Med
# 166:1092-1097), 5-9 mild, 10-14 moderate, 15-21 severe. Below 5 joins the mild band. Checked 2026-12-06.
BANDS: dict[str, list[tuple[str, int, int]]] = {
    "phq9": [("mild", 0, 9), ("moderate", 10, 14), ("moderately severe", 15, 19), ("severe", 20, 27)],
    "gad7": [("mild", 0, 9), ("moderate", 10, 14), ("severe", 15, 21)],
}
# Dropout labels: the episode ends by dropout within this many days of the cutoff; cutoffs every four weeks.
HORIZON = 28
CUTOFFS = tuple(range(28, 197, 28))
# A band needs this many repeated scores to be fitted; the practice needs this many episodes for its own model.
MIN_BAND_ROWS = 50
MIN_EPISODES = 300
MAX_ROWS_PER_BAND = 20000


def fit_not_on_track(tables: Tables, *, source: str, seed: int = 0) -> dict[str, Any]:
    """Fit the expected-response curves (three quantiles per measure and intake band) on ``tables``."""
    s = tables.scores
    intake = s.filter(s.session_number == 1).select("client_id", "measure", intake=s.total)
    rows = (
        s.join(intake, ["client_id", "measure"])
        .filter(s.session_number >= 2)
        .select("measure", "session_number", "total", "intake")
    )
    df = rows.to_pandas()
    rng = np.random.default_rng(seed)
    table: list[dict[str, Any]] = []
    for measure, bands in BANDS.items():
        for name, low, high in bands:
            part = df[(df.measure == measure) & (df.intake >= low) & (df.intake <= high)]
            if len(part) < MIN_BAND_ROWS:
                continue
            if len(part) > MAX_ROWS_PER_BAND:
                part = part.iloc[rng.choice(len(part), MAX_ROWS_PER_BAND, replace=False)]
            n = part.session_number.to_numpy(float)
            x = np.column_stack([np.ones(len(n)), np.log(n), part.intake.to_numpy(float)])
            y = part.total.to_numpy(float)
            for label, q in QUANTILES.items():
                with warnings.catch_warnings():  # IRLS may stop at the limit a hair from the optimum; that is fine
                    warnings.simplefilter("ignore")
                    a, b, c = (float(v) for v in QuantReg(y, x).fit(q=q, max_iter=5000).params)
                table.append(
                    {
                        "measure": measure,
                        "band": name,
                        "low": low,
                        "high": high,
                        "q": label,
                        "quantile": q,
                        "a": round(a, 6),
                        "b": round(b, 6),
                        "c": round(c, 6),
                        "rows": len(part),
                    }
                )
    return {
        "kind": "not_on_track",
        "version": VERSION,
        "source": source,
        "method": "Quantile regression of total on ln(session number) and intake total, per intake severity band",
        "flag": "score above the 'high' quantile (80th percentile) at a repeated session",
        "quantiles": table,
    }


def quantile_table(con: Any, model: Mapping[str, Any]) -> ir.Table:
    """Return the model's quantile table as an Ibis table on ``con`` (for alongside.risk.features.expected_band)."""
    import pyarrow as pa

    cols = ("measure", "band", "low", "high", "q", "a", "b", "c")
    data = {col: [row[col] for row in model["quantiles"]] for col in cols}
    arrow = pa.table(data).cast(
        pa.schema(
            [
                ("measure", pa.string()),
                ("band", pa.string()),
                ("low", pa.float64()),
                ("high", pa.float64()),
                ("q", pa.string()),
                ("a", pa.float64()),
                ("b", pa.float64()),
                ("c", pa.float64()),
            ]
        )
    )
    return ibis.memtable(arrow)


def cutoff_table(tables: Tables, episodes: ir.Table) -> ir.Table:
    """Every four-week cutoff at which a client is still in care, with the dropout label for the next 28 days."""
    cuts = ibis.memtable({"as_of": list(CUTOFFS)})
    e = episodes.cross_join(cuts)
    e = e.filter(e.as_of < e.end_day)
    return e.select(
        "client_id",
        "as_of",
        label=((e.ending == "dropout") & (e.end_day <= e.as_of + HORIZON)).cast("int64"),
    )


def dropout_training_rows(con: Any, tables: Tables, episodes: ir.Table) -> Any:
    """Return a pandas frame of features and labels at every cutoff (cutoffs materialised on ``con``)."""
    cuts = ibis.memtable(con.to_pyarrow(cutoff_table(tables, episodes)))
    feats = engagement(tables, cuts.select("client_id", "as_of"))
    return feats.join(cuts, ["client_id", "as_of"]).to_pandas()


def fit_dropout(frame: Any, *, source: str) -> dict[str, Any]:
    """Fit the logistic dropout model on standardised features; return its JSON artifact."""
    x = frame[list(FEATURES)].to_numpy(float)
    y = frame["label"].to_numpy(int)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    fit = LogisticRegression(C=1.0, max_iter=1000).fit((x - means) / scales, y)
    names = list(FEATURES)
    return {
        "kind": "dropout",
        "version": VERSION,
        "source": source,
        "method": f"Logistic regression: dropout within {HORIZON} days of a four-weekly cutoff",
        "horizon_days": HORIZON,
        "features": dict(FEATURES),
        "means": {n: round(float(v), 6) for n, v in zip(names, means, strict=True)},
        "scales": {n: round(float(v), 6) for n, v in zip(names, scales, strict=True)},
        "coefficients": {n: round(float(v), 6) for n, v in zip(names, fit.coef_[0], strict=True)},
        "intercept": round(float(fit.intercept_[0]), 6),
        "training_rows": len(y),
        "training_events": int(y.sum()),
    }
