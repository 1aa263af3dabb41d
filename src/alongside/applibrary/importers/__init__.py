"""Mood-app CSV readers, one module per app, behind one registry keyed by :class:`ImportSource`."""

from __future__ import annotations

from collections.abc import Callable

from alongside.applibrary.importers import daylio, emoods
from alongside.applibrary.importers.csv_reading import ImportedMood, Order

Parser = Callable[..., list[ImportedMood]]

PARSERS: dict[str, tuple[Parser, tuple[str, ...]]] = {
    "daylio": (daylio.parse, daylio.COLUMNS),
    "emoods": (emoods.parse, emoods.COLUMNS),
}

__all__ = ["PARSERS", "ImportedMood", "Order"]
