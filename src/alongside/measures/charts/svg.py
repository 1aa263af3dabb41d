"""Small helpers for chart layouts: numbers as the SVG prints them, text widths, stable ids, the language."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator

from django.utils.translation import override

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
FONT_SIZE = 11
# An estimate of the advance of one character at FONT_SIZE, to lay labels out without measuring text.
CHAR_WIDTH = 6.2


def n(value: float) -> str:
    """Return a coordinate with at most one decimal, the same bytes for the same number."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def element_id(kind: str, instrument: str, payload: object) -> str:
    """Return an id that is stable for the same input and differs between charts on one page."""
    slug = re.sub(r"[^a-z0-9]+", "-", instrument.lower()).strip("-") or "measure"
    digest = hashlib.sha256(repr(payload).encode()).hexdigest()[:10]
    return f"{kind}-{slug}-{digest}"


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Render in `lang`, or in the active language when it is None."""
    if lang is None:
        yield
    else:
        with override(lang):
            yield


def truncate(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"
