"""NHS Talking Therapies paired outcomes and reliable change values."""

from __future__ import annotations

import math

import pytest

from alongside.measures.library import AnswerError, all_instruments, get, jacobson_truax, paired_outcome

KEYS = (
    "caseness_start",
    "caseness_end",
    "recovery",
    "reliable_improvement",
    "reliable_deterioration",
    "reliable_recovery",
)

# NHS England (2024), NHS Talking Therapies for anxiety and depression manual: caseness PHQ-9 >= 10 or
# GAD-7 >= 8; recovery = caseness at first and not at last; reliable improvement = a fall of >= 6 (PHQ-9) or
# >= 4 (GAD-7) on at least one measure with no reliable rise on the other; deterioration its mirror;
# reliable recovery = recovery and reliable improvement. Rows: (phq9 first, last, gad7 first, last) -> outcome.
OUTCOMES = [
    # Recovered with a reliable fall on both.
    ((15, 5, 12, 4), (True, False, True, True, False, True)),
    # PHQ-9 falls by exactly 6: reliable. By 5: not.
    ((12, 6, 5, 5), (True, False, True, True, False, True)),
    ((12, 7, 5, 5), (True, False, True, False, False, False)),
    # GAD-7 falls by exactly 4: reliable. By 3: not.
    ((5, 5, 11, 7), (True, False, True, True, False, True)),
    ((5, 5, 10, 7), (True, False, True, False, False, False)),
    # Caseness lines: PHQ-9 9 / GAD-7 7 are below; PHQ-9 10 or GAD-7 8 alone is caseness.
    ((10, 9, 0, 0), (True, False, True, False, False, False)),
    ((0, 0, 8, 7), (True, False, True, False, False, False)),
    ((9, 9, 7, 7), (False, False, None, False, False, None)),
    # Not at caseness at the start: no recovery outcome, but improvement is still computed.
    ((9, 2, 7, 1), (False, False, None, True, False, None)),
    ((9, 3, 7, 7), (False, False, None, True, False, None)),
    # Still at caseness at the end: reliable improvement without recovery.
    ((24, 14, 18, 12), (True, True, False, True, False, False)),
    # One measure improves reliably, the other deteriorates reliably: neither outcome.
    ((20, 10, 4, 8), (True, True, False, False, False, False)),
    ((6, 12, 15, 5), (True, True, False, False, False, False)),
    # Deterioration: PHQ-9 rises by exactly 6 / GAD-7 by exactly 4; one point less is not reliable.
    ((4, 10, 3, 3), (False, True, None, False, True, None)),
    ((4, 9, 3, 3), (False, False, None, False, False, None)),
    ((4, 4, 3, 7), (False, False, None, False, True, None)),
    ((4, 4, 3, 6), (False, False, None, False, False, None)),
    # Deteriorating from caseness: not recovered, reliably worse.
    ((12, 20, 9, 9), (True, True, False, False, True, False)),
    # A fall on one measure and a small (unreliable) rise on the other still counts as improvement.
    ((18, 9, 6, 9), (True, True, False, True, False, False)),
    # Extremes.
    ((27, 0, 21, 0), (True, False, True, True, False, True)),
    ((0, 27, 0, 21), (False, True, None, False, True, None)),
]


@pytest.mark.parametrize(("scores", "expected"), OUTCOMES)
def test_paired_outcome(scores, expected):
    assert paired_outcome(*scores) == dict(zip(KEYS, expected, strict=True))


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ((28, 0, 0, 0), "PHQ-9 first must be a whole number from 0 to 27"),
        ((0, -1, 0, 0), "PHQ-9 last must be a whole number from 0 to 27"),
        ((0, 0, 22, 0), "GAD-7 first must be a whole number from 0 to 21"),
        ((0, 0, 0, 1.5), "GAD-7 last must be a whole number from 0 to 21"),
        ((True, 0, 0, 0), "PHQ-9 first must be a whole number"),
    ],
)
def test_paired_outcome_refuses_impossible_scores(scores, message):
    with pytest.raises(AnswerError, match=message):
        paired_outcome(*scores)


def test_jacobson_truax_formula():
    """Jacobson & Truax 1991: RC = 1.96 x SD x sqrt(2) x sqrt(1 - r)."""
    assert jacobson_truax(5.0, 0.84) == round(1.96 * 5 * math.sqrt(2) * 0.4, 2) == 5.54
    assert jacobson_truax(10.0, 0.0) == 27.72
    with pytest.raises(ValueError, match="reliability"):
        jacobson_truax(5.0, 1.0)


def test_every_instrument_has_a_reliable_change_or_says_why_not():
    """A published value carries its source; None carries a note on why nothing is published."""
    expected = {"phq9": 6, "gad7": 4, "core10": 6, "pcl5": 15}
    for instrument in all_instruments():
        assert instrument.reliable_change == expected.get(instrument.code), instrument.code
        assert len(instrument.reliable_change_source) > 20, instrument.code
    assert "Talking Therapies" in get("phq9").reliable_change_source
    assert "Connell" in get("core10").reliable_change_source
