"""Urgent is not under-called: plans, means and timing written without a listed phrase (issue #13)."""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety.result import Level

URGENT_WITHOUT_A_PHRASE = [
    "I looked up how many of my pills it would take",
    "i keep the knife under my pillow now, just in case i decide",
    "gonna make my manager pay for this, i've got a plan and he won't see it coming",
]


@pytest.mark.parametrize("text", URGENT_WITHOUT_A_PHRASE)
def test_the_level_model_raises_a_plan_or_means_to_urgent(text: str) -> None:
    """A plan, means or preparation the patterns do not name is urgent, and the alert says why."""
    found = safety.detect(text)
    assert found.level is Level.URGENT
    assert found.classifier is not None
    assert found.classifier.urgency is not None
    assert any("level model" in note for note in found.notes)


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to end it with him, he's not good for me",
        "I don't want to die, I want things to change",
        "my friend told me she wants to kill herself, what do I do?",
    ],
)
def test_a_break_up_a_denial_or_someone_elses_risk_is_never_raised_to_urgent(text: str) -> None:
    """The level model leaves a break-up, a negated risk word and another person's risk at review at most."""
    assert safety.detect(text).level <= Level.REVIEW
