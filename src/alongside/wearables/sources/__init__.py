"""The source registry: one package per vendor, each an importer behind the same two functions.

A new source must include:

1. a package ``sources/<vendor>/`` with ``sniff(head: bytes) -> bool`` (does this look like our file?) and
   ``parse(path: Path) -> Parsed`` (samples plus the count of records read), raising ``BadInput`` with the
   file and line for anything it refuses;
2. its entry in :data:`SOURCES` below;
3. fixtures in ``tests/wearables/fixtures/`` with their provenance, and tests for each bad-input case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alongside.wearables.samples import BadInput, Samples


@dataclass
class Parsed:
    """What an importer read from one file."""

    samples: Samples
    records: int


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    sniff: Callable[[bytes], bool]
    parse: Callable[[Path], Parsed]


def _apple() -> Source:
    from alongside.wearables.sources.apple_health import parser

    return Source("apple", "Apple Health export", parser.sniff, parser.parse)


def _omh() -> Source:
    from alongside.wearables.sources.omh import parser

    return Source("omh", "Open mHealth data points", parser.sniff, parser.parse)


def _fitbit() -> Source:
    from alongside.wearables.sources.fitbit import parser

    return Source("fitbit", "Fitbit / Google account archive", parser.sniff, parser.parse)


def _fit() -> Source:
    from alongside.wearables.sources.fit import parser

    return Source("fit", "Garmin FIT file", parser.sniff, parser.parse)


def _csv() -> Source:
    from alongside.wearables.sources.csv import parser

    return Source("csv", "CSV with a saved column mapping", parser.sniff, parser.parse)


_FACTORIES: dict[str, Callable[[], Source]] = {
    "apple": _apple,
    "fitbit": _fitbit,
    "fit": _fit,
    "omh": _omh,
    "csv": _csv,
}
SOURCES = tuple(_FACTORIES)


def get_source(name: str) -> Source:
    """Return the importer called ``name``."""
    factory = _FACTORIES.get(name)
    if factory is None:
        raise BadInput(name, f"unknown source; choose one of {', '.join(SOURCES)}.")
    return factory()
