"""PCL-5, WHO-5, K10, DASS-21, PSS-10, AUDIT-C and WSAS scoring, pinned to their sources."""

from __future__ import annotations

import pytest

from alongside.measures.library import AnswerError, get, score


def spread(total: int, n: int, top: int, low: int = 0) -> list[int]:
    """Return n values between low and top summing to total, filling the first items first."""
    values = [low] * n
    rest = total - low * n
    for i in range(n):
        step = min(top - low, rest)
        values[i] += step
        rest -= step
    assert rest == 0
    return values


# ---- PCL-5: Weathers et al. 2013 (National Center for PTSD); cut-point 31-33, we use 33 (Bovin et al. 2016).


def test_pcl5_cluster_sums():
    """DSM-5 clusters: B items 1-5, C 6-7, D 8-14, E 15-20."""
    answers = [1] * 5 + [2] * 2 + [3] * 7 + [4] * 6
    result = score("pcl5", answers)
    assert result.total == 5 + 4 + 21 + 24
    assert result.subscales == {"cluster_b": 5, "cluster_c": 4, "cluster_d": 21, "cluster_e": 24}


PCL5_DIAGNOSIS = [
    # One B, one C, two D, two E items rated 2+ is the minimum for a provisional diagnosis.
    ([2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0], True),
    # An item rated 1 is not endorsed, whatever the total.
    ([1, 1, 1, 1, 1, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0], False),
    ([2, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0], False),
    ([2, 0, 0, 0, 0, 2, 0, 2, 1, 1, 1, 1, 1, 1, 2, 2, 0, 0, 0, 0], False),
    ([2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 4, 1, 1, 1, 1, 1], False),
    ([4] * 20, True),
]


@pytest.mark.parametrize(("answers", "diagnosis"), PCL5_DIAGNOSIS)
def test_pcl5_provisional_diagnosis(answers, diagnosis):
    assert score("pcl5", answers).extra["provisional_diagnosis"] is diagnosis


@pytest.mark.parametrize(("total", "above"), [(32, False), (33, True), (0, False), (80, True)])
def test_pcl5_cut_point(total, above):
    result = score("pcl5", spread(total, 20, 4))
    assert result.caseness is above
    assert result.extra["above_cut_point"] is above
    assert result.extra["cut_point"] == 33
    assert result.severity is None  # no published severity bands


def test_pcl5_a_high_total_without_the_symptom_pattern():
    """Total and symptom pattern are separate results: a total above the cut-point without any E symptom."""
    answers = [4] * 5 + [4, 4] + [4] * 7 + [1] * 6  # E cluster not endorsed
    result = score("pcl5", answers)
    assert result.caseness is True
    assert result.extra["provisional_diagnosis"] is False


# ---- WHO-5: Topp et al. 2015. Percentage = raw x 4; <= 50 poor wellbeing (raw < 13); <= 28 likely depression.
WHO5 = [
    (0, 0, "likely depression", True, True),
    (7, 28, "likely depression", True, True),
    (8, 32, "poor wellbeing", True, False),
    (12, 48, "poor wellbeing", True, False),
    (13, 52, None, False, False),
    (25, 100, None, False, False),
]


@pytest.mark.parametrize(("raw", "percentage", "severity", "poor", "depression"), WHO5)
def test_who5(raw, percentage, severity, poor, depression):
    result = score("who5", spread(raw, 5, 5))
    assert (result.total, result.extra["raw"], result.extra["percentage"]) == (percentage, raw, percentage)
    assert result.severity == severity
    assert result.caseness is poor
    assert result.extra["poor_wellbeing"] is poor
    assert result.extra["depression_screen_positive"] is depression


def test_who5_higher_is_better_and_ranges():
    who5 = get("who5")
    assert who5.higher_is_better
    assert (who5.total_min, who5.total_max) == (0, 100)
    assert who5.items[0].options[0].label == "All of the time"


# ---- K10: Kessler et al. 2002; bands from Andrews & Slade 2001: 10-15 low, 16-21 moderate, 22-29 high,
# 30-50 very high.
K10 = [(10, "low"), (15, "low"), (16, "moderate"), (21, "moderate"), (22, "high"), (29, "high")]
K10 += [(30, "very high"), (50, "very high")]


@pytest.mark.parametrize(("total", "severity"), K10)
def test_k10_bands(total, severity):
    result = score("k10", spread(total, 10, 5, low=1))
    assert (result.total, result.severity, result.caseness) == (total, severity, None)


def test_k10_answers_run_from_1_to_5():
    with pytest.raises(AnswerError, match="0 is not one of the answers"):
        score("k10", [0] + [1] * 9)


# ---- DASS-21: Lovibond & Lovibond 1995; subscale sums x 2; severity per subscale.
DEPRESSION = [3, 5, 10, 13, 16, 17, 21]
ANXIETY = [2, 4, 7, 9, 15, 19, 20]
STRESS = [1, 6, 8, 11, 12, 14, 18]


def dass(depression: int = 0, anxiety: int = 0, stress: int = 0) -> list[int]:
    """Return DASS-21 answers whose raw (undoubled) subscale sums are the given ones."""
    answers = [0] * 21
    for items, raw in ((DEPRESSION, depression), (ANXIETY, anxiety), (STRESS, stress)):
        for number, value in zip(items, spread(raw, 7, 3), strict=True):
            answers[number - 1] = value
    return answers


# (doubled score, band) on both sides of each published boundary.
DASS_BANDS = {
    "depression": [
        (8, "normal"),
        (10, "mild"),
        (12, "mild"),
        (14, "moderate"),
        (20, "moderate"),
        (22, "severe"),
        (26, "severe"),
        (28, "extremely severe"),
        (42, "extremely severe"),
    ],
    "anxiety": [
        (6, "normal"),
        (8, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (16, "severe"),
        (18, "severe"),
        (20, "extremely severe"),
        (42, "extremely severe"),
    ],
    "stress": [
        (14, "normal"),
        (16, "mild"),
        (18, "mild"),
        (20, "moderate"),
        (24, "moderate"),
        (26, "severe"),
        (32, "severe"),
        (34, "extremely severe"),
        (42, "extremely severe"),
    ],
}


@pytest.mark.parametrize(
    ("subscale", "doubled", "band"), [(s, d, b) for s, rows in DASS_BANDS.items() for d, b in rows]
)
def test_dass21_subscale_bands(subscale, doubled, band):
    result = score("dass21", dass(**{subscale: doubled // 2}))
    assert result.subscales[subscale] == doubled
    assert result.extra["subscale_severity"][subscale] == band


def test_dass21_subscales_are_doubled_and_assigned_to_the_right_items():
    result = score("dass21", dass(depression=5, anxiety=3, stress=7))
    assert result.subscales == {"depression": 10, "anxiety": 6, "stress": 14}
    assert result.total == 30
    assert result.severity is None
    assert result.extra["subscale_severity"] == {"depression": "mild", "anxiety": "normal", "stress": "normal"}


# ---- PSS-10: Cohen et al. 1983; items 4, 5, 7, 8 reverse-scored; bands low 0-13, moderate 14-26, high 27-40
# (common convention, see the scoring file).


def test_pss10_reverse_items():
    assert score("pss10", [0] * 10).total == 16  # the four positive items ticked 'Never' score 4 each
    assert score("pss10", [4] * 10).total == 24
    assert score("pss10", [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]).total == 0
    assert score("pss10", [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]).total == 40


def pss(total: int) -> list[int]:
    """Return PSS-10 answers (as ticked) with the given score."""
    scores = spread(total, 10, 4)
    return [4 - s if n in (4, 5, 7, 8) else s for n, s in enumerate(scores, 1)]


@pytest.mark.parametrize(
    ("total", "band"), [(0, "low"), (13, "low"), (14, "moderate"), (26, "moderate"), (27, "high"), (40, "high")]
)
def test_pss10_bands(total, band):
    result = score("pss10", pss(total))
    assert (result.total, result.severity) == (total, band)


# ---- AUDIT-C: Bush et al. 1998; cut-offs >= 4 men, >= 3 women (Bradley et al. 2007).
AUDITC = [
    ([1, 1, 0], "female", False),
    ([1, 1, 1], "female", True),
    ([1, 1, 1], "male", False),
    ([2, 1, 1], "male", True),
    ([4, 4, 4], "male", True),
    ([0, 0, 0], "female", False),
    ([2, 1, 1], None, None),
]


@pytest.mark.parametrize(("answers", "sex", "positive"), AUDITC)
def test_auditc_sex_specific_cut_off(answers, sex, positive):
    result = score("auditc", answers, sex=sex)
    assert result.total == sum(answers)
    assert result.caseness is positive
    assert result.extra["sex"] == sex
    assert result.extra["cut_off"] == {"male": 4, "female": 3, None: None}[sex]


def test_auditc_refuses_an_unknown_sex_and_other_instruments_refuse_context():
    with pytest.raises(AnswerError, match="sex must be 'male' or 'female'"):
        score("auditc", [1, 1, 1], sex="x")
    with pytest.raises(AnswerError, match="PHQ-2 takes no sex argument"):
        score("phq2", [1, 1], sex="female")


# ---- WSAS: Mundt et al. 2002; bands < 10 subclinical, 10-20 significant impairment, > 20 moderately severe.
WSAS = [(0, "subclinical"), (9, "subclinical"), (10, "significant impairment"), (20, "significant impairment")]
WSAS += [(21, "moderately severe or worse"), (40, "moderately severe or worse")]


@pytest.mark.parametrize(("total", "band"), WSAS)
def test_wsas_bands(total, band):
    result = score("wsas", spread(total, 5, 8))
    assert (result.total, result.severity) == (total, band)
    assert result.extra["work_item_applies"] is True


def test_wsas_work_item_may_not_apply():
    """Retired or not working: the work item is left out and the sum is not prorated (Mundt 2002)."""
    result = score("wsas", ["-", 5, 5, 5, 6])
    assert result.total == 21
    assert result.severity == "moderately severe or worse"
    assert result.extra["work_item_applies"] is False
    assert "prorated" not in result.extra


def test_wsas_other_items_are_required_and_range_is_0_to_8():
    with pytest.raises(AnswerError, match=r"required item\(s\) 2 not answered"):
        score("wsas", [1, "-", 1, 1, 1])
    with pytest.raises(AnswerError, match="9 is not one of the answers"):
        score("wsas", [9, 1, 1, 1, 1])
