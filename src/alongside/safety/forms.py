"""Word forms generated from lemmas, so a pattern says ``{step}`` and matches "stepping".

``alongside safety train`` inverts simplemma's form-to-lemma dictionaries for the lemmas the
patterns use and writes ``data/forms.json``; at run time only that JSON is read, so the
detector needs neither simplemma nor its data in memory.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

FORMS_PATH = Path(__file__).with_name("data") / "forms.json"
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_WORD = re.compile(r"[a-z]+")


@cache
def _table() -> dict[str, dict[str, list[str]]]:
    try:
        data = json.loads(FORMS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def forms(lemma: str, language: str) -> list[str]:
    """Every known form of ``lemma`` (the lemma itself included), longest first."""
    found = set(_table().get(language, {}).get(lemma, ())) | {lemma}
    return sorted(found, key=lambda f: (-len(f), f))


def lemmas_in(source: str) -> set[str]:
    return set(_PLACEHOLDER.findall(source))


def expand(source: str, language: str, pieces: dict[str, str]) -> str:
    """Replace ``{name}`` by a named regex piece, or else by the forms of the lemma ``name``."""

    def piece(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in pieces:
            return pieces[name]
        return "(?:" + "|".join(re.escape(f) for f in forms(name, language)) + ")"

    return _PLACEHOLDER.sub(piece, source)


def build(lemmas_by_language: dict[str, set[str]]) -> dict[str, dict[str, list[str]]]:
    """Invert simplemma's dictionaries for the given lemmas (deterministic output)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    out: dict[str, dict[str, list[str]]] = {}
    for language, lemmas in sorted(lemmas_by_language.items()):
        wanted = {lemma: {lemma} for lemma in lemmas}
        for form, lemma in factory.get_dictionary(language).items():
            lemma_text = lemma.decode() if isinstance(lemma, bytes) else str(lemma)
            form_text = form.decode() if isinstance(form, bytes) else str(form)
            lemma_text = _strip_accents(lemma_text.lower())
            form_text = _strip_accents(form_text.lower())
            if lemma_text in wanted and _WORD.fullmatch(form_text or "-"):
                wanted[lemma_text].add(form_text)
        if language == "en":
            for lemma, found in wanted.items():
                found.update(_regular_en(lemma))
        out[language] = {lemma: sorted(f for f in found if f) for lemma, found in sorted(wanted.items())}
    return out


def _regular_en(lemma: str) -> set[str]:
    """Regular English inflections, for forms the dictionary lacks ("cutting")."""
    if not lemma.isalpha() or len(lemma) < 3:
        return set()
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if len(lemma) <= 4 and lemma[-1] in "bdgmnpt" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        stem = lemma + lemma[-1]
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    return {third, stem + "ing", stem + ("d" if lemma.endswith("e") else "ed")}


def _strip_accents(word: str) -> str:
    from anyascii import anyascii

    return anyascii(word)


def write(table: dict[str, dict[str, list[str]]]) -> None:
    FORMS_PATH.parent.mkdir(parents=True, exist_ok=True)
    FORMS_PATH.write_text(json.dumps(table, ensure_ascii=True, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    _table.cache_clear()
