"""Reliable change and NHS Talking Therapies paired outcomes."""

from __future__ import annotations

import math

from alongside.measures.library.types import AnswerError


def jacobson_truax(sd: float, reliability: float) -> float:
    """Return the Jacobson-Truax reliable change value 1.96 x SD x sqrt(2) x sqrt(1 - r), to two decimals.

    Jacobson NS, Truax P (1991). Clinical significance: a statistical approach to defining meaningful change in
    psychotherapy research. Journal of Consulting and Clinical Psychology 59(1):12-19.
    """
    if sd <= 0 or not 0 <= reliability < 1:
        raise ValueError("SD must be positive and reliability in [0, 1)")
    return round(1.96 * sd * math.sqrt(2) * math.sqrt(1 - reliability), 2)


def _score(name: str, value: object, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise AnswerError(f"{name} must be a whole number from 0 to {maximum}, not {value!r}")
    return value


def paired_outcome(phq9_first: int, phq9_last: int, gad7_first: int, gad7_last: int) -> dict[str, bool | None]:
    """Return the NHS Talking Therapies outcome of a pair of first and last PHQ-9 and GAD-7 scores.

    NHS England (2024), NHS Talking Therapies for anxiety and depression manual: caseness is PHQ-9 >= 10 or
    GAD-7 >= 8; recovery is caseness at the first score and not at the last (no recovery outcome when the
    first is below caseness); reliable improvement is a fall of at least the reliable change value (PHQ-9 6,
    GAD-7 4) on at least one measure with neither rising by that much; reliable deterioration is its mirror;
    reliable recovery is recovery with reliable improvement.
    """
    from alongside.measures.library import get

    phq9, gad7 = get("phq9"), get("gad7")
    assert phq9.caseness_value is not None
    assert gad7.caseness_value is not None
    assert phq9.reliable_change is not None
    assert gad7.reliable_change is not None
    phq_first = _score("PHQ-9 first", phq9_first, 27)
    phq_last = _score("PHQ-9 last", phq9_last, 27)
    gad_first = _score("GAD-7 first", gad7_first, 21)
    gad_last = _score("GAD-7 last", gad7_last, 21)

    def case(phq: int, gad: int) -> bool:
        return phq >= phq9.caseness_value or gad >= gad7.caseness_value  # type: ignore[operator]

    start, end = case(phq_first, gad_first), case(phq_last, gad_last)
    recovery = (not end) if start else None
    improved = [phq_first - phq_last >= phq9.reliable_change, gad_first - gad_last >= gad7.reliable_change]
    worse = [phq_last - phq_first >= phq9.reliable_change, gad_last - gad_first >= gad7.reliable_change]
    reliable_improvement = any(improved) and not any(worse)
    reliable_deterioration = any(worse) and not any(improved)
    return {
        "caseness_start": start,
        "caseness_end": end,
        "recovery": recovery,
        "reliable_improvement": reliable_improvement,
        "reliable_deterioration": reliable_deterioration,
        "reliable_recovery": None if recovery is None else (recovery and reliable_improvement),
    }
