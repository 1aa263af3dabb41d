"""Everyday short messages are not crisis alerts, and short crisis messages still are (issue #13).

Before this round the classifier alone raised "Message 3 of the profile." to urgent (p 0.90 on
"of" and "mes"), and about 1 in 100 lines like "Message 4f73fd from client-19." to review.
"""

from __future__ import annotations

import random

import pytest

from alongside import safety
from alongside.safety.result import Level

EVERYDAY = [
    "Message 3 of the profile.",
    "Message 12 of the day.",
    "Message 6 of 8.",
    "Out of tea again.",
    "Noted, thanks.",
    "Sounds good to me.",
    "Goodbye for now, see you Monday.",
    "Last message of the day, goodnight.",
    "Saying goodbye to my neighbour who moved.",
    "Mensaje 3 del perfil.",
    "Último mensaje del día, buenas noches.",
    "Adiós por ahora, hasta el lunes.",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_short_line_raises_nothing(text: str) -> None:
    """Scheduling, thanks, numbers and ordinary goodbyes are not alerts, let alone urgent ones."""
    assert safety.detect(text).level is Level.NONE


def test_lines_with_ids_raise_nothing() -> None:
    """A message naming a hexadecimal id and a client number is never an alert (was about 1 in 100)."""
    rng = random.Random(13)  # repeatable ids
    texts = [f"Message {rng.getrandbits(24):06x} from client-{rng.randint(1, 99)}." for _ in range(300)]
    assert [t for t in texts if safety.detect(t).alert] == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight.",
        "Me voy a matar esta noche.",
        "He hit me again tonight.",
        "kill-my-self",
    ],
)
def test_short_crisis_lines_still_alert(text: str) -> None:
    """A short message with a crisis phrase is still raised: the short-text bar only applies to the classifier alone."""
    assert safety.detect(text).alert


def test_a_short_classifier_only_alert_is_review_not_urgent() -> None:
    """Six words or fewer with no phrase pattern: the classifier may raise review, never urgent alone."""
    found = safety.detect("done with everything tonight")  # ("tonight i take them all" now meets a pattern)
    assert found.hits == ()
    assert found.level is Level.REVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Cutting right now, can't stop.",
        "tonight i take them all",
        "pills are lined up on the table",
        "Picked the bridge for Friday.",
        "Ya elegí el puente para el viernes.",
        "Este fin de semana acabo con todo.",
        "Me estoy cortando ahora mismo",
    ],
)
def test_short_plans_and_self_harm_happening_now_are_urgent(text: str) -> None:
    """Short lines naming self-harm now, pills set out, a chosen place or a time are urgent by a phrase pattern
    (probe 15's misses, and the two the short-text bar silenced, as the general phenomenon)."""
    found = safety.detect(text)
    assert found.hits
    assert found.level is Level.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "I'm cutting the onions now",
        "We picked the restaurant for Friday",
        "Elegí el restaurante para el viernes",
        "Este fin de semana acabo con todo el papeleo",
        "I wrote my note for school already?",
    ],
)
def test_their_everyday_neighbours_raise_nothing(text: str) -> None:
    """The same shapes about onions, restaurants, paperwork and school notes do not alert."""
    assert not safety.detect(text).alert
