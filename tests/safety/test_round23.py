"""The kinds of phrasing probe 23 missed, in wordings the probe does not use (issue #13).

Probe 23 (polite, understated portal messages to a therapist) was written and committed
before the detector ran on it. Its misses were read as kinds: "suicide" used as a verb after
a word of intent, a decision reported before the act, affairs written down so someone "can
manage after", a place where nobody would find the client, a non-stopping train "due", self-
harm resumed named by its instrument, a weapon taken where others are, something slipped
into another person's drink, and in Spanish "no le veo salida" and medicines being saved up.
"""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety.result import Level

URGENT = [
    ("en", "i'm going to suicide on friday"),
    ("en", "I have made my decision, I will end it all soon"),
    ("en", "left the pin numbers in an envelope so my wife could cope without me"),
    ("en", "there's a lake up north where no one will ever find me"),
    ("en", "at the station now, a freight train is coming"),
    ("en", "I want to spike my landlord's coffee with something"),
    ("es", "estoy juntando mis calmantes desde hace un mes"),
    ("es", "le voy a echar veneno en la comida a mi jefe"),
    ("es", "dejé las claves anotadas para que mi hija pueda arreglarse cuando ya no esté"),
    ("es", "conozco un sitio donde nadie me encontraría"),
    # Urgent lines the round-22 detector called review (probes 21-23, read together).
    ("en", "Monday I am bringing a knife into the office. They will see."),
    ("en", "We still have grandad's rifle in the attic. I have been thinking about it."),
    ("en", "The codeine from my dentist is still in the bathroom cabinet and I keep thinking about it."),
    ("es", "llevo dos semanas ahorrando mis somníferos"),
    # Sexual coercion by a partner.
    ("en", "my partner pressures me into sleeping with him"),
    ("en", "my husband keeps guilting me into sex"),
]

REVIEW_AT_LEAST = [
    ("en", "went back to my old ways with the sharpener"),
    ("en", "got out the blades again last night"),
    ("en", "he said he's taking a gun to school tomorrow, and he meant himself"),
    ("es", "ya no tengo salida"),
    ("es", "voy a llevar una navaja al colegio"),
]

# Guards (they pass before the change too): the same words in everyday use.
NONE = [
    ("en", "I bring my chef's knife to work on Saturdays"),
    ("en", "the express is due at nine, I'll be on it to see you"),
    ("en", "I'm taking the bread knife to my sister's house for the party"),
    ("es", "no encuentro la salida del estacionamiento"),
    ("es", "estoy guardando la ropa de invierno en el armario"),
]


@pytest.mark.parametrize(("language", "text"), URGENT)
def test_intent_preparation_and_harm_to_others_kinds_are_urgent(language: str, text: str) -> None:
    """Intent with "suicide" as a verb, affairs left for after, a hiding place, a through train, poisoning, coercion: urgent."""
    assert safety.detect(text, language=language).level is Level.URGENT


@pytest.mark.parametrize(("language", "text"), REVIEW_AT_LEAST)
def test_resumed_self_harm_weapons_and_no_way_out_alert(language: str, text: str) -> None:
    """Self-harm resumed by its instrument, a weapon taken where others are, no way out: at least review."""
    assert safety.detect(text, language=language).level >= Level.REVIEW


@pytest.mark.parametrize(("language", "text"), NONE)
def test_the_same_words_in_everyday_use_raise_nothing(language: str, text: str) -> None:
    """A chef's knife at work, a train to catch, a car park exit, winter clothes put away: nothing."""
    assert safety.detect(text, language=language).level is Level.NONE


# Context said after the match, a joke closed by "ha", an ordinary reason for an absence: review, not urgent.
LOWERED_TO_REVIEW = [
    ("en", "Urges to cut haven't come back since October"),
    ("en", "suicidal thoughts have not crossed my mind this month"),
    ("en", "if he eats my leftovers again I'll murder him, ha"),
    ("en", "I won't be around for our next session, I'm away on a business trip"),
    ("es", "no voy a estar en la próxima sesión, estoy de viaje de trabajo"),
]

# Still urgent: what is denied is the stopping, or there is no ordinary reason.
STILL_URGENT = [
    ("en", "the thoughts of killing myself haven't stopped"),
    ("en", "I won't be around for our next session. Thank you for everything."),
]


@pytest.mark.parametrize(("language", "text"), LOWERED_TO_REVIEW)
def test_negation_after_jokes_and_ordinary_absences_are_review(language: str, text: str) -> None:
    """A denial said after the risk words, "ha" closing a threat, a trip as the reason: lowered to review, never silenced."""
    assert safety.detect(text, language=language).level is Level.REVIEW


@pytest.mark.parametrize(("language", "text"), STILL_URGENT)
def test_ongoing_thoughts_and_bare_goodbyes_stay_urgent(language: str, text: str) -> None:
    """Thoughts that "haven't stopped" and a goodbye with no reason given stay urgent."""
    assert safety.detect(text, language=language).level is Level.URGENT
