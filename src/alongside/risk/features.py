"""One set of Ibis expressions for features and scores, run on DuckDB by default and on PySpark for a network.

Every function takes Ibis tables and returns an Ibis table; nothing here knows which engine runs it. A ``cutoffs``
table (``client_id``, ``as_of``) says at which day of care each client is described: one row per client when
scoring today, several per client (every four weeks) when training and evaluating the dropout model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ibis loads in a second or more: the web process imports it only when it scores
    import ibis.expr.types as ir

# Features look back at most this many days (longer gaps are capped), which also bounds the joins.
WINDOW = 56
CAP = 60

# The dropout model's features, in order, with what each one measures (shown in the model card).
FEATURES: dict[str, str] = {
    "days_since_checkin": "Days since the last daily check-in (capped at 60).",
    "checkins_14": "Check-ins in the last 14 days.",
    "checkin_trend": "Check-ins in the last 14 days minus those in the 14 days before.",
    "homework_missed_3": "Of the last three homework tasks due, how many were not done.",
    "sessions_missed_56": "Sessions missed or cancelled in the last 8 weeks.",
    "days_since_message": "Days since the client's last message (capped at 60).",
    "phq9_change": "Latest PHQ-9 total minus the intake total.",
    "weeks_in_care": "Weeks since the first session.",
}


@dataclass(frozen=True)
class Tables:
    """The extract's tables as Ibis expressions on one backend."""

    clients: ir.Table
    checkins: ir.Table
    sessions: ir.Table
    scores: ir.Table
    homework: ir.Table
    messages: ir.Table


def _window(events: ir.Table, cutoffs: ir.Table, days: int = WINDOW) -> ir.Table:
    joined = events.join(cutoffs, "client_id")
    return joined.filter((joined.day <= joined.as_of) & (joined.day > joined.as_of - days))


def _since(last: ir.IntegerValue, as_of: ir.IntegerValue) -> ir.IntegerValue:
    import ibis

    return ibis.least(ibis.coalesce(as_of - last, CAP), CAP)


def engagement(t: Tables, cutoffs: ir.Table) -> ir.Table:
    """Return one row per cutoff with the dropout model's features."""
    import ibis

    keys = ["client_id", "as_of"]
    c = _window(t.checkins, cutoffs)
    checks = c.group_by(keys).aggregate(
        last_checkin=c.day.max(),
        checkins_14=(c.day > c.as_of - 14).cast("int64").sum(),
        checkins_prev_14=((c.day <= c.as_of - 14) & (c.day > c.as_of - 28)).cast("int64").sum(),
    )
    h = _window(t.homework, cutoffs)
    # Ties on a day put done tasks first, so that every engine (and alongside.risk.online) picks the same three.
    order = [ibis.desc(h.day), ibis.desc(h.done)]
    h = h.mutate(rank=ibis.row_number().over(group_by=[h.client_id, h.as_of], order_by=order))
    h = h.filter(h.rank < 3)
    homework = h.group_by(keys).aggregate(homework_missed_3=(~h.done).cast("int64").sum())
    s = _window(t.sessions, cutoffs)
    sessions = s.group_by(keys).aggregate(sessions_missed_56=(s.status != "attended").cast("int64").sum())
    m = _window(t.messages.filter(t.messages.sender == "client"), cutoffs)
    messages = m.group_by(keys).aggregate(last_message=m.day.max())
    p = t.scores.filter(t.scores.measure == "phq9").join(cutoffs, "client_id")
    p = p.filter(p.day <= p.as_of)
    phq = p.group_by(keys).aggregate(
        phq9_intake=p.total.argmin(p.session_number), phq9_latest=p.total.argmax(p.session_number)
    )
    out = cutoffs
    for part in (checks, homework, sessions, messages, phq):
        out = out.left_join(part, keys).drop("client_id_right", "as_of_right")
    return out.select(
        "client_id",
        "as_of",
        days_since_checkin=_since(out.last_checkin, out.as_of).cast("float64"),
        checkins_14=out.checkins_14.fill_null(0).cast("float64"),
        checkin_trend=(out.checkins_14.fill_null(0) - out.checkins_prev_14.fill_null(0)).cast("float64"),
        homework_missed_3=out.homework_missed_3.fill_null(0).cast("float64"),
        sessions_missed_56=out.sessions_missed_56.fill_null(0).cast("float64"),
        days_since_message=_since(out.last_message, out.as_of).cast("float64"),
        phq9_change=(out.phq9_latest - out.phq9_intake).fill_null(0).cast("float64"),
        # Cast first: Spark reads 7.0 as a decimal and would round the quotient to six places.
        weeks_in_care=out.as_of.cast("float64") / 7.0,
    )


def dropout_scores(features: ir.Table, model: Mapping[str, object]) -> ir.Table:
    """Add each feature's contribution to the log-odds (``c_<feature>``) and the probability ``dropout``."""
    import ibis

    means: Mapping[str, float] = model["means"]  # type: ignore[assignment]
    scales: Mapping[str, float] = model["scales"]  # type: ignore[assignment]
    coefs: Mapping[str, float] = model["coefficients"]  # type: ignore[assignment]
    intercept = float(model["intercept"])  # type: ignore[arg-type]
    contributions = {f"c_{name}": (features[name] - means[name]) / scales[name] * coefs[name] for name in FEATURES}
    out = features.mutate(**contributions)
    logit = ibis.literal(intercept)
    for name in FEATURES:
        logit = logit + out[f"c_{name}"]
    return out.mutate(dropout=1.0 / (1.0 + (-logit).exp()))


def expected_band(scores: ir.Table, quantiles: ir.Table) -> ir.Table:
    """Join every repeated score to the expected-response curve for its measure and intake severity band.

    ``quantiles`` has one row per measure, band and quantile (``q``) with the band's lower and upper intake bounds
    and coefficients ``a + b·ln(session) + c·intake``. The result has ``expected`` (the median), ``upper`` (the
    flag quantile) and ``lower`` per score, and ``not_on_track`` when the score sits above ``upper``.
    """
    intake = scores.filter(scores.session_number == 1).select(
        "client_id", "measure", intake=scores.total.cast("float64")
    )
    s = scores.join(intake, ["client_id", "measure"])
    s = s.filter(s.session_number >= 2)
    q = quantiles
    j = s.join(q, (s.measure == q.measure) & (s.intake >= q.low) & (s.intake <= q.high)).drop("measure_right")
    value = j.a + j.b * j.session_number.cast("float64").ln() + j.c * j.intake
    j = j.mutate(value=value)
    keys = ["client_id", "measure", "session_number", "day", "total", "intake"]
    band = j.group_by(keys).aggregate(
        lower=j.value.max(where=j.q == "low"),
        expected=j.value.max(where=j.q == "median"),
        upper=j.value.max(where=j.q == "high"),
    )
    return band.mutate(not_on_track=band.total.cast("float64") > band.upper, excess=band.total - band.upper)
