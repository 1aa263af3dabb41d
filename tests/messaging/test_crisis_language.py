"""Crisis-language detection: the phrase table, normalisation, the denial guard and robustness."""

from __future__ import annotations

import random
import time
import unicodedata

import pytest

from alongside.messaging.crisis_language import (
    PATTERNS,
    CrisisCategory,
    CrisisMatch,
    detect,
    is_crisis,
    normalize,
)

SI = CrisisCategory.SUICIDAL_IDEATION
PLAN = CrisisCategory.SUICIDE_PLAN_OR_INTENT
SH = CrisisCategory.SELF_HARM
HOPE = CrisisCategory.HOPELESSNESS
BYE = CrisisCategory.GOODBYE_OR_FINALITY
HTO = CrisisCategory.HARM_TO_OTHERS

# (phrase as a client might write it, a category it must raise)
POSITIVES: list[tuple[str, CrisisCategory]] = [
    # English
    ("I want to kill myself", SI),
    ("sometimes i think about killing my self", SI),
    ("honestly i could just kms", SI),
    ("I've thought about how to unalive myself", SI),
    ("I just want to end my life.", SI),
    ("I want to END IT ALL", SI),
    ("i wanna die", SI),
    ("I want to dieeee", SI),
    ("I wish I was dead", SI),
    ("I wish I'd never been born", SI),
    ("i dont want to live anymore", SI),
    ("I don\u2019t want to be alive", SI),
    ("I hope I don't wake up tomorrow", SI),
    ("Everyone says I'd be better off dead", SI),
    ("I've been feeling SUICIDAL again", SI),
    ("been having sucidal thoughts", SI),
    ("thinking about suicide a lot", SI),
    ("I'm going to kill myself tonight", PLAN),
    ("I've made a plan to end it tonight, I'll take my own life", PLAN),
    ("I have a plan to die this weekend", PLAN),
    ("I keep thinking I could hang myself", PLAN),
    ("I want to jump off the bridge", PLAN),
    ("I'm going to take all my pills", PLAN),
    ("I've been stockpiling my meds", PLAN),
    ("I took an over-dose last year and feel like doing it again", PLAN),
    ("I hurt myself again last night", SH),
    ("I've been cutting myself", SH),
    ("the urge to self-harm is strong", SH),
    ("I relapsed and started cutting again.", SH),
    ("I want to slit my wrists", SH),
    ("there is no reason to live", HOPE),
    ("I have nothing left to live for", HOPE),
    ("I can't go on like this", HOPE),
    ("I CANNOT GO ON.", HOPE),
    ("i cant take it anymore", HOPE),
    ("My family would be better off without me", HOPE),
    ("it would be easier if I wasn't here", HOPE),
    ("I want to say goodbye to everyone", BYE),
    ("By the time you read this it will be over", BYE),
    ("This is my last message", BYE),
    ("I won't be around much longer", BYE),
    ("I've been giving away my things", BYE),
    ("I want to kill him", HTO),
    ("sometimes I think about hurting my baby", HTO),
    ("I'm going to shoot up the school", HTO),
    # Spanish
    ("Quiero MORÍRME", SI),
    ("me quiero morir", SI),
    ("ojalá estuviera muerta", SI),
    ("pienso en matarme", SI),
    ("me voy a matar", SI),
    ("He pensado en el suicidio", SI),
    ("tengo ideas suicidas", SI),
    ("quiero suicidarme", SI),
    ("quiero quitarme la vida", SI),
    ("quiero acabar con todo", SI),
    ("voy a acabar con mi vida", PLAN),
    ("ya no quiero vivir", SI),
    ("no quiero seguir viviendo", SI),
    ("estaría mejor muerto", SI),
    ("sería mejor muerta", SI),
    ("esta noche voy a suicidarme", PLAN),
    ("he pensado en ahorcarme", PLAN),
    ("quiero tirarme desde el puente", PLAN),
    ("me voy a tomar todas mis pastillas", PLAN),
    ("tuve una sobredosis", PLAN),
    ("quiero hacerme daño", SH),
    ("volví a cortarme", SH),
    ("me corto los brazos", SH),
    ("me autolesiono cuando estoy triste", SH),
    ("no tengo ninguna razón para vivir", HOPE),
    ("Ya no puedo más", HOPE),
    ("todos estarían mejor sin mí", HOPE),
    ("quiero despedirme de todos", BYE),
    ("cuando leas esto ya será tarde", BYE),
    ("ya no estaré aquí", BYE),
    ("quiero matar a alguien", HTO),
    ("lo voy a matar", HTO),
    # Mixed language, odd spacing, punctuation and lookalike characters
    ("ok so basically quiero morir, like for real", SI),
    ("I  want\n\tto   die", SI),
    ("kill-my-self", SI),
    ("\uff4b\uff49\uff4c\uff4c \uff4d\uff59\uff53\uff45\uff4c\uff46", SI),  # fullwidth
    ("kill\u200bmyself", SI),
    ("QUIERO MORI\u0301RME", SI),
]

# Everyday phrases that must not alert.
NEGATIVES: list[str] = [
    "",
    "   ",
    "Had a good day today, went for a walk.",
    "This homework is killing me",
    "I could die of embarrassment",
    "I'm dying to see that movie",
    "I killed it at my presentation!",
    "I was killing myself laughing at that show",
    "My phone died again",
    "I cut myself shaving this morning",
    "I hurt myself at the gym",
    "I want to cut my hair short",
    "I want to dye my hair blue",
    "I ran 5 kms today",
    "I can't go on the trip next week",
    "I want to take my life back",
    "I'm going to end it with him, he's not good for me",
    "Just finished my medication course, feeling better",
    "I'm not suicidal, just tired",
    "No suicidal thoughts this week",
    "I said goodbye to my sister at the airport",
    "As I said in my last message, Tuesday works",
    "I hurt her feelings and I feel bad",
    "The new plan at work is to cut costs",
    "Me voy a cortar el pelo mañana",
    "Me corté el dedo cocinando",
    "Se me cortó la llamada",
    "Me muero de risa con este video",
    "Estoy muerta de cansancio",
    "Quiero acabar con todo este trabajo hoy",
    "No quiero despertarme temprano mañana",
    "No soy suicida, solo estoy cansada",
    "No tengo pensamientos suicidas",
    "Me hice daño en la rodilla jugando al fútbol",
    "Hoy hice mis ejercicios de respiración",
    "Mi último mensaje era sobre la cita del martes",
    "Despedí a mi hermana en el aeropuerto",
]


def _categories(text: str) -> set[CrisisCategory]:
    return {m.category for m in detect(text)}


@pytest.mark.parametrize(("text", "category"), POSITIVES)
def test_crisis_phrases_alert_with_their_category(text, category):
    """Each phrase in the table is detected, with the category we expect among its matches."""
    assert is_crisis(text), text
    assert category in _categories(text), (text, detect(text))


@pytest.mark.parametrize("text", NEGATIVES)
def test_everyday_phrases_do_not_alert(text):
    """Ordinary messages, figures of speech and explicit denials raise nothing."""
    assert detect(text) == [], (text, detect(text))
    assert not is_crisis(text)


def test_the_tables_are_big_enough():
    assert len(POSITIVES) >= 40
    assert len(NEGATIVES) >= 25
    languages = {m.language for text, _ in POSITIVES for m in detect(text)}
    assert languages == {"en", "es"}


def test_every_pattern_id_is_unique_and_well_formed():
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))
    for pattern in PATTERNS:
        assert pattern.language in {"en", "es"}
        assert pattern.id.startswith(f"{pattern.language}.")
        assert isinstance(pattern.category, CrisisCategory)


def test_every_pattern_matches_at_least_one_positive_example():
    """No dead patterns: each entry in the table is exercised by a phrase above."""
    hit = {m.pattern_id for text, _ in POSITIVES for m in detect(text)}
    dead = sorted({p.id for p in PATTERNS} - hit)
    assert dead == []


def test_every_category_is_covered_in_both_languages():
    covered = {(p.language, p.category) for p in PATTERNS}
    for language in ("en", "es"):
        for category in CrisisCategory:
            assert (language, category) in covered, (language, category)


# --- deliberate choices: when in doubt, alert ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to die",
        "No quiero morir",
        "I'd never kill myself, but sometimes I think about it",
        "Don't worry, I'm not going to kill myself",
        "I'm not really suicidal",
        "I'm not actively suicidal",
        "I'm not suicidal but I want to die",
    ],
)
def test_ambivalent_or_hedged_denials_alert_deliberately(text):
    """Only plain denials of being suicidal are guarded; fear, hedges and mixed messages alert."""
    assert is_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "ugh I want to die, that was so embarrassing",
        "We watched Suicide Squad last night",
        "I'll kill myself if I fail this exam lol",
        "Quiero morir de vergüenza",
        "I'm going to kill him if he's late again",
    ],
)
def test_figurative_uses_of_crisis_words_alert_deliberately(text):
    """Hyperbole that uses the crisis words themselves alerts: a clinician reads it in a minute."""
    assert is_crisis(text)


def test_denial_guard_only_suppresses_the_denied_phrase():
    """'Not suicidal' hides that phrase only; the rest of the message is still checked."""
    matches = detect("I'm not suicidal. But I have been cutting myself.")
    assert [m.pattern_id for m in matches] == ["en.hurt_myself"]
    assert not detect("i am NOT suicidal")
    assert not detect("Nunca he sido suicida")


def test_both_languages_are_checked_in_one_message():
    matches = detect("I can't go on, ya no puedo más")
    assert {m.language for m in matches} == {"en", "es"}


# --- normalisation and offsets ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Quiero MORÍRME", "quiero morirme"),
        ("QUIERO MORI\u0301RME", "quiero morirme"),
        ("I\u2019m  \n fine", "i'm fine"),
        ("self\u2014harm", "self harm"),
        ("  padded\t", "padded"),
        ("ha\u00adrm", "harm"),
        ("Straße", "strasse"),
        ("daño más", "dano mas"),
    ],
)
def test_normalize(raw, normalized):
    assert normalize(raw) == normalized


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Today: I want to END IT ALL, honestly.", "END IT ALL"),
        ("Hola. Quiero MORÍRME.", "Quiero MORÍRME"),
        ("x QUIERO MORI\u0301RME", "QUIERO MORI\u0301RME"),
        ("Straße, then kill\u200bmyself now", "kill\u200bmyself"),
        ("a\n\n  b  I   wanna   die", "wanna   die"),
    ],
)
def test_offsets_point_into_the_original_text(text, phrase):
    """start/end are offsets in the text as written, not in the normalised text."""
    spans = [text[m.start : m.end] for m in detect(text)]
    assert phrase in spans


def test_match_is_a_frozen_record_without_the_text():
    match = detect("I want to die")[0]
    assert isinstance(match, CrisisMatch)
    assert match.pattern_id == "en.want_to_die"
    assert match.category == "suicidal_ideation"
    assert set(vars(match)) == {"pattern_id", "category", "language", "start", "end"}
    with pytest.raises(AttributeError):
        match.start = 0  # type: ignore[misc]


def test_matches_come_in_text_order():
    matches = detect("ya no puedo más. I want to die. me quiero morir")
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    assert len(matches) >= 3


# --- robustness -----------------------------------------------------------------------------


def _random_text(rng: random.Random, length: int) -> str:
    pools = [
        "abcdefghijklmnopqrstuvwxyz ÁÉÍÓÚÑáéíóúñü'\u2019-\u2014_\n\t ",
        "".join(chr(c) for c in range(0x0300, 0x0370)),  # combining marks
        "\u200b\u200d\u00ad\ufeff\u2028\u2029\x00\x1b\x7f",
        "\U0001d424\U0001d422\U0001d425\U0001d425\uff4b\uff49\uff4c\uff4c\u0130\u0131\u0149\u01c5\ufb01\ufffc\ufffd",
        "😀👨‍👩‍👧🇪🇸",
    ]
    out = []
    for _ in range(length):
        pool = rng.choice(pools)
        out.append(rng.choice(pool))
        if rng.random() < 0.01:
            out.append(chr(rng.randrange(0xD800, 0xE000)))  # lone surrogates are valid str
        if rng.random() < 0.01:
            out.append(chr(rng.randrange(0, 0x110000)))
    return "".join(out)


def _assert_valid(text: str, matches: list[CrisisMatch]) -> None:
    assert isinstance(matches, list)
    for m in matches:
        assert 0 <= m.start < m.end <= len(text)
        assert m.category in CrisisCategory
        assert m.language in {"en", "es"}


def test_fuzz_never_raises_and_offsets_stay_in_bounds():
    """Random unicode (marks, surrogates, controls, emoji, lookalikes) never raises."""
    rng = random.Random(20240601)
    for _ in range(300):
        text = _random_text(rng, rng.randrange(0, 400))
        matches = detect(text)
        _assert_valid(text, matches)
        assert is_crisis(text) == bool(matches)
    phrases = [p for p, _ in POSITIVES]
    for _ in range(200):
        text = _random_text(rng, 30) + rng.choice(phrases) + _random_text(rng, 30)
        _assert_valid(text, detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "\u0301" * 1000,
        "\u200b" * 1000,
        "\U0010ffff",
        "'" * 500,
        "-" * 500,
        "".join(chr(c) for c in range(0x20, 0x3000)),
        "".join(chr(c) for c in range(0xD700, 0xE100)),
    ],
)
def test_odd_inputs_never_raise(text):
    _assert_valid(text, detect(text))


def test_a_slice_of_every_unicode_plane_never_raises():
    for start in range(0, 0x110000, 0x8000):
        chunk = "".join(chr(c) for c in range(start, start + 0x1000))
        _assert_valid(chunk, detect(chunk))


def test_huge_messages_are_checked_to_the_end_in_reasonable_time():
    """A crisis phrase at the end of a 1 MB message is still found, without catastrophic backtracking.

    Measured at about 5 s per MB on a shared 2-core machine (regex scans dominate); client
    messages are a few KB, so this guards against pathological slowness, not a timing target.
    """
    fillers = ("lorem ipsum dolor " * 60_000, "a" * 200_000, "no " * 70_000, "kill my " * 25_000, "quiero " * 30_000)
    for filler in fillers:
        text = filler + " I want to die"
        began = time.perf_counter()
        matches = detect(text)
        elapsed = time.perf_counter() - began
        assert any(m.pattern_id == "en.want_to_die" for m in matches)
        assert elapsed < 20  # generous on a shared 2-core machine; real messages are tiny


def test_non_str_input_does_not_raise():
    """Typed as str, but a caller's mistake must not break the crisis pathway."""
    assert detect(None) == []  # type: ignore[arg-type]
    assert detect(12) == []  # type: ignore[arg-type]
    assert is_crisis(b"I want to die")  # type: ignore[arg-type]
    assert is_crisis(b"quiero morir \xff")  # type: ignore[arg-type]


def test_normalized_text_has_no_combining_marks_or_runs_of_space():
    rng = random.Random(7)
    for _ in range(100):
        out = normalize(_random_text(rng, 200))
        assert "  " not in out
        assert not any(unicodedata.combining(c) for c in out)
