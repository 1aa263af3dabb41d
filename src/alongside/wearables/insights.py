"""Insights: how the client's mood goes with their sleep, steps and heart on the same day and the next.

A day's measure is paired with the mood of that local day (lag 0) and of the day after (lag 1). A night's sleep
counts for the day it ends on, so for sleep lag 0 is the day after the night and lag 1 the day after next; the
sentences say so (see :func:`say`).

For each measure and each lag (the same day, the next day) with at least :data:`MIN_PAIRED_DAYS` days that
have both the measure and a mood check-in, the days are split at the measure's middle value (median) and the
mean mood of the lower half is compared with the upper half. The difference is tested by a permutation test
(:data:`PERMUTATIONS` shuffles with a fixed seed, so a page always says the same), and the p-values of all
pairs tested are controlled together with the Benjamini-Hochberg procedure at a false discovery rate of 5%
(Benjamini Y, Hochberg Y. "Controlling the false discovery rate: a practical and powerful approach to multiple
testing." J R Stat Soc B 1995;57(1):289-300; checked 2026-12-06). Only pairs that pass are said, in plain words
with their numbers, and always with the caution that an association is not a cause.

Mood lives in the self-care app, above this one: it registers a mood source here (see
:func:`register_mood_source`), so this module never imports it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.core.formatting import fmt_duration, fmt_number
from alongside.wearables.metrics import Metric

MIN_PAIRED_DAYS = 21
PERMUTATIONS = 2000
FDR = 0.05
TESTED = (
    Metric.SLEEP_TOTAL,
    Metric.SLEEP_REGULARITY,
    Metric.STEPS,
    Metric.RESTING_HR,
    Metric.HRV_SDNN,
    Metric.HRV_RMSSD,
)

MoodSource = Callable[[uuid.UUID], dict[dt.date, float]]
_mood_sources: list[MoodSource] = []


def register_mood_source(source: MoodSource) -> None:
    """Register a function returning the client's mean mood (0-10) per local day (from an app above this one)."""
    if source not in _mood_sources:
        _mood_sources.append(source)


def daily_mood(client_id: uuid.UUID) -> dict[dt.date, float]:
    moods: dict[dt.date, float] = {}
    for source in _mood_sources:
        moods.update(source(client_id))
    return moods


@dataclass(frozen=True)
class Insight:
    metric: str
    lag: int  # 0 the same day, 1 the next day
    cut: float  # the measure's median: days below it against days at or above it
    difference: float  # mean mood below the cut minus mean mood at or above it
    below: int
    above: int
    p: float
    q: float  # Benjamini-Hochberg adjusted p

    @property
    def n(self) -> int:
        return self.below + self.above


def _permutation_p(low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> float:
    observed = abs(low.mean() - high.mean())
    shuffled = rng.permuted(np.tile(np.concatenate([low, high]), (PERMUTATIONS, 1)), axis=1)
    differences = np.abs(shuffled[:, : len(low)].mean(axis=1) - shuffled[:, len(low) :].mean(axis=1))
    count = int(np.count_nonzero(differences >= observed - 1e-12))
    return (count + 1) / (PERMUTATIONS + 1)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Return the BH-adjusted p-values (q), in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = running
    return adjusted


def mood_insights(features: Iterable[tuple[dt.date, str, float]], moods: dict[dt.date, float]) -> list[Insight]:
    """Test every measure and lag with enough paired days; return those passing BH at 5%, strongest first."""
    by_metric: dict[str, dict[dt.date, float]] = {}
    for day, metric, value in features:
        by_metric.setdefault(metric, {})[day] = value
    rng = np.random.default_rng(20171206)
    found: list[Insight] = []
    for metric in TESTED:
        values = by_metric.get(metric, {})
        for lag in (0, 1):
            pairs = [
                (v, moods[d + dt.timedelta(days=lag)]) for d, v in values.items() if d + dt.timedelta(days=lag) in moods
            ]
            if len(pairs) < MIN_PAIRED_DAYS:
                continue
            measure = np.array([p[0] for p in pairs])
            mood = np.array([p[1] for p in pairs])
            cut = float(np.median(measure))
            low, high = mood[measure < cut], mood[measure >= cut]
            if len(low) < 5 or len(high) < 5:
                continue
            p = _permutation_p(low.copy(), high.copy(), rng)
            diff = float(low.mean() - high.mean())
            found.append(Insight(metric, lag, cut, diff, len(low), len(high), p, 1.0))
    qs = benjamini_hochberg([insight.p for insight in found])
    kept = [Insight(**{**i.__dict__, "q": q}) for i, q in zip(found, qs, strict=True) if q <= FDR]
    return sorted(kept, key=lambda insight: insight.q)


# How each tested measure opens its sentence, and whether its feature is a night's or a day's. A night counts for
# the local day it ends on (see features), so a night's feature and the mood of that same day (lag 0) are a night
# and the day after it; lag 1 pairs the night with the day after that.
_NIGHT, _DAY = "night", "day"
OPENINGS: dict[str, tuple[str, Any]] = {
    Metric.SLEEP_TOTAL: (_NIGHT, gettext_lazy("On nights under %(cut)s' sleep")),
    Metric.SLEEP_REGULARITY: (
        _NIGHT,
        gettext_lazy("On nights that ended a week with a sleep regularity index under %(cut)s (of -100 to 100)"),
    ),
    Metric.STEPS: (_DAY, gettext_lazy("On days under %(cut)s steps")),
    Metric.RESTING_HR: (_DAY, gettext_lazy("On days with a resting heart rate under %(cut)s bpm")),
    Metric.HRV_SDNN: (_DAY, gettext_lazy("On days with a heart-rate variability (SDNN) under %(cut)s ms")),
    Metric.HRV_RMSSD: (_DAY, gettext_lazy("On days with a heart-rate variability (RMSSD) under %(cut)s ms")),
}


def _cut(metric: str, value: float) -> str:
    if metric == Metric.SLEEP_TOTAL:
        return fmt_duration(value)
    if metric == Metric.STEPS:
        return fmt_number(round(value), 0)
    return fmt_number(value, 1 if value < 100 else 0)


def _when(kind: str, lag: int) -> str:
    if kind == _NIGHT:
        return _("the next day") if lag == 0 else _("the day after next")
    return _("the same day") if lag == 0 else _("the next day")


def _sentence(kind: str, to_clinician: bool) -> str:
    if kind == _NIGHT and to_clinician:
        return _(
            "%(opening)s, the client's mood %(when)s averaged %(points)s points %(direction)s than after the other "
            "nights (n = %(n)s nights, split at the client's middle value: %(below)s under it, %(above)s not; "
            "adjusted p = %(q)s)."
        )
    if kind == _NIGHT:
        return _(
            "%(opening)s, your mood %(when)s averaged %(points)s points %(direction)s than after the other nights "
            "(n = %(n)s nights, split at your middle value: %(below)s under it, %(above)s not; adjusted p = %(q)s)."
        )
    if to_clinician:
        return _(
            "%(opening)s, the client's mood %(when)s averaged %(points)s points %(direction)s than on the other "
            "days (n = %(n)s days, split at the client's middle value: %(below)s under it, %(above)s not; "
            "adjusted p = %(q)s)."
        )
    return _(
        "%(opening)s, your mood %(when)s averaged %(points)s points %(direction)s than on the other days "
        "(n = %(n)s days, split at your middle value: %(below)s under it, %(above)s not; adjusted p = %(q)s)."
    )


def say(insight: Insight, *, to_clinician: bool = False) -> str:
    """Put an insight in plain words with its numbers, e.g. "On nights under 6 hours' sleep, your mood the next
    day averaged 1.4 points lower than after the other nights (n = 63 nights, ...)".

    The client reads "your mood"; the care team (``to_clinician``) reads "the client's mood". A sleep measure
    speaks of nights and pairs a night with the day after it (lag 0) or the day after next (lag 1); the
    others speak of days, the same day (lag 0) or the next (lag 1).
    """
    kind, opening = OPENINGS.get(insight.metric, (_DAY, gettext_lazy("On days with %(measure)s under %(cut)s")))
    values = {"measure": Metric(insight.metric).label.lower(), "cut": _cut(insight.metric, insight.cut)}
    return _sentence(kind, to_clinician) % {
        "opening": str(opening) % values,
        "when": _when(kind, insight.lag),
        "points": fmt_number(abs(insight.difference), 1),
        "direction": _("lower") if insight.difference < 0 else _("higher"),
        "n": fmt_number(insight.n, 0),
        "below": fmt_number(insight.below, 0),
        "above": fmt_number(insight.above, 0),
        "q": fmt_number(insight.q, 3),
    }


CAUTION = gettext_lazy(
    "These go together in your own data; that does not show that one causes the other. "
    "Talk them over with your therapist before changing anything."
)
CAUTION_CLINICIAN = gettext_lazy(
    "These go together in the client's own data; that does not show that one causes the other. "
    "A starting point for a conversation, not a finding."
)
