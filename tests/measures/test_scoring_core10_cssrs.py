"""CORE-10 (reverse items, prorating, risk item) and the C-SSRS screener (branching, triage)."""

from __future__ import annotations

import pytest

from alongside.measures.library import AnswerError, get, is_critical, reliable_change, score


def core10(total: int) -> list[int]:
    """Return CORE-10 answers (as ticked) whose clinical score is `total`, with item 6 at 0.

    Items 2 and 3 are reverse-scored, so they are ticked 4 ('Most or all of the time') to score 0.
    """
    answers = [0, 4, 4, 0, 0, 0, 0, 0, 0, 0]
    for index in (0, 3, 4, 6, 7, 8, 9, 1, 2):
        if total == 0:
            break
        step = min(4, total)
        answers[index] = step if index not in (1, 2) else 4 - step
        total -= step
    assert total == 0
    return answers


# Barkham et al. 2013 (Couns Psychother Res 13:3): healthy 0-5, low 6-10, mild 11-14, moderate 15-19,
# moderate-severe 20-24, severe 25-40; clinical cut-off 11.
CORE10_BANDS = [
    (0, "healthy", False),
    (5, "healthy", False),
    (6, "low", False),
    (10, "low", False),
    (11, "mild", True),
    (14, "mild", True),
    (15, "moderate", True),
    (19, "moderate", True),
    (20, "moderate-severe", True),
    (24, "moderate-severe", True),
    (25, "severe", True),
    (36, "severe", True),
]


@pytest.mark.parametrize(("total", "severity", "caseness"), CORE10_BANDS)
def test_core10_bands_and_cut_off(total, severity, caseness):
    result = score("core10", core10(total))
    assert (result.total, result.severity, result.caseness, result.critical_items) == (
        total,
        severity,
        caseness,
        [],
    )


def test_core10_items_2_and_3_are_reverse_scored():
    """Barkham 2013: items 2 and 3 are positively keyed; 'Not at all' scores 4."""
    assert score("core10", [0] * 10).total == 8
    assert score("core10", [0, 4, 4] + [0] * 7).total == 0
    assert score("core10", [4] * 10).total == 32


def test_core10_prorates_one_missing_item():
    """Connell & Barkham 2007: clinical score = mean x 10, allowed with one item missing."""
    answers = core10(13)
    answers[9] = None  # item 10 was 0
    result = score("core10", answers)
    assert result.total == 14.4  # 13 / 9 x 10 = 14.44, reported to one decimal
    assert result.severity == "mild"
    assert result.extra["prorated"] is True
    assert result.extra["missing_items"] == [10]


def test_core10_prorated_scores_at_the_cut_off():
    """Prorated scores fall on tenths; bands and the cut-off of 11 apply to the unrounded score (Barkham 2013)."""
    result = score("core10", [3, 4, 4, 0, 0, 0, 0, 3, 2, None])  # item scores sum to 8: 8 / 9 x 10 = 8.9
    assert (result.total, result.severity) == (8.9, "low")
    result = score("core10", [3, 4, 4, 3, 1, 0, 1, 1, 0, None])  # 9 / 9 x 10 = 10
    assert (result.total, result.severity, result.caseness) == (10, "low", False)
    result = score("core10", [4, 4, 4, 3, 1, 0, 1, 1, 0, None])  # 10 / 9 x 10 = 11.1
    assert (result.total, result.severity, result.caseness) == (11.1, "mild", True)


def test_core10_refuses_two_missing_items():
    answers = [1] * 10
    answers[0] = answers[1] = None
    with pytest.raises(AnswerError, match=r"required item\(s\) 1, 2 not answered \(at most 1 may be left out\)"):
        score("core10", answers)


def test_core10_item_6_is_critical_above_zero():
    """Barkham 2013: item 6 ('I made plans to end my life') is the risk item."""
    answers = core10(0)
    answers[5] = 1
    assert score("core10", answers).critical_items == [6]
    assert is_critical("core10", "core10-6", 1)
    assert not is_critical("core10", "core10-6", 0)
    assert get("core10").item("core10-6").critical


def test_core10_reliable_change_and_range():
    """Connell & Barkham 2007: a 6-point change is reliable."""
    assert reliable_change("core10") == 6
    assert (get("core10").total_min, get("core10").total_max) == (0, 40)


def test_core10_refuses_five():
    with pytest.raises(AnswerError, match="5 is not one of the answers"):
        score("core10", [5] + [0] * 9)


# Columbia Lighthouse Project, C-SSRS Screen Version with triage points: yes to 1 or 2 low; yes to 3 moderate;
# yes to 4 or 5 high; yes to 6 more than 3 months ago moderate, within 3 months high. Answers: 1-6, then 6a.
CSSRS = [
    ([0, 0, "-", "-", "-", 0, "-"], "none", []),
    ([1, 0, "-", "-", "-", 0, "-"], "low", []),
    ([1, 1, 0, 0, 0, 0, "-"], "low", []),
    ([0, 1, 0, 0, 0, 0, "-"], "low", []),
    ([1, 1, 1, 0, 0, 0, "-"], "moderate", [3]),
    ([1, 1, 1, 1, 0, 0, "-"], "high", [3, 4]),
    ([1, 1, 0, 0, 1, 0, "-"], "high", [5]),
    ([0, 0, "-", "-", "-", 1, 0], "moderate", [6]),
    ([0, 0, "-", "-", "-", 1, 1], "high", [6, 7]),
    ([1, 1, 1, 0, 0, 1, 1], "high", [3, 6, 7]),
]


@pytest.mark.parametrize(("answers", "risk", "critical"), CSSRS)
def test_cssrs_triage(answers, risk, critical):
    result = score("cssrs", answers)
    assert result.extra["risk_level"] == risk
    assert result.critical_items == critical
    assert result.total is None  # a screen, not a scale
    assert result.caseness is None


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        # Questions 3-5 are asked only after a yes to question 2.
        ([1, 0, 1, "-", "-", 0, "-"], r"item 3 is asked only when item 2 = 1"),
        ([1, 0, 0, 0, 0, 0, "-"], r"item 3 is asked only when item 2 = 1"),
        # After a yes to question 2, questions 3-5 must be answered.
        ([1, 1, "-", "-", "-", 0, "-"], r"required item\(s\) 3, 4, 5 not answered"),
        # Question 6 is always asked; 6a only after a yes to 6.
        ([0, 0, "-", "-", "-", "-", "-"], r"required item\(s\) 6 not answered"),
        ([0, 0, "-", "-", "-", 0, 1], r"item 6a is asked only when item 6 = 1"),
        ([0, 0, "-", "-", "-", 1, "-"], r"required item\(s\) 6a not answered"),
        ([2, 0, "-", "-", "-", 0, "-"], r"item 1: 2 is not one of the answers \(0, 1\)"),
    ],
)
def test_cssrs_branching_errors(answers, message):
    with pytest.raises(AnswerError, match=message):
        score("cssrs", answers)


def test_cssrs_enabled_items_follow_question_2():
    cssrs = get("cssrs")
    asked = [i.prefix for i in cssrs.enabled_items({"cssrs-1": 1, "cssrs-2": 0, "cssrs-6": 0})]
    assert asked == ["1", "2", "6"]
    asked = [i.prefix for i in cssrs.enabled_items({"cssrs-2": 1, "cssrs-6": 1})]
    assert asked == ["1", "2", "3", "4", "5", "6", "6a"]


def test_cssrs_critical_answers_are_those_meaning_moderate_or_high_risk():
    assert not is_critical("cssrs", "cssrs-1", 1)
    assert not is_critical("cssrs", "cssrs-2", 1)
    for link_id in ("cssrs-3", "cssrs-4", "cssrs-5", "cssrs-6", "cssrs-6a"):
        assert is_critical("cssrs", link_id, 1)
        assert not is_critical("cssrs", link_id, 0)
    assert reliable_change("cssrs") is None
