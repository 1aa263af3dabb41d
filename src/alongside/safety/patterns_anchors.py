"""Choose each family's scan anchors: letter runs that every match of the regex contains.

The scan in :mod:`alongside.safety.patterns` runs a family only where one of its anchors
occurs, so an anchor set is sound only if *every* match contains one of its words. The
first scheme took the literal words of each top-level alternative and dropped the frequent
ones; a word it kept could be optional ("tonight i take them all" was missed, its anchor
"them" being optional in the match). Here the anchors are read from the parsed regex: a
run of literal letters counts only where the match cannot skip it (not inside an optional
or starred part, and, for an alternation, one run from every branch). Of the runs a
concatenation requires, the one least likely in everyday text is chosen. A run is a
*token* anchor when a non-letter (``\\b``, a space, an apostrophe) is guaranteed before it,
so the text's word starts with it; otherwise it is an *infix* anchor, found anywhere inside
a word. A regex with no required run (``None``) is scanned on every text.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

# The standard library's own regex parser (typeshed does not describe it).
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

Anchor = tuple[str, bool]  # (letters, the text's word starts with them)
Required = frozenset[Anchor] | None

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_STARTS = (sre.AT_BOUNDARY, sre.AT_UNI_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)


SHORT_RUN = 40  # characters: an unbounded word or space repeat is taken to match at most this many


def widest(pattern: str) -> tuple[int | None, bool]:
    """The longest match of ``pattern`` in characters, and whether that assumes short runs.

    An unbounded repeat of one word character (``[a-z]+``, ``\\w*``) or of a space counts as
    ``SHORT_RUN`` characters, so the bound holds on texts without a longer run of word
    characters or spaces (the caller checks). Any other unbounded repeat gives ``None``.
    """
    width, assumed = _width(list(sre_parse.parse(pattern)))
    return width, assumed


_RANGES = (("a", "z"), ("A", "Z"), ("0", "9"))
_WORD_CLASS = {"CATEGORY_WORD", "CATEGORY_DIGIT", "CATEGORY_UNI_WORD", "CATEGORY_UNI_DIGIT"}


def _short_run_class(items: list[Any]) -> bool:
    """Whether ``items`` is one character of a word class, or a space."""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is sre.LITERAL:
        return chr(av) == " " or chr(av).isalnum()
    if op is sre.IN:
        return all(
            (kind is sre.RANGE and any(low <= chr(value[0]) <= chr(value[1]) <= high for low, high in _RANGES))
            or (kind is sre.LITERAL and chr(value).isalnum())
            or (kind is sre.CATEGORY and str(value) in _WORD_CLASS)
            for kind, value in av
        )
    return False


def _width(items: list[Any]) -> tuple[int | None, bool]:
    total, assumed = 0, False
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
            width, more = _width(list(av[-1] if op is sre.SUBPATTERN else av))
        elif op is sre.BRANCH:
            widths = [_width(list(branch)) for branch in av[1]]
            if any(w is None for w, _more in widths):
                return None, True
            width, more = max(w or 0 for w, _more in widths), any(m for _w, m in widths)
        elif op in _REPEATS:
            low, high, sub = av
            if high >= sre.MAXREPEAT:
                if not _short_run_class(list(sub)):
                    return None, True
                width, more = max(low, SHORT_RUN), True
            else:
                one, more = _width(list(sub))
                width = None if one is None else one * high
        elif op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.CATEGORY):
            width, more = 1, False
        else:  # a group reference: no bound
            return None, True
        if width is None:
            return None, True
        total, assumed = total + width, assumed or more
    return total, assumed


def required(pattern: str, *, common: Iterable[str] = (), frequent: Iterable[str] = ()) -> Required:
    """Anchors of which every match of ``pattern`` contains one, or ``None`` if there are none.

    ``common`` words are avoided most, then ``frequent`` ones, then short and infix runs.
    """
    chooser = _Chooser(frozenset(common), frozenset(frequent))
    return chooser.sequence(list(sre_parse.parse(pattern)), True, "")[0]


class _Chooser:
    def __init__(self, common: frozenset[str], frequent: frozenset[str]) -> None:
        self.common, self.frequent = common, frequent

    def cost(self, anchors: frozenset[Anchor]) -> float:
        total = 0.0
        for word, token in anchors:
            weight = 1000.0 if word in self.common else 40.0 if word in self.frequent else 1.0
            weight *= {1: 400.0, 2: 40.0, 3: 6.0}.get(len(word), 1.0)
            total += weight if token else weight * 5
        return total

    def sequence(self, items: list[Any], ctx: bool, prefix: str) -> tuple[Required, bool]:
        """(anchors, whether the last character matched is surely a non-letter) for a sequence.

        ``ctx``: a non-letter (or the start) surely precedes the sequence. ``prefix``: letters
        matched just before it, in the same run.
        """
        candidates: list[frozenset[Anchor]] = []
        run, run_token = prefix, ctx
        if prefix:
            ctx = False

        def flush() -> None:
            nonlocal run
            if run:
                candidates.append(frozenset({(run, run_token)}))
            run = ""

        for op, av in items:
            if op is sre.LITERAL and chr(av) in _LETTERS:
                if not run:
                    run_token = ctx
                run += chr(av)
                ctx = False
            elif op is sre.LITERAL:
                flush()
                ctx = True
            elif op is sre.AT:
                flush()
                if av in _STARTS:
                    ctx = True
                elif av in (sre.AT_NON_BOUNDARY, sre.AT_UNI_NON_BOUNDARY):
                    ctx = False
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                flush()  # zero-width: what follows continues the same word, so ctx stays
            elif op is sre.IN:
                flush()
                ctx = all(kind is sre.LITERAL and chr(value) not in _LETTERS for kind, value in av)
            elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
                sub = av[-1] if op is sre.SUBPATTERN else av
                start, token = run, run_token
                flush()
                found, ctx = self.sequence(list(sub), token if start else ctx, start)
                if found is not None:
                    candidates.append(found)
            elif op is sre.BRANCH:
                start, token = run, run_token
                flush()
                results = [self.sequence(list(branch), token if start else ctx, start) for branch in av[1]]
                found_all = [found for found, _end in results if found is not None]
                if len(found_all) == len(results):
                    candidates.append(_simplify(frozenset[Anchor]().union(*found_all)))
                ctx = all(end for _found, end in results)
            elif op in _REPEATS:
                low, high, sub = av
                start, token = run, run_token
                flush()
                found, end = self.sequence(list(sub), token if start else ctx, start)
                if low >= 1:
                    if found is not None:
                        candidates.append(found)
                    ctx = end if high == 1 else end and self.sequence(list(sub), False, "")[1]
                else:
                    ctx = ctx and end and self.sequence(list(sub), False, "")[1]
            else:  # ANY, NOT_LITERAL, CATEGORY, GROUPREF...: an unknown character
                flush()
                ctx = False
        flush()
        if not candidates:
            return None, ctx
        return min(candidates, key=lambda c: (self.cost(c), sorted(c))), ctx


def _simplify(anchors: frozenset[Anchor]) -> frozenset[Anchor]:
    """Drop an anchor that another one of the set already finds ("kill" finds "killed")."""
    kept = set(anchors)
    for word, token in anchors:
        for other, other_token in anchors:
            if (other, other_token) == (word, token) or (other, other_token) not in kept:
                continue
            covers = word.startswith(other) if other_token else other in word
            if covers and (not other_token or token) and (word, token) in kept:
                kept.discard((word, token))
    return frozenset(kept)
