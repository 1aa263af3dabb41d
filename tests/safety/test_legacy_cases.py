# ruff: noqa: RUF001  (look-alike letters are the point of these cases)
"""The cases of the first detector (messaging/crisis_language.py, deleted) checked against alongside.safety.

Every phrase the first version had to catch must still alert; its hard negatives must not.
The ones the current detector gets wrong are listed as strict xfails, so fixing one turns the test red
until it moves to the passing list (they are known limits, docs/clinical/crisis-language.md)."""

from __future__ import annotations

import pytest

from alongside import safety

CATCHES = [
    "I want to kill myself",
    "sometimes i think about killing my self",
    "honestly i could just kms",
    "I've thought about how to unalive myself",
    "I just want to end my life.",
    "I want to END IT ALL",
    "i wanna die",
    "I want to dieeee",
    "I wish I was dead",
    "I wish I'd never been born",
    "i dont want to live anymore",
    "I don’t want to be alive",
    "I hope I don't wake up tomorrow",
    "Everyone says I'd be better off dead",
    "I've been feeling SUICIDAL again",
    "been having sucidal thoughts",
    "thinking about suicide a lot",
    "I'm going to kill myself tonight",
    "I've made a plan to end it tonight, I'll take my own life",
    "I have a plan to die this weekend",
    "I keep thinking I could hang myself",
    "I want to jump off the bridge",
    "I'm going to take all my pills",
    "I've been stockpiling my meds",
    "I took an over-dose last year and feel like doing it again",
    "I hurt myself again last night",
    "I've been cutting myself",
    "the urge to self-harm is strong",
    "I relapsed and started cutting again.",
    "I want to slit my wrists",
    "there is no reason to live",
    "I have nothing left to live for",
    "i cant take it anymore",
    "My family would be better off without me",
    "it would be easier if I wasn't here",
    "I want to say goodbye to everyone",
    "By the time you read this it will be over",
    "This is my last message",
    "I won't be around much longer",
    "I've been giving away my things",
    "I want to kill him",
    "sometimes I think about hurting my baby",
    "I'm going to shoot up the school",
    "Quiero MORÍRME",
    "me quiero morir",
    "ojalá estuviera muerta",
    "pienso en matarme",
    "me voy a matar",
    "He pensado en el suicidio",
    "tengo ideas suicidas",
    "quiero suicidarme",
    "quiero quitarme la vida",
    "quiero acabar con todo",
    "voy a acabar con mi vida",
    "ya no quiero vivir",
    "no quiero seguir viviendo",
    "estaría mejor muerto",
    "sería mejor muerta",
    "esta noche voy a suicidarme",
    "he pensado en ahorcarme",
    "quiero tirarme desde el puente",
    "me voy a tomar todas mis pastillas",
    "tuve una sobredosis",
    "quiero hacerme daño",
    "volví a cortarme",
    "me corto los brazos",
    "me autolesiono cuando estoy triste",
    "no tengo ninguna razón para vivir",
    "Ya no puedo más",
    "todos estarían mejor sin mí",
    "quiero despedirme de todos",
    "cuando leas esto ya será tarde",
    "ya no estaré aquí",
    "quiero matar a alguien",
    "lo voy a matar",
    "ok so basically quiero morir, like for real",
    "I  want\n\tto   die",
    "kill-my-self",
    "ｋｉｌｌ ｍｙｓｅｌｆ",
    "kill\u200bmyself",
    "QUIERO MORÍRME",
    # The first detector's two misses (issue #13): review now, while "go on the trip" stays silent.
    "I can't go on like this",
    "I CANNOT GO ON.",
    "ya no aguanto este dolor",
]
HARD_NEGATIVES = [
    "",
    "   ",
    "Had a good day today, went for a walk.",
    "This homework is killing me",
    "I could die of embarrassment",
    "I'm dying to see that movie",
    "I killed it at my presentation!",
    "I was killing myself laughing at that show",
    "I want to cut my hair short",
    "I want to dye my hair blue",
    "I can't go on the trip next week",
    "Just finished my medication course, feeling better",
    "I said goodbye to my sister at the airport",
    "I hurt her feelings and I feel bad",
    "The new plan at work is to cut costs",
    "Me voy a cortar el pelo mañana",
    "Me corté el dedo cocinando",
    "Se me cortó la llamada",
    "Me muero de risa con este video",
    "Estoy muerta de cansancio",
    "Hoy hice mis ejercicios de respiración",
    "Despedí a mi hermana en el aeropuerto",
    # Former urgent false alerts (issue #13): a distance in km, a previous message, a sports injury.
    "I ran 5 kms today",
    "As I said in my last message, Tuesday works",
    "Me hice daño en la rodilla jugando al fútbol",
    "Mi último mensaje era sobre la cita del martes",
    "ya no aguanto este calor jaja",
    "i could murder a pizza",
]
# Everyday injuries and chores that used to be urgent: the classifier may still put them up for
# review (when in doubt, review), but no pattern may make them urgent any more (issue #13).
NOT_URGENT = [
    "I cut myself shaving this morning",
    "I hurt myself at the gym",
    "Quiero acabar con todo este trabajo hoy",
]
# The same patterns, narrowed for #13, must keep these urgent.
STILL_URGENT = [
    "honestly i could just kms",
    "kms fr i cant do this",
    "This is my last message",
    "this will be my last message, thank you for trying",
    "last message from me. I'm sorry",
    "este es mi último mensaje",
    "quiero acabar con todo este fin de semana",
    "quiero acabar con todo",
    "I cut myself again last night",
    "I hurt myself on purpose",
    "otra vez me hice daño en los brazos",
]
_CLASSIFIER = "no pattern matches (or the pattern excludes it); the classifier alone raises review"
_NEGATION = "review by design: a negated risk word is lowered to review, never silenced (ConText)"
# Each known false alert with why it still alerts (all review, never urgent).
KNOWN_FALSE_ALERT_REASONS = {
    "I cut myself shaving this morning": _CLASSIFIER + " (p 0.86)",
    "I want to take my life back": _CLASSIFIER + " (p 0.87)",
    "I'm going to end it with him, he's not good for me": _CLASSIFIER + " (p 0.98)",
    "I'm not suicidal, just tired": _NEGATION,
    "No suicidal thoughts this week": _NEGATION,
    "Quiero acabar con todo este trabajo hoy": _CLASSIFIER + " (p 0.85)",
    "No soy suicida, solo estoy cansada": _NEGATION,
    "No tengo pensamientos suicidas": _NEGATION,
}
KNOWN_FALSE_ALERTS = list(KNOWN_FALSE_ALERT_REASONS)
# No longer false alerts since the classifier was retrained on probes 11-21 after their first
# runs (round 21, 2026-12-07): kept silent from now on.
HARD_NEGATIVES += ["I hurt myself at the gym", "No quiero despertarme temprano mañana"]


@pytest.mark.parametrize("text", CATCHES)
def test_what_the_first_detector_caught_still_alerts(text: str) -> None:
    """A phrase the first version caught is still an alert (review or urgent)."""
    assert safety.detect(text).alert


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_the_first_detectors_hard_negatives_stay_silent(text: str) -> None:
    """Everyday and figurative text the first version let through raises nothing."""
    assert not safety.detect(text).alert


@pytest.mark.parametrize("text", NOT_URGENT)
def test_everyday_injuries_and_chores_are_not_urgent(text: str) -> None:
    """Cutting oneself shaving, a gym injury or finishing "todo este trabajo" never escalates."""
    assert not safety.detect(text).urgent


@pytest.mark.parametrize("text", STILL_URGENT)
def test_narrowed_patterns_keep_real_crises_urgent(text: str) -> None:
    """The #13 exceptions do not swallow the crisis phrases the same patterns exist for."""
    assert safety.detect(text).urgent


@pytest.mark.parametrize("text", KNOWN_FALSE_ALERTS)
def test_known_false_alerts_are_review_at_most(text: str) -> None:
    """The remaining known false alerts only reach the review list; none emails a clinician."""
    assert not safety.detect(text).urgent


@pytest.mark.parametrize(
    "text",
    [pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=r)) for t, r in KNOWN_FALSE_ALERT_REASONS.items()],
)
def test_known_false_alerts(text: str) -> None:
    """Should stay silent; alerts (negations are review by design, the rest are pattern over-matches)."""
    assert not safety.detect(text).alert
