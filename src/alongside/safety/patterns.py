"""Compile the English and Spanish pattern families and find them in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from alongside.safety import forms, patterns_en, patterns_es
from alongside.safety.result import Category, Level


@dataclass(frozen=True)
class Family:
    id: str
    language: str
    category: Category
    level: Level
    regex: re.Pattern[str]


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
            compiled.append(Family(family_id, language, category, level, regex))
    return tuple(compiled)


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
        words.update(re.findall(r"[a-z]{3,}", family.regex.pattern))
    return frozenset(words)


def find(normalized: str) -> list[Found]:
    """Every family match in ``normalized``, in text order."""
    found = []
    for family in families():
        for match in family.regex.finditer(normalized):
            if match.end() > match.start():
                found.append(Found(family, match.start(), match.end(), match.group(0)[:120]))
    found.sort(key=lambda f: (f.start, f.end, f.family.id))
    return found
