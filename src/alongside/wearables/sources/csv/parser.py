"""Read a CSV file of any vendor with the column mapping saved for the client.

The mapping says which column holds each row's time (and, optionally, its end), how times are written,
the zone of times written without an offset (or a column naming each row's zone), and where the measurements
are. Two layouts are read:

- wide: a column per kind (``columns``); one row can give several samples (a steps column and a heart-rate
  column);
- long: one measurement a row, with a ``value`` column, a ``type`` column whose words the mapping ties to
  kinds (``types``; rows of a type not listed are left out) and, optionally, a ``unit`` column, converted to
  the kind's own unit through :data:`UNITS` (a unit not listed there is refused with its line).

Empty cells are skipped; anything else that does not read is refused with the file and line named.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alongside.wearables import zones
from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed
from alongside.wearables.sources.reading import open_counted
from alongside.wearables.spill import FLUSH, Spill

MAX_ROWS = 5_000_000
_BEATS = {"bpm": 1.0, "beats/min": 1.0, "count/min": 1.0, "/min": 1.0, "": 1.0}
_MS = {"ms": 1.0, "s": 1000.0, "": 1.0}
_MINUTES = {"min": 1.0, "minutes": 1.0, "s": 1 / 60, "h": 60.0, "": 1.0}
# Units a long-layout CSV may name, per kind, as the factor into the kind's unit (matched without case).
UNITS: dict[Kind, dict[str, float]] = {
    Kind.STEPS: {"count": 1.0, "steps": 1.0, "": 1.0},
    Kind.HEART_RATE: _BEATS,
    Kind.RESTING_HR: _BEATS,
    Kind.HRV_SDNN: _MS,
    Kind.HRV_RMSSD: _MS,
    Kind.EXERCISE_MIN: _MINUTES,
    Kind.WORKOUT: _MINUTES,
    Kind.SLEEP_SCORE: {"": 1.0, "%": 1.0, "score": 1.0},
}


class ColumnMapping(BaseModel):
    """A client's CSV layout; validated before it is saved and again before it is used."""

    model_config = ConfigDict(extra="forbid")
    time: str = Field(min_length=1, max_length=100)
    end: str | None = Field(default=None, max_length=100)
    minutes: float = Field(default=0, ge=0, le=1440)
    time_format: str | None = Field(default=None, max_length=40)
    zone: str = Field(default="UTC", max_length=64)
    zone_column: str | None = Field(default=None, max_length=100)
    columns: dict[Kind, str] = Field(default_factory=dict)
    value: str | None = Field(default=None, max_length=100)
    type: str | None = Field(default=None, max_length=100)
    unit: str | None = Field(default=None, max_length=100)
    types: dict[str, Kind] = Field(default_factory=dict, max_length=200)
    source: str = Field(default="CSV", min_length=1, max_length=60)

    @model_validator(mode="after")
    def _layout(self) -> ColumnMapping:
        long = self.value is not None or self.type is not None or bool(self.types)
        if long and (self.columns or not (self.value and self.type and self.types)):
            raise ValueError(
                "choose one layout: a column per measurement, or a value column with a type column and its types"
            )
        if not long and not self.columns:
            raise ValueError("map at least one column that holds measurements")
        return self

    def wanted(self) -> list[str]:
        """The columns the file's header must have."""
        names = [self.time, self.end, self.zone_column, self.value, self.type, self.unit, *self.columns.values()]
        return [name for name in names if name]

    @field_validator("columns")
    @classmethod
    def _named(cls, value: dict[Kind, str]) -> dict[Kind, str]:
        if any(not name.strip() for name in value.values()):
            raise ValueError("every mapped column needs a name")
        return value

    @field_validator("zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value != "UTC" and zones.zone_named(value) is zones.UTC:
            raise ValueError(f"unknown time zone {value!r}")
        return value


def sniff(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    return b"," in first and not head.lstrip().startswith((b"{", b"[", b"<"))


def _row_zone(text: str, fallback: dt.tzinfo) -> dt.tzinfo:
    """The zone a row names: an IANA name, UTC, or an offset such as +01:00; empty means the mapping's zone."""
    text = text.strip()
    if not text:
        return fallback
    if text.upper() in ("UTC", "Z", "GMT"):
        return zones.UTC
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        digits = text[1:].replace(":", "")
        if not digits.isdigit() or len(digits) not in (2, 4):
            raise ValueError(text)
        delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        return dt.timezone(sign * delta)
    zone = zones.zone_named(text)
    if zone is zones.UTC:
        raise ValueError(text)
    return zone


def _stamp(text: str, mapping: ColumnMapping, zone: dt.tzinfo) -> tuple[int, int]:
    text = text.strip()
    fmt = mapping.time_format
    moment = dt.datetime.strptime(text, fmt) if fmt else dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        return int(moment.timestamp()), zones.offset_minutes(moment)
    return zones.from_local(moment, zone)


def _check_text(path: Path) -> None:
    """Refuse a file that is not UTF-8 or holds control characters, reading it a block at a time.

    Lines are counted as ``str.splitlines`` counts them (the rule the whole-file reading used), so the line
    named is the same; a ``\r`` at the end of a block waits for the next one, in case a ``\n`` follows.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line, held = 1, ""
    with path.open("rb") as stream:
        while True:
            block = stream.read(_BLOCK)
            try:
                text = held + decoder.decode(block, final=not block)
            except UnicodeDecodeError:
                raise BadInput(path.name, "the file is not UTF-8 text (wrong kind of file).") from None
            held = ""
            if block and text.endswith("\r"):
                text, held = text[:-1], "\r"
            bad = _CONTROL.search(text)
            if bad is not None:
                line += len(_BREAK.findall(text, 0, bad.start()))
                raise BadInput(path.name, "the file holds control characters.", line=line)
            line += len(_BREAK.findall(text))
            if not block:
                return


_BLOCK = 1 << 20
# What str.splitlines breaks a line at, and the control characters it leaves inside a line (all but tab).
_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f]")


def parse(path: Path, mapping: ColumnMapping | None = None, spill: Spill | None = None) -> Parsed:
    """Parse ``path`` with ``mapping``; without one, refuse (the client saves a mapping first).

    The file is read twice, a block at a time: once to refuse text that is not UTF-8 or holds control
    characters (before any row is read, as when the file was read whole), then row by row; the row-by-row
    reading reports the bytes read to the import's live progress (the check is not reported). With ``spill``,
    the samples are handed to it every :data:`~alongside.wearables.spill.FLUSH` samples, so memory does not
    grow with the file; a refusal later in the file still refuses it whole (the caller drops the spill).
    """
    check_size(path)
    if mapping is None:
        raise BadInput(path.name, "there is no saved column mapping for this client; save one first.")
    _check_text(path)
    with io.TextIOWrapper(open_counted(path), encoding="utf-8-sig", newline="") as stream:
        return _rows(csv.DictReader(stream), mapping, path.name, spill)


def _rows(reader: csv.DictReader[str], mapping: ColumnMapping, name: str, spill: Spill | None) -> Parsed:
    missing = [column for column in mapping.wanted() if column not in (reader.fieldnames or [])]
    if missing:
        raise BadInput(name, f"the header lacks the mapped column(s) {', '.join(missing)}.", line=1)
    samples, zone, records = Samples(), zones.zone_named(mapping.zone), 0
    code = samples.source_code(mapping.source)
    for row in reader:
        line, records = reader.line_num, records + 1
        if records > MAX_ROWS:
            raise BadInput(name, f"the file has over {MAX_ROWS:,} rows.", line=line)
        try:
            row_zone = _row_zone(row[mapping.zone_column] or "", zone) if mapping.zone_column else zone
        except ValueError:
            where = mapping.zone_column
            raise BadInput(name, f"{where} does not name a time zone or an offset.", line=line) from None
        try:
            start, offset = _stamp(row[mapping.time] or "", mapping, row_zone)
            end = (
                _stamp(row[mapping.end] or "", mapping, row_zone)[0]
                if mapping.end
                else start + int(mapping.minutes * 60)
            )
        except ValueError:
            raise BadInput(name, "a time does not read with the saved mapping.", line=line) from None
        for kind, column, value in _measurements(row, mapping, name, line):
            problem = samples.add(kind, start, end, offset, value if kind not in _INTERVALS else 1.0, code)
            if problem:
                raise BadInput(name, f"{column} has {problem}.", line=line)
        if spill is not None and len(samples) >= FLUSH:
            spill.take(samples)
    if not records:
        raise BadInput(name, "the file has a header but no rows.")
    return Parsed(samples=samples, records=records)


def _number(cell: str, column: str, name: str, line: int) -> float:
    try:
        return float(cell)
    except ValueError:
        raise BadInput(name, f"{column} holds {cell[:40]!r}, not a number.", line=line) from None


def _measurements(row: dict[str, str], mapping: ColumnMapping, name: str, line: int) -> list[tuple[Kind, str, float]]:
    """The (kind, column, value in the kind's unit) a row gives, in either layout."""
    if mapping.value and mapping.type:
        kind = mapping.types.get((row.get(mapping.type) or "").strip())
        cell = (row.get(mapping.value) or "").strip()
        if kind is None or not cell:
            return []
        value = _number(cell, mapping.value, name, line)
        if kind in _INTERVALS:
            return [(kind, mapping.value, 1.0)]
        unit = (row.get(mapping.unit) or "").strip() if mapping.unit else ""
        factor = UNITS.get(kind, {"": 1.0}).get(unit.lower())
        if factor is None:
            raise BadInput(name, f"{mapping.unit} holds the unit {unit[:20]!r}, not one read for {kind}.", line=line)
        return [(kind, mapping.value, value * factor)]
    found = []
    for kind, column in mapping.columns.items():
        cell = (row.get(column) or "").strip()
        if cell:
            found.append((kind, column, _number(cell, column, name, line)))
    return found


_INTERVALS = frozenset(kind for kind in Kind if kind.value.startswith("sleep_") and kind != Kind.SLEEP_SCORE)
