"""The anchor scan never loses a match that the family's full regex finds (issue #13).

``patterns.find`` runs a family only around its anchor words; this is only an optimisation,
so every text a family's whole regex matches must be found by ``find`` too. Texts come from
hypothesis (strings generated from each top-level alternative of every family, with
everyday words around them), from the labelled corpus and the probes, and from the
phrases that the first draft missed.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside import safety
from alongside.safety import patterns

CORPUS = Path(patterns.__file__).with_name("corpus")


def _full_scan(text: str) -> set[str]:
    return {family.id for family in patterns.families() if family.regex.search(text)}


def _anchor_scan(text: str) -> set[str]:
    return {found.family.id for found in patterns.find(text)}


def _lost(text: str) -> set[str]:
    return _full_scan(text) - _anchor_scan(text)


@cache
def _alternatives() -> list[tuple[str, str]]:
    out = []
    for family in patterns.families():
        for alternative in patterns._alternatives(family.regex.pattern):
            try:
                re.compile(alternative)
            except re.error:  # pragma: no cover - a split inside a construct we do not know
                continue
            out.append((family.id, alternative))
    return out


_FILLER = st.lists(
    st.sampled_from(["", "so", "i", "today", "and", "the", "really", "all", "me", "we", ".", ",", "ok", "now"]),
    max_size=3,
).map(" ".join)


@st.composite
def _texts(draw: st.DrawFn) -> tuple[str, str]:
    family_id, alternative = draw(st.sampled_from(_alternatives()))
    middle = draw(st.from_regex(re.compile(alternative), fullmatch=True))
    return family_id, f"{draw(_FILLER)} {middle} {draw(_FILLER)}".strip()


@settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_texts())
def test_generated_matches_are_found_through_the_anchors(case: tuple[str, str]) -> None:
    """A string generated from any alternative of any family is found by the anchor scan."""
    _family_id, text = case
    assert _lost(text) == set(), text


def _corpus_texts() -> list[str]:
    texts = []
    for path in [CORPUS / "corpus.tsv", *sorted((CORPUS / "probes").glob("*.tsv"))]:
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return texts


def test_corpus_and_probe_matches_are_found_through_the_anchors() -> None:
    """Every family match in the normalised corpus and probe texts is found by the anchor scan."""
    lost = {}
    for text in _corpus_texts():
        normalized = patterns.normalize(text)
        missing = _lost(normalized)
        if missing:
            lost[normalized] = sorted(missing)
    assert lost == {}


# Found by the property test on the first anchor scheme: the anchor it kept was optional in
# these matches, so the scan never ran the family and the detector raised nothing (or less).
LOST_BEFORE = [
    ("i'm going to really go through with it", "en.si_eleventh", safety.Level.URGENT),
    ("i can not go on", "en.hopeless", safety.Level.REVIEW),
    ("hoy es la noche", "es.timing", safety.Level.NONE),
    ("i might not make it to our next session", "en.not_around", safety.Level.URGENT),
    ("theyll be sorry", "en.threat", safety.Level.URGENT),
    ("i think of not being here", "en.passive_more", safety.Level.REVIEW),
]


@pytest.mark.parametrize(("text", "family_id", "level"), LOST_BEFORE)
def test_optional_anchor_words_do_not_hide_a_match(text: str, family_id: str, level: safety.Level) -> None:
    """A phrase whose anchor word is optional in some matches is still found, and alerts."""
    normalized = patterns.normalize(text)
    assert family_id in _anchor_scan(normalized)
    assert _lost(normalized) == set()
    assert safety.detect(text).level >= level


def test_a_long_word_does_not_push_a_match_out_of_the_window() -> None:
    """A word longer than the scan assumes (200 letters) between the start of a match and its
    anchor does not hide the match: such a text is scanned whole for that family."""
    text = "he " + "abcdefghij" * 20 + " hit me"
    assert _full_scan(text)
    assert _lost(text) == set()
