"""Undo the disguises clients use, so that patterns and the classifier see plain words.

Steps, in order: the emoji that stand for means become words (💊 pills, 🔪 knife, 🪢 rope,
🔫 gun, 🪒 razor); letters from other scripts that look Latin become Latin; everything else
is transliterated to ASCII by ``anyascii`` (accents, fullwidth and mathematical letters);
lower case; digits and symbols used as letters inside words are read as letters
("k!ll", "su1c1de", "d1e"); spaced-out letters are joined ("s u i c i d e"); stretched
letters are shortened ("diiiie"); whitespace is collapsed. Pure functions; never raise on
any ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from anyascii import anyascii

MAX_CHARS = 20_000

# Emoji that stand for a means of harm, read as the word they stand for.
MEANS_EMOJI: dict[str, str] = {
    "\U0001f48a": " pills ",  # pill
    "\U0001f52a": " knife ",  # kitchen knife
    "\U0001f5e1": " knife ",  # dagger
    "\U0001faa2": " rope ",  # knot
    "\U0001f52b": " gun ",  # pistol
    "\U0001fa92": " razor ",  # razor
    "\U0001fa78": " blood ",  # drop of blood
    "\u26b0": " coffin ",  # coffin
    "\U0001faa6": " grave ",  # headstone
}

# Cyrillic and Greek letters drawn like Latin ones. anyascii transliterates them by sound
# (Cyrillic "u"-shaped y -> "u"), which undoes a look-alike disguise wrongly; these are read by shape instead.
_SHAPE = str.maketrans(
    "аеорсухіјѕԁԛԝӏАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwlABEKMHOPCTXIJSabeiknoptuxABEHIKMNOPTYX",
)

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"}
_LEET_WORD = re.compile(r"[a-z0-9@$!|+']*(?:[a-z][0-9@$!|+]|[0-9@$!|+][a-z])[a-z0-9@$!|+']*")
_HAS_LEET = re.compile(r"[a-z][0-9@$!|+]|[0-9@$!|+][a-z]")
_SPACED = re.compile(r"(?<![a-z])(?:[a-z][ .\-_*]{1,2}){2,}[a-z](?![a-z])")
_STRETCH = re.compile(r"([a-z])\1{2,}")
# Three or more words joined by hyphens ("kill-my-self"): read as words. Two ("self-harm") stay.
_HYPHENATED = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _HAS_LEET.search(word) or word.isdigit():
        return word
    core = word.rstrip("!")  # "help!" keeps its exclamation mark
    return "".join(_LEET.get(c, c) for c in core) + word[len(core) :]


_LEET_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|+'")


def _unleet_words(text: str) -> str:
    """Read digits and symbols as letters, only in the words that mix them with letters."""
    out: list[str] = []
    last = 0
    for match in _HAS_LEET.finditer(text):
        start, end = match.start(), match.end()
        if start < last:
            continue
        while start > 0 and text[start - 1] in _LEET_CHARS:
            start -= 1
        while end < len(text) and text[end] in _LEET_CHARS:
            end += 1
        out.append(text[last:start])
        out.append(_LEET_WORD.sub(_unleet, text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


def _join_spaced(match: re.Match[str]) -> str:
    letters = re.sub(r"[ .\-_*]", "", match.group(0))
    # "i a m" style runs of real one-letter words are rare; "a" and "i" alone are kept.
    return f" {letters} " if len(letters) >= 3 else match.group(0)


def _fix_stretched_word(word: str, vocabulary: Collection[str]) -> str:
    single = _STRETCH.sub(r"\1", word)
    if single in vocabulary:
        return single
    double = _STRETCH.sub(r"\1\1", word)
    return double if double in vocabulary else single


def typo_map(vocabulary: Collection[str]) -> dict[str, str]:
    """Misspellings of the patterns' words -> the word.

    One swap of neighbouring letters ("msyelf"), and in words of six letters or more one
    dropped vowel inside the word ("myslf", "suicde", "overdse"), as texting drops them. A few
    real words are claimed ("story" is read as "storey"); none is a risk word.
    """
    out: dict[str, str] = {}
    for word in sorted(vocabulary):
        if len(word) < 5:
            continue
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped != word and swapped not in vocabulary:
                out.setdefault(swapped, word)
    for word in sorted(vocabulary):
        if len(word) < 6:
            continue
        for i in range(1, len(word) - 1):  # never the last letter: "guarda" must not claim "guard"
            if word[i] in "aeiou" and word[i - 1] != word[i]:
                dropped = word[:i] + word[i + 1 :]
                if dropped not in vocabulary:
                    out.setdefault(dropped, word)
    return out


def fix_typos(text: str, typos: dict[str, str]) -> str:
    """Replace known misspellings of the patterns' words ("msyelf" -> "myself")."""
    if not typos or typos.keys().isdisjoint(_WORD.findall(text)):
        return text
    return _WORD.sub(lambda m: typos.get(m.group(0), m.group(0)), text)


_WORD = re.compile(r"[a-z]{5,}")
# A line break inside a sentence (a word before it, a lower-case word after it) is a wrap, not a
# sentence end: "I want\n to die" reads as one sentence.
_SOFT_WRAP = re.compile(r"(?<=[A-Za-z])[ \t]*\n[ \t]*(?=[a-z])")


def normalize(text: str, *, vocabulary: Collection[str] = frozenset(), typos: dict[str, str] | None = None) -> str:
    """Return ``text`` as the detector reads it: plain lower-case ASCII words, one space apart."""
    text = text[:MAX_CHARS]
    if not text.isascii():
        for emoji, word in MEANS_EMOJI.items():
            if emoji in text:
                text = text.replace(emoji, word)
        # Only the non-ASCII runs are translated: str.translate over a whole 5,000-character
        # message cost about a millisecond, and every look-alike in _SHAPE is non-ASCII.
        text = _NON_ASCII.sub(lambda m: anyascii(m.group(0).translate(_SHAPE)), text)
    text = _SOFT_WRAP.sub(" ", text)
    text = _CONTROL.sub(" ", text).lower()
    text = text.replace("`", "'").replace("\u00b4", "'")
    if _HAS_LEET.search(text):
        text = _unleet_words(text)
    text = _SPACED.sub(_join_spaced, text)
    if "-" in text:
        text = _HYPHENATED.sub(lambda m: m.group(0).replace("-", " "), text)
    if _STRETCH.search(text):
        text = re.sub(r"[a-z]*([a-z])\1{2,}[a-z]*", lambda m: _fix_stretched_word(m.group(0), vocabulary), text)
    if typos:
        text = fix_typos(text, typos)
    return " ".join(text.replace("\n", " . ").split())


def tokens(normalized: str) -> list[str]:
    """Words of a normalised text (apostrophes kept inside words)."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", normalized)
