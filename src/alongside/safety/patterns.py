"""Compile the English and Spanish pattern families and find them in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from alongside.safety import forms, patterns_anchors, patterns_en, patterns_es
from alongside.safety import normalize as normalize_module
from alongside.safety.patterns_anchors import Anchor
from alongside.safety.result import Category, Level


@dataclass(frozen=True)
class Family:
    id: str
    language: str
    category: Category
    level: Level
    regex: re.Pattern[str]
    anchors: frozenset[Anchor] | None  # every match contains one of these; None: scan every text
    reach: int | None  # characters from an anchor's word that a match can reach; None: any
    reach_assumes_short_runs: bool  # reach holds only without a run longer than SHORT_RUN


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
            anchors = _anchors(regex.pattern)
            compiled.append(Family(family_id, language, category, level, regex, anchors, *_reach(regex)))
    return tuple(compiled)


# Words too common to gate a family on: an anchor set of these is chosen only when the
# regex requires nothing rarer (see :mod:`alongside.safety.patterns_anchors`).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COMMON = _words(
    "the and a an to of in on at for with my i i'm im me is it it's this that be am are was were you he she they "
    "we our your his her their have has had do did not no so just all but or if as by from up out about "
    "el la los las un una y de en con por para mi yo es que se lo le su sus si ya muy "
    "been can could would much week weeks kids sister brother work hav going want really still esta "
    "este mejor semana siento trabajo estoy tengo al te home next says thought mood move hice ninos"
)
# Pieces that name people, places, body parts and times: avoided as anchors, like frequent words.
_SLOT_PIECES = ("when", "target", "abuser", "place", "body", "cuando", "lugar", "agresor", "cuerpo", "otro")
_LITERAL = re.compile(r"(?<!\\)[a-z]{2,}")


@cache
def _slot_words() -> frozenset[str]:
    words: set[str] = set()
    for module in SOURCES.values():
        for name in _SLOT_PIECES:
            words.update(_LITERAL.findall(re.sub(r"\\[a-zA-Z]", " ", module.PIECES.get(name, ""))))
    return frozenset(words)


# Words frequent in everyday text (and, as prefixes, in many longer words): avoided as anchors
# when the match requires a rarer word.
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


def _anchors(pattern: str) -> frozenset[Anchor] | None:
    """Anchors of which every match of ``pattern`` contains one; ``None``: scan every text."""
    return patterns_anchors.required(pattern, common=_COMMON, frequent=_FREQUENT | _slot_words())


_MARGIN = 60  # characters past a match that its lookahead may read


def _reach(regex: re.Pattern[str]) -> tuple[int | None, bool]:
    """How far from an anchor a match (and its lookahead) can reach, ``None`` if unbounded, and
    whether that holds only on texts without a long run (see ``patterns_anchors.widest``)."""
    widest, assumed = patterns_anchors.widest(regex.pattern)
    return (None if widest is None else widest + _MARGIN), assumed


# A run of word characters or spaces longer than an unbounded repeat is assumed to match.
_LONG_RUN = re.compile(rf"\w{{{patterns_anchors.SHORT_RUN + 1}}}| {{{patterns_anchors.SHORT_RUN + 1}}}")


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


@dataclass(frozen=True)
class _Index:
    starts: dict[str, tuple[int, ...]]  # families by a word's first letters
    inside: dict[str, tuple[int, ...]]  # families by letters anywhere in a word
    inside_lengths: tuple[int, ...]
    always: tuple[int, ...]  # families with no anchor, scanned on every text


@cache
def _anchor_index() -> _Index:
    starts: dict[str, list[int]] = {}
    inside: dict[str, list[int]] = {}
    always = []
    for number, family in enumerate(families()):
        if family.anchors is None:
            always.append(number)
            continue
        for word, at_start in family.anchors:
            (starts if at_start else inside).setdefault(word, []).append(number)
    return _Index(
        {word: tuple(numbers) for word, numbers in starts.items()},
        {word: tuple(numbers) for word, numbers in inside.items()},
        tuple(sorted({len(word) for word in inside})),
        tuple(always),
    )


_WORD_FAMILIES: dict[str, tuple[int, ...]] = {}


def _families_of(word: str) -> tuple[int, ...]:
    """The families with an anchor that ``word`` starts with or contains (remembered per word)."""
    found = _WORD_FAMILIES.get(word)
    if found is None:
        index = _anchor_index()
        numbers: set[int] = set()
        for length in range(1, len(word) + 1):
            numbers.update(index.starts.get(word[:length], ()))
        for length in index.inside_lengths:
            for start in range(len(word) - length + 1):
                numbers.update(index.inside.get(word[start : start + length], ()))
        found = tuple(sorted(numbers))
        if len(_WORD_FAMILIES) < 100_000:
            _WORD_FAMILIES[word] = found
    return found


def _spans(normalized: str) -> dict[int, list[tuple[int, int]]]:
    """Per family to run, the merged stretches of text around its anchor words."""
    words: dict[str, list[tuple[int, int]]] = {}
    for token in _TOKEN.finditer(normalized):
        words.setdefault(token.group(0), []).append(token.span())
    size = len(normalized)
    whole = [(0, size)]
    spans: dict[int, list[tuple[int, int]]] = dict.fromkeys(_anchor_index().always, whole)
    positions: dict[int, list[tuple[int, int]]] = {}
    for word, places in words.items():
        for number in _families_of(word):
            if number not in spans:
                positions.setdefault(number, []).extend(places)
    all_families = families()
    long_run: bool | None = None
    for number, places in positions.items():
        family = all_families[number]
        reach = family.reach
        if reach is not None and family.reach_assumes_short_runs:
            if long_run is None:
                long_run = _LONG_RUN.search(normalized) is not None
            reach = None if long_run else reach
        if reach is None:
            spans[number] = whole
            continue
        merged: list[tuple[int, int]] = []
        for start, end in sorted(set(places)):
            low, high = max(0, start - reach), min(size, end + reach)
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

    Every match of a family contains one of its anchor words (see :mod:`.patterns_anchors`),
    so each family is run only on the stretches of text its matches can reach from those
    words; a text with none of them is not scanned for it at all. This keeps a
    5,000-character message within the time budget.
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
