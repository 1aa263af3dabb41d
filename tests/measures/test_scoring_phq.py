"""PHQ-9, PHQ-2, GAD-7, GAD-2 and PHQ-15 scoring, pinned to the published tables."""

from __future__ import annotations

import pytest

from alongside.measures.library import AnswerError, get, is_critical, reliable_change, score


def spread(total: int, n: int, top: int) -> list[int]:
    """Return n item values between 0 and top summing to total, filling the first items first."""
    values = []
    for _ in range(n):
        values.append(min(top, total))
        total -= values[-1]
    assert total == 0
    return values


# Kroenke, Spitzer & Williams 2001 (J Gen Intern Med 16:606): 0-4 minimal, 5-9 mild, 10-14 moderate,
# 15-19 moderately severe, 20-27 severe. Caseness >= 10: NHS Talking Therapies manual (2024).
PHQ9_BANDS = [
    (0, "minimal", False),
    (4, "minimal", False),
    (5, "mild", False),
    (9, "mild", False),
    (10, "moderate", True),
    (14, "moderate", True),
    (15, "moderately severe", True),
    (19, "moderately severe", True),
    (20, "severe", True),
    (27, "severe", True),
]


@pytest.mark.parametrize(("total", "severity", "caseness"), PHQ9_BANDS)
def test_phq9_bands_and_caseness(total, severity, caseness):
    """Both sides of every PHQ-9 band boundary and the caseness line at 10."""
    answers = [*spread(total, 8, 3), 0] if total <= 24 else spread(total, 9, 3)  # item 9 only when needed
    result = score("phq9", answers)
    assert (result.total, result.severity, result.caseness) == (total, severity, caseness)


def test_phq9_item_9_is_critical_above_zero():
    """Item 9 above 'Not at all' is critical (Kroenke 2001: the suicide-risk item)."""
    assert score("phq9", [0] * 8 + [1]).critical_items == [9]
    assert score("phq9", [3] * 8 + [0]).critical_items == []
    assert is_critical("phq9", "phq9-9", 1)
    assert not is_critical("phq9", "phq9-9", 0)
    assert not is_critical("phq9", "phq9-1", 3)


def test_phq9_difficulty_item_is_unscored_and_only_asked_when_total_above_zero():
    """Item 10 is asked 'if you checked off any problems' (Kroenke 2001 form) and does not count."""
    assert score("phq9", [1] + [0] * 8 + [3]).total == 1
    assert score("phq9", [1] + [0] * 8).total == 1  # optional: may be left off
    assert score("phq9", [0] * 9 + ["-"]).total == 0
    with pytest.raises(AnswerError, match=r"item 10 is asked only when the total is > 0"):
        score("phq9", [0] * 9 + [2])
    instrument = get("phq9")
    assert instrument.item("phq9-10") not in instrument.enabled_items({f"phq9-{i}": 0 for i in range(1, 10)})
    assert instrument.item("phq9-10") in instrument.enabled_items({"phq9-5": 1})


def test_phq9_fhir_form_of_the_difficulty_condition_matches_the_computed_one():
    """The Questionnaire says 'any item != 0'; the engine says '$total > 0': the same for every answer set."""
    import json

    from alongside.measures.library.loader import INSTRUMENTS_DIR

    raw = json.loads((INSTRUMENTS_DIR / "phq9.questionnaire.json").read_text())
    conditions = raw["item"][9]["enableWhen"]
    assert raw["item"][9]["enableBehavior"] == "any"
    assert {c["question"] for c in conditions} == {f"phq9-{i}" for i in range(1, 10)}
    assert {(c["operator"], c["answerCoding"]["code"]) for c in conditions} == {("!=", "0")}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8, r"expected 9 to 10 answers, got 8"),
        ([0] * 11, r"expected 9 to 10 answers, got 11"),
        ([4] + [0] * 8, r"item 1: 4 is not one of the answers \(0, 1, 2, 3\)"),
        ([-1] + [0] * 8, r"item 1: -1 is not one of the answers"),
        (["-"] + [0] * 8, r"required item\(s\) 1 not answered"),
        (["x"] + [0] * 8, r"'x' is not a whole number"),
    ],
)
def test_phq9_refuses_bad_answers(answers, message):
    """Missing required items, out-of-range values and junk are refused with one line."""
    with pytest.raises(AnswerError, match=message) as caught:
        score("phq9", answers)
    assert "\n" not in str(caught.value)


def test_phq9_by_link_id_and_unknown_ids():
    answers = {f"phq9-{i}": 1 for i in range(1, 10)}
    assert score("phq9", answers).total == 9
    with pytest.raises(AnswerError, match="no item called 'phq9-11'"):
        score("phq9", {**answers, "phq9-11": 1})


def test_phq9_metadata():
    """LOINC total 44261-6; reliable change 6 (NHS Talking Therapies manual)."""
    phq9 = get("phq9")
    assert phq9.loinc_total == "44261-6"
    assert reliable_change("phq9") == 6
    assert (phq9.total_min, phq9.total_max) == (0, 27)
    assert phq9.items[0].options[3].label == "Nearly every day"


# Spitzer et al. 2006 (Arch Intern Med 166:1092): 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
# Caseness >= 8: NHS Talking Therapies manual (2024).
GAD7_BANDS = [
    (0, "minimal", False),
    (4, "minimal", False),
    (5, "mild", False),
    (7, "mild", False),
    (8, "mild", True),
    (9, "mild", True),
    (10, "moderate", True),
    (14, "moderate", True),
    (15, "severe", True),
    (21, "severe", True),
]


@pytest.mark.parametrize(("total", "severity", "caseness"), GAD7_BANDS)
def test_gad7_bands_and_caseness(total, severity, caseness):
    result = score("gad7", spread(total, 7, 3))
    assert (result.total, result.severity, result.caseness, result.critical_items) == (
        total,
        severity,
        caseness,
        [],
    )


def test_gad7_reliable_change_and_loinc():
    """GAD-7 reliable change 4 (NHS Talking Therapies manual); LOINC total 70274-6."""
    assert reliable_change("gad7") == 4
    assert get("gad7").loinc_total == "70274-6"


@pytest.mark.parametrize(
    ("code", "answers", "positive"),
    [
        # Kroenke, Spitzer & Williams 2003 (Med Care 41:1284): PHQ-2 >= 3 screens positive.
        ("phq2", [1, 1], False),
        ("phq2", [2, 1], True),
        ("phq2", [3, 3], True),
        ("phq2", [0, 0], False),
        # Kroenke et al. 2007 (Ann Intern Med 146:317): GAD-2 >= 3 screens positive.
        ("gad2", [1, 1], False),
        ("gad2", [1, 2], True),
        ("gad2", [3, 3], True),
    ],
)
def test_two_item_screens(code, answers, positive):
    result = score(code, answers)
    assert result.total == sum(answers)
    assert result.caseness is positive
    assert result.severity is None  # no published bands
    assert reliable_change(code) is None


def test_two_item_screens_refuse_a_third_answer():
    with pytest.raises(AnswerError, match="expected 2 answers, got 3"):
        score("phq2", [1, 1, 1])


# Kroenke, Spitzer & Williams 2002 (Psychosom Med 64:258): 0-4 minimal, 5-9 low, 10-14 medium, 15-30 high.
PHQ15_BANDS = [(0, "minimal"), (4, "minimal"), (5, "low"), (9, "low"), (10, "medium"), (14, "medium")]
PHQ15_BANDS += [(15, "high"), (30, "high")]


@pytest.mark.parametrize(("total", "severity"), PHQ15_BANDS)
def test_phq15_bands(total, severity):
    result = score("phq15", spread(total, 15, 2))
    assert (result.total, result.severity) == (total, severity)
    assert result.extra["menstrual_item_applies"] is True


def test_phq15_menstrual_item_may_not_apply():
    """Item d is for women only; left blank it is out of the sum without prorating (Kroenke 2002)."""
    answers = [2] * 15
    answers[3] = None
    result = score("phq15", answers)
    assert result.total == 28
    assert result.extra["menstrual_item_applies"] is False
    assert get("phq15").items[3].prefix == "d"


def test_phq15_other_items_are_required():
    answers = [1] * 15
    answers[4] = None
    with pytest.raises(AnswerError, match=r"required item\(s\) e not answered"):
        score("phq15", answers)


def test_phq15_refuses_three():
    """PHQ-15 answers are 0-2 (Kroenke 2002)."""
    with pytest.raises(AnswerError, match="3 is not one of the answers"):
        score("phq15", [3] + [0] * 14)
