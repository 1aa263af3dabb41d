"""Reading mood-app CSV exports before anything is stored: columns, day/month order, and a key per row.

Nothing here writes: ``services.entries_import`` stores the rows a parser returns as imported entries, with each
row's ``key``, so that re-importing the same export adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Literal

Order = Literal["iso", "day_first", "month_first"]

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class ImportProblem(ValueError):
    """The export cannot be read as it is; the message says what to change."""


class AmbiguousDates(ImportProblem):
    """Every date fits both day-first and month-first: the person importing must choose."""


def check_columns(header: list[str], expected: tuple[str, ...], app: str, optional: tuple[str, ...] = ()) -> None:
    """Refuse a header with unknown or missing columns, naming the expected ones (``optional`` ones may be absent)."""
    names = [h.strip().lstrip("\ufeff") for h in header]
    unknown = [n for n in names if n not in expected and n not in optional]
    missing = [n for n in expected if n not in names]
    if unknown or missing:
        raise ImportProblem(
            f"This does not look like a {app} export: unexpected columns {', '.join(unknown) or 'none'}; "
            f"missing {', '.join(missing) or 'none'}. Expected the columns: {', '.join(expected)}."
        )


def date_order(values: list[str]) -> Order:
    """Work out how a column of dates is written: ISO, day first or month first; raise when both orders fit."""
    if all(_ISO.match(v) for v in values):
        return "iso"
    parts = []
    for value in values:
        found = _SLASHED.match(value)
        if not found:
            raise ImportProblem(f"Cannot read the date {value!r}: expected YYYY-MM-DD or DD/MM/YYYY or MM/DD/YYYY.")
        parts.append((int(found.group(1)), int(found.group(2)), int(found.group(3))))
    day_first = all(_valid(year, b, a) for a, b, year in parts)
    month_first = all(_valid(year, a, b) for a, b, year in parts)
    if day_first and month_first:
        raise AmbiguousDates("Every date fits both day/month and month/day order: choose which this export uses.")
    if not (day_first or month_first):
        raise ImportProblem("Some dates fit neither day/month nor month/day order.")
    return "day_first" if day_first else "month_first"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_date(value: str, order: Order) -> dt.date:
    """Read one date in the order :func:`date_order` found (or the person chose)."""
    if order == "iso":
        return dt.date.fromisoformat(value.strip())
    found = _SLASHED.match(value)
    if not found:
        raise ImportProblem(f"Cannot read the date {value!r}.")
    a, b, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    return dt.date(year, b, a) if order == "day_first" else dt.date(year, a, b)


def row_key(app: str, row: dict[str, str]) -> str:
    """A stable key for a row: the same row in a re-imported export gets the same key."""
    canonical = "\x1f".join(f"{k}={row[k].strip()}" for k in sorted(row))
    return hashlib.sha256(f"{app}\x1e{canonical}".encode()).hexdigest()


def read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Split CSV text into its header and rows (values as text)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblem("The file is empty.") from None
    names = [h.strip().lstrip("\ufeff") for h in header]
    rows = [dict(zip(names, values, strict=False)) for values in reader if any(v.strip() for v in values)]
    return names, rows


@dataclass(frozen=True)
class ImportedMood:
    """One mood entry read from an export, kept apart from entries made in Alongside."""

    app: str
    key: str
    day: dt.date
    time: str
    mood: str
    activities: tuple[str, ...]
    note: str
    extra: tuple[tuple[str, str], ...] = ()  # other exported values, e.g. hours slept
