"""Compile the English and Spanish pattern families and find them in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from alongside.safety import forms, patterns_en, patterns_es
from alongside.safety import normalize as normalize_module
from alongside.safety.result import Category, Level


@dataclass(frozen=True)
class Family:
    id: str
    language: str
    category: Category
    level: Level
    regex: re.Pattern[str]
    anchors: frozenset[str]  # every match contains at least one of these words


@dataclass(frozen=True)
class Found:
    family: Family
    start: int
    end: int
    phrase: str


SOURCES = {"en": patterns_en, "es": patterns_es}


@cache
def families() -> tuple[Family, ...]:
    compiled = []
    for language, module in SOURCES.items():
        for family_id, category, level, source in module.FAMILIES:
            regex = re.compile(forms.expand(source, language, module.PIECES))
            compiled.append(Family(family_id, language, category, level, regex, _anchors(regex.pattern)))
    return tuple(compiled)


# Words too common to gate a family on: a match made only of these would be no signal.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COMMON = _words(
    "the and a an to of in on at for with my i i'm im me is it it's this that be am are was were you he she they "
    "we our your his her their have has had do did not no so just all but or if as by from up out about "
    "el la los las un una y de en con por para mi yo es que se lo le su sus si ya muy "
    "been can could would much week weeks kids sister brother work hav going want really still esta "
    "este mejor semana siento trabajo estoy tengo al te home next says thought mood move hice ninos"
)
_SHORT_ANCHORS = frozenset({"sh", "od", "ex", "bf", "gf"})  # two-letter words that can carry a match
# Pieces that name people, places, body parts and times: never an anchor on their own.
_SLOT_PIECES = ("when", "target", "abuser", "place", "body", "cuando", "lugar", "agresor", "cuerpo", "otro")
_LITERAL = re.compile(r"(?<!\\)[a-z]{2,}")


@cache
def _slot_words() -> frozenset[str]:
    words: set[str] = set()
    for module in SOURCES.values():
        for name in _SLOT_PIECES:
            words.update(_LITERAL.findall(re.sub(r"\\[a-zA-Z]", " ", module.PIECES.get(name, ""))))
    return frozenset(words)


# Words frequent in everyday text (and, as prefixes, in many longer words) that made families
# scan ordinary messages: dropped from a top-level alternative's anchors when the alternative
# keeps another anchor. The list is what survives a check that the matches found on the whole
# corpus, every probe and the bench texts are unchanged (end, keep, like, night, time, when... did not; the strings of tests/safety are checked too).
_FREQUENT = _words(
    "again back being bit came come cuando day days del dia doing down each estar esto ever feel feeling get gets "
    "goes good got hacer here last les long made make might mis more morning mucho near need new off one past "
    "poco quiero ready see set siempre sin some sorry take than there think through toda todas took unas use voy went"
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (split on ``|`` outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _words_of(pattern: str) -> frozenset[str]:
    without_escapes = re.sub(r"\\[a-zA-Z]", " ", pattern)
    words = frozenset(_LITERAL.findall(without_escapes)) - _COMMON - _slot_words()
    return frozenset(w for w in words if len(w) > 2 or w in _SHORT_ANCHORS)


def _anchors(pattern: str) -> frozenset[str]:
    """The literal words of a compiled pattern, minus common words and slot words.

    Per top-level alternative, frequent words (``_FREQUENT``) are left out when the alternative
    has other anchors, so that an everyday word does not send the text through the family.
    """
    anchors: set[str] = set()
    for alternative in _alternatives(pattern):
        words = _words_of(alternative)
        anchors |= (words - _FREQUENT) or words
    return frozenset(anchors)


_TOKEN = re.compile(r"[a-z]+")


def lemmas() -> dict[str, set[str]]:
    """The lemmas each language's patterns use (for ``alongside safety train``)."""
    out: dict[str, set[str]] = {}
    for language, module in SOURCES.items():
        used: set[str] = set()
        for _id, _category, _level, source in module.FAMILIES:
            used |= forms.lemmas_in(source)
        for piece in module.PIECES.values():
            used |= forms.lemmas_in(piece)
        out[language] = used - set(module.PIECES)
    return out


@cache
def vocabulary() -> frozenset[str]:
    """Words the patterns can match, used to undo stretched letters ("killll")."""
    words: set[str] = set()
    for family in families():
        words.update(re.findall(r"[a-z]{3,}", re.sub(r"\\[a-zA-Z]", " ", family.regex.pattern)))
    return frozenset(words)


@cache
def typos() -> dict[str, str]:
    return normalize_module.typo_map(vocabulary())


def normalize(text: str) -> str:
    """Normalise ``text`` for these patterns (stretched letters and typos of their words fixed)."""
    return normalize_module.normalize(text, vocabulary=vocabulary(), typos=typos())


WINDOW = 160  # characters either side of an anchor word that a match can reach


@cache
def _anchor_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for number, family in enumerate(families()):
        for anchor in family.anchors:
            index.setdefault(anchor, []).append(number)
    return {anchor: tuple(numbers) for anchor, numbers in index.items()}


_WORD_FAMILIES: dict[str, tuple[int, ...]] = {}


def _families_of(word: str) -> tuple[int, ...]:
    """The families with an anchor that ``word`` starts with (remembered per word)."""
    found = _WORD_FAMILIES.get(word)
    if found is None:
        index = _anchor_index()
        numbers: set[int] = set()
        for length in range(2, len(word) + 1):
            numbers.update(index.get(word[:length], ()))
        found = tuple(sorted(numbers))
        if len(_WORD_FAMILIES) < 100_000:
            _WORD_FAMILIES[word] = found
    return found


def _spans(normalized: str) -> dict[int, list[tuple[int, int]]]:
    """Per family, the merged stretches of text around its anchor words."""
    starts_by_word: dict[str, list[int]] = {}
    for token in _TOKEN.finditer(normalized):
        starts_by_word.setdefault(token.group(0), []).append(token.start())
    positions: dict[int, list[int]] = {}
    for word, starts in starts_by_word.items():
        for number in _families_of(word):
            positions.setdefault(number, []).extend(starts)
    size = len(normalized)
    spans: dict[int, list[tuple[int, int]]] = {}
    for number, starts in positions.items():
        merged: list[tuple[int, int]] = []
        for position in sorted(set(starts)):
            low, high = max(0, position - WINDOW), min(size, position + WINDOW)
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
        spans[number] = merged
    return spans


def _word_end(text: str, position: int) -> int:
    """Move an end position past the rest of a word, so ``\\b`` is not fooled by a cut."""
    while position < len(text) and text[position].isalnum():
        position += 1
    return position


def find(normalized: str) -> list[Found]:
    """Every family match in ``normalized``, in text order.

    A match is made of the pattern's literal words, so each family is run only on the
    stretches of text around its anchor words (see :func:`_anchors`); a text with none of
    them is not scanned at all. This keeps a 5,000-character message within the time budget.
    """
    found: dict[tuple[str, int, int], Found] = {}
    all_families = families()
    for number, spans in _spans(normalized).items():
        family = all_families[number]
        for low, high in spans:
            for match in family.regex.finditer(normalized, low, _word_end(normalized, high)):
                if match.end() > match.start():
                    key = (family.id, match.start(), match.end())
                    found[key] = Found(family, match.start(), match.end(), match.group(0)[:120])
    return sorted(found.values(), key=lambda f: (f.start, f.end, f.family.id))
