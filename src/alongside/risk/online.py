"""Score one client in plain Python when a new score or check-in arrives: the same features and formulas as the
Ibis expressions in alongside.risk.features (a test checks that both agree on a synthetic population).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alongside.risk.features import CAP, FEATURES, WINDOW


@dataclass
class History:
    """One client's events, as whole days since their first session (the extract's schema, for one client)."""

    checkins: list[int] = field(default_factory=list)
    sessions: list[tuple[int, str]] = field(default_factory=list)  # (day, attended|missed|cancelled)
    homework: list[tuple[int, bool]] = field(default_factory=list)  # (day due, done)
    client_messages: list[int] = field(default_factory=list)
    scores: list[tuple[int, int, str, float]] = field(default_factory=list)  # (day, number, measure, total)


@dataclass
class Result:
    """The dropout probability, each feature's value and contribution, and the latest PHQ-9 position."""

    dropout: float
    features: dict[str, float]
    contributions: dict[str, float]
    phq9_total: float | None = None
    phq9_expected: float | None = None
    phq9_upper: float | None = None
    phq9_session: int | None = None
    not_on_track: bool = False

    def top_factors(self, n: int = 3) -> list[str]:
        """The features that raised the dropout risk most, largest first (only those that raised it)."""
        ranked = sorted(self.contributions.items(), key=lambda kv: kv[1], reverse=True)
        return [name for name, value in ranked[:n] if value > 0]


def _since(days: Sequence[int], as_of: int) -> float:
    recent = [d for d in days if as_of - WINDOW < d <= as_of]
    return float(min(as_of - max(recent), CAP)) if recent else float(CAP)


def features(h: History, as_of: int) -> dict[str, float]:
    """Return the dropout model's features for ``h`` at day ``as_of``."""
    c14 = sum(1 for d in h.checkins if as_of - 14 < d <= as_of)
    prev = sum(1 for d in h.checkins if as_of - 28 < d <= as_of - 14)
    due = sorted((d, done) for d, done in h.homework if as_of - WINDOW < d <= as_of)
    last3 = due[-3:]
    phq = sorted((n, total) for d, n, m, total in h.scores if m == "phq9" and d <= as_of)
    return {
        "days_since_checkin": _since(h.checkins, as_of),
        "checkins_14": float(c14),
        "checkin_trend": float(c14 - prev),
        "homework_missed_3": float(sum(1 for _, done in last3 if not done)),
        "sessions_missed_56": float(sum(1 for d, s in h.sessions if as_of - WINDOW < d <= as_of and s != "attended")),
        "days_since_message": _since(h.client_messages, as_of),
        "phq9_change": float(phq[-1][1] - phq[0][1]) if phq else 0.0,
        "weeks_in_care": as_of / 7.0,
    }


def band_at(model: Mapping[str, Any], measure: str, intake: float, number: int) -> dict[str, float]:
    """Return the model's quantiles (low, median, high) of the total at administration ``number``."""
    out = {}
    for row in model["quantiles"]:
        if row["measure"] == measure and row["low"] <= intake <= row["high"]:
            out[row["q"]] = row["a"] + row["b"] * math.log(number) + row["c"] * intake
    return out


def score(h: History, as_of: int, not_model: Mapping[str, Any], drop_model: Mapping[str, Any]) -> Result:
    """Score one client at day ``as_of`` with the two (loaded, evaluated) models."""
    values = features(h, as_of)
    contributions = {
        name: (values[name] - drop_model["means"][name]) / drop_model["scales"][name] * drop_model["coefficients"][name]
        for name in FEATURES
    }
    logit = drop_model["intercept"] + sum(contributions.values())
    result = Result(dropout=1.0 / (1.0 + math.exp(-logit)), features=values, contributions=contributions)
    phq = sorted((n, total) for d, n, m, total in h.scores if m == "phq9" and d <= as_of)
    intake = [total for n, total in phq if n == 1]
    if intake and phq[-1][0] >= 2:
        number, total = phq[-1]
        band = band_at(not_model, "phq9", intake[0], number)
        if "high" in band:
            result.phq9_total, result.phq9_session = total, number
            result.phq9_expected, result.phq9_upper = band.get("median"), band["high"]
            result.not_on_track = total > band["high"]
    return result
