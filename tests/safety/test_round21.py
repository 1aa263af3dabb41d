"""The kinds of phrasing probes 17 to 22 missed, read together, in wordings no probe uses (issue #13).

Each probe was written before the detector ran on it. Its misses were grouped by kind (a death
word named as the plan, looking up what would be lethal, affairs settled "so nobody is left
with it", self-harm "again" or "until it bleeds", means hidden, a non-stopping train, love and
an apology passed on, a dropped vowel; from probe 22: a means within reach, "nice knowing you",
an injury threatened by someone) and became general families; these are new wordings.
"""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety.result import Level

URGENT = [
    "dying on sunday is the plan",
    "suicide is my plan now",
    "researched what amount of insulin is lethal",
    "googled how much paracetamol would be deadly",
    "cleared out my flat so no one is stuck with my stuff",
    "paid every bill so nobody has to deal with it after",
    "practising tying the knot in the garage",
    "waiting on the platform for the non stop train to come through",
    "my pills are hidden under the mattress",
    "investigué qué cantidad es letal",
    "pagué todas mis deudas para que nadie tenga que pagar nada",
    # round 22
    "my razor is in my hand",
    "dads pills are next to me",
    "well. it was nice knowing you all",
    "been an honour knowing everyone",
    "she said she'd break my arm if i talked",
    "my uncle told me he would put me in the grave if i said anything",
]

REVIEW_AT_LEAST = [
    "cutting again, week three",
    "i want to kill myslf",
    "dile a mi novia que lo siento",
]

# Guards (they pass before the change too): the same words in everyday use.
NONE = [
    "standing on the platform, the train is late again",
    "the plan is to finish the essay tonight",
    "we are tying the knot in june!",
    "it was nice knowing you at the conference",
    "the knife is next to the cutting board",
    "I'd kill for a nap honestly",
    "tell my boss im sorry, i'll be late",
]


@pytest.mark.parametrize("text", URGENT)
def test_plan_means_and_preparation_kinds_are_urgent(text: str) -> None:
    """A death word as the plan, lethality looked up, affairs settled, means hidden: urgent."""
    assert safety.detect(text).level is Level.URGENT


@pytest.mark.parametrize("text", REVIEW_AT_LEAST)
def test_self_harm_goodbyes_and_dropped_vowels_alert(text: str) -> None:
    """Self-harm again or until it bleeds, a relayed goodbye, a dropped vowel: at least review."""
    assert safety.detect(text).level >= Level.REVIEW


@pytest.mark.parametrize("text", NONE)
def test_the_same_words_in_everyday_use_raise_nothing(text: str) -> None:
    """Platforms, plans, looking things up and things kept in a folder are not risk."""
    assert safety.detect(text).level is Level.NONE
