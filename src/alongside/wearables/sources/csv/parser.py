"""Read a CSV file of any vendor with the column mapping saved for the client.

The mapping says which column holds each row's time (and, optionally, its end), how times are written,
the zone of times written without an offset, and which column holds which kind of sample. One row can give
several samples (a steps column and a heart-rate column). Empty cells are skipped; anything else that does
not read is refused with the file and line named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alongside.wearables import zones
from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed

MAX_ROWS = 5_000_000


class ColumnMapping(BaseModel):
    """A client's CSV layout; validated before it is saved and again before it is used."""

    model_config = ConfigDict(extra="forbid")
    time: str = Field(min_length=1, max_length=100)
    end: str | None = Field(default=None, max_length=100)
    minutes: float = Field(default=0, ge=0, le=1440)
    time_format: str | None = Field(default=None, max_length=40)
    zone: str = Field(default="UTC", max_length=64)
    columns: dict[Kind, str] = Field(min_length=1)
    source: str = Field(default="CSV", min_length=1, max_length=60)

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


def _stamp(text: str, mapping: ColumnMapping, zone: dt.tzinfo) -> tuple[int, int]:
    text = text.strip()
    fmt = mapping.time_format
    moment = dt.datetime.strptime(text, fmt) if fmt else dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        return int(moment.timestamp()), zones.offset_minutes(moment)
    return zones.from_local(moment, zone)


def parse(path: Path, mapping: ColumnMapping | None = None) -> Parsed:
    """Parse ``path`` with ``mapping``; without one, refuse (the client saves a mapping first)."""
    check_size(path)
    if mapping is None:
        raise BadInput(path.name, "there is no saved column mapping for this client; save one first.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(path.name, "the file is not UTF-8 text (wrong kind of file).") from None
    for number, text_line in enumerate(text.splitlines(), start=1):
        if any(ord(ch) < 32 and ch != "\t" for ch in text_line):
            raise BadInput(path.name, "the file holds control characters.", line=number)
    reader = csv.DictReader(io.StringIO(text))
    wanted = [mapping.time, *([mapping.end] if mapping.end else []), *mapping.columns.values()]
    missing = [name for name in wanted if name not in (reader.fieldnames or [])]
    if missing:
        raise BadInput(path.name, f"the header lacks the mapped column(s) {', '.join(missing)}.", line=1)
    samples, zone, records = Samples(), zones.zone_named(mapping.zone), 0
    code = samples.source_code(mapping.source)
    for row in reader:
        line, records = reader.line_num, records + 1
        if records > MAX_ROWS:
            raise BadInput(path.name, f"the file has over {MAX_ROWS:,} rows.", line=line)
        try:
            start, offset = _stamp(row[mapping.time] or "", mapping, zone)
            end = _stamp(row[mapping.end] or "", mapping, zone)[0] if mapping.end else start + int(mapping.minutes * 60)
        except ValueError:
            raise BadInput(path.name, "a time does not read with the saved mapping.", line=line) from None
        for kind, column in mapping.columns.items():
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            try:
                value = float(cell)
            except ValueError:
                raise BadInput(path.name, f"{column} holds {cell[:40]!r}, not a number.", line=line) from None
            problem = samples.add(kind, start, end, offset, value if kind not in _INTERVALS else 1.0, code)
            if problem:
                raise BadInput(path.name, f"{column} has {problem}.", line=line)
    if not records:
        raise BadInput(path.name, "the file has a header but no rows.")
    return Parsed(samples=samples, records=records)


_INTERVALS = frozenset(kind for kind in Kind if kind.value.startswith("sleep_") and kind != Kind.SLEEP_SCORE)
