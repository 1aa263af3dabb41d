"""The recommended configuration is a pure function of the readiness answers (a table of cases)."""

from __future__ import annotations

import pytest

from alongside.applibrary.readiness import ReadinessAnswers, recommend

PHONE = {"devices": ["smartphone"]}

# (answers, low_bandwidth, discreet, reminders, large_text, paper_pack)
CASES = [
    (PHONE, False, False, True, False, False),
    ({**PHONE, "connectivity": "patchy"}, True, False, True, False, False),
    ({**PHONE, "data_limited": True}, True, False, True, False, False),
    ({**PHONE, "connectivity": "rare"}, True, False, True, False, False),
    ({**PHONE, "phone_seen_by_others": "sometimes"}, False, True, True, False, False),
    ({**PHONE, "phone_seen_by_others": "yes"}, False, True, False, False, False),
    ({**PHONE, "device_shared": True}, False, True, True, False, False),
    ({**PHONE, "prompts": ["controlling_partner"]}, False, True, True, False, False),
    ({**PHONE, "wants_reminders": False}, False, False, False, False, False),
    ({**PHONE, "access_needs": ["large_text"]}, False, False, True, True, False),
    ({**PHONE, "access_needs": ["reading_support"]}, False, False, True, True, False),
    ({**PHONE, "access_needs": ["captions"]}, False, False, True, False, False),
    ({"devices": []}, False, False, True, False, True),
    ({"devices": ["basic_phone"]}, False, False, True, False, True),
    ({**PHONE, "formats": ["paper"]}, False, False, True, False, True),
    ({"devices": ["computer"], "connectivity": "rare", "phone_seen_by_others": "yes"}, True, True, False, False, False),
]


@pytest.mark.parametrize(("answers", "low", "discreet", "reminders", "large", "paper"), CASES)
def test_configuration_follows_the_answers(answers, low, discreet, reminders, large, paper):
    """Each answer turns on only the setting it calls for; reminders go off when others read the phone."""
    config = recommend(ReadinessAnswers.model_validate(answers))
    assert (config.low_bandwidth, config.discreet, config.reminders, config.large_text, config.paper_pack) == (
        low,
        discreet,
        reminders,
        large,
        paper,
    )


def test_every_setting_that_departs_from_the_default_says_why():
    """A reason is given for each setting turned on, and for reminders turned off."""
    config = recommend(
        ReadinessAnswers.model_validate({"devices": [], "connectivity": "patchy", "phone_seen_by_others": "yes"})
    )
    assert set(config.reasons) == {"low_bandwidth", "discreet", "reminders", "paper_pack"}


@pytest.mark.parametrize(
    ("ratings", "total"),
    [([1] * 8, 8), ([5] * 8, 40), ([1, 2, 3, 4, 5, 4, 3, 2], 24), ([5] * 7, None), ([0] + [3] * 7, None), ([], None)],
)
def test_eheals_total_is_the_sum_of_eight_items_or_nothing(ratings, total):
    """eHEALS (Norman & Skinner 2006): eight items rated 1-5 summed to 8-40; an incomplete or out-of-range set has no total."""
    assert ReadinessAnswers(eheals=ratings).eheals_total == total


def test_unknown_answers_are_refused():
    """A value outside the choices never reaches the rules."""
    with pytest.raises(ValueError, match="connectivity"):
        ReadinessAnswers.model_validate({"connectivity": "satellite"})
