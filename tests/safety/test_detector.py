"""The crisis-language detector: the examples issue #13 says today's detector misses, context, levels."""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety import Category, Context, Level

URGENT = [
    # Disguised spellings.
    ("k!ll myself", Category.SUICIDE_IDEATION),
    ("having su1c1de thoughts again", Category.SUICIDE_IDEATION),
    ("s u i c i d e is all I think about, I feel suicidal", Category.SUICIDE_IDEATION),
    ("i just wanna d1e", Category.SUICIDE_IDEATION),
    ("I want to diiiiie", Category.SUICIDE_IDEATION),
    ("\uff4b\u0456ll m\u0443self", Category.SUICIDE_IDEATION),  # fullwidth k, Cyrillic i and y look-alikes
    # Word forms and orders.
    ("I've started giving my things away", Category.GOODBYE_OR_FINALITY),
    ("I'm going to end it this weekend", Category.PLAN_OR_PREPARATION),
    ("I keep thinking about stepping in front of the train", Category.PLAN_OR_PREPARATION),
    # Indirect plans, means, preparation.
    ("there's a rope in the closet", Category.MEANS),
    ("I've been saving my pills", Category.MEANS),
    ("I wrote letters to the children, just in case", Category.GOODBYE_OR_FINALITY),
    ("I've been writing a will", Category.GOODBYE_OR_FINALITY),
    ("I won't be around for our next session", Category.GOODBYE_OR_FINALITY),
    ("I'm standing on a bridge", Category.PLAN_OR_PREPARATION),
    ("I can't keep myself safe tonight", Category.PLAN_OR_PREPARATION),
    ("💊💊💊 tonight", Category.MEANS),
    # Self-harm, past tense and slang, both languages.
    ("sh'd last night", Category.SELF_HARM),
    ("I burned my arm", Category.SELF_HARM),
    ("me volví a cortar", Category.SELF_HARM),
    ("me quemé el brazo con un cigarro", Category.SELF_HARM),
    # Threats against anyone.
    ("I'm going to kill my stepdad", Category.HARM_TO_OTHERS),
    ("I want to hurt my coworker", Category.HARM_TO_OTHERS),
    # Danger and abuse, the new category.
    ("he hit me", Category.DANGER_ABUSE),
    ("he choked me", Category.DANGER_ABUSE),
    ("I'm not safe at home", Category.DANGER_ABUSE),
    ("me amenazó con un cuchillo", Category.DANGER_ABUSE),
]


@pytest.mark.parametrize(("text", "category"), URGENT)
def test_what_clients_actually_write_is_urgent(text, category):
    """Each of the issue's missed examples is found, urgent, in the right category."""
    result = safety.detect(text)
    assert result.level is Level.URGENT, result.evidence()
    assert category in result.categories


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("no thoughts of hurting myself", Context.NEGATED),
        ("I'd never hurt myself", Context.NEGATED),
        ("one year without self harm", Context.NEGATED),
        ("I used to wish I was dead", Context.HISTORICAL),
        ("I used to cut myself in high school", Context.HISTORICAL),
        ("what if I ever wanted to kill myself", Context.HYPOTHETICAL),
        ("my friend says she feels suicidal", Context.OTHER_PERSON),
        ("nunca me haría daño", Context.NEGATED),
        ("hace años me cortaba", Context.HISTORICAL),
    ],
)
def test_context_lowers_to_review_but_never_removes_the_match(text, context):
    """Negation, history, hypotheticals and other people make an alert "review", never silence."""
    result = safety.detect(text)
    assert result.level is Level.REVIEW, result.evidence()
    assert any(context in hit.contexts for hit in result.hits)


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I'm dying to see the new season",
        "can we move our session to Thursday?",
        "I did the thought record homework",
        "me muero de risa con este video",
        "me corté el pelo y me siento renovada",
        "I keep my medication in the kitchen cupboard",
    ],
)
def test_figurative_and_everyday_talk_does_not_alert(text):
    """Figurative speech and everyday homework or scheduling talk raise nothing."""
    assert safety.detect(text).level is Level.NONE


def test_passive_ideation_is_review():
    """Passive ideation and hopelessness go to the clinician's list as review."""
    assert safety.detect("I wish I was dead").level is Level.REVIEW
    assert safety.detect("everyone would be better off without me").level is Level.REVIEW


def test_the_last_48_hours_make_a_timing_phrase_urgent():
    """ "Tonight's the night" after "I've been saving my pills" is urgent; on its own it is not."""
    assert safety.detect("tonight's the night").level is Level.NONE
    result = safety.detect("tonight's the night", history=["I've been saving my pills"])
    assert result.level is Level.URGENT
    assert result.from_history


def test_the_evidence_names_patterns_context_and_the_classifier():
    """A clinician can see why: the family, the phrase, the n-grams and the nearest examples."""
    evidence = safety.detect("I have been saving my pills", explain=True).evidence()
    assert evidence["patterns"][0]["id"] == "en.save_pills"
    assert evidence["classifier"]["top_ngrams"]
    assert evidence["classifier"]["nearest"]


def test_a_risk_sentence_buried_in_a_long_everyday_message_is_raised_for_review() -> None:
    """The classifier scores each sentence too, so everyday talk around one passive-ideation
    sentence does not dilute it below the threshold (whole message alone: about 0.49)."""
    text = (
        "the kids had swimming on monday and tuesday was the dentist, then my brother came round for dinner "
        "and we watched the match and argued about the car again. honestly some nights i think it would be "
        "easier for everyone if i just never woke up. anyway the worksheet is done, see you on friday at four"
    )
    result = safety.detect(text)
    assert result.level is safety.Level.REVIEW
    assert not result.hits  # no phrase pattern: the sentence score raised it
    assert result.classifier is not None
    assert result.classifier.probability > 0.9
