"""Read a Fitbit account archive (the Fitbit export or Google Takeout's Fitbit folder), or one file of it.

Files are recognised by their names, which Fitbit fixes (unlike Apple's), with or without the date part:
``heart_rate-2024-01-10.json``, ``steps-…``, ``resting_heart_rate-…``, ``sleep-…``, ``very_active_minutes-…``,
``moderately_active_minutes-…``, ``exercise-…``, ``Daily Heart Rate Variability Summary - ….csv``,
``sleep_score.csv`` and ``Profile.csv`` (for the zone). Other files of the archive are left alone.

Dates and zones, as the archive writes them:

- the per-minute files (``heart_rate``, ``steps``) write ``MM/DD/YY HH:MM:SS`` without a zone. They are read
  as UTC (:data:`MINUTE_ZONE`). No authoritative source says so; checked 2026-12-07, this is what exists:
  Fitbit and Google publish no description of the legacy ``Global Export Data`` JSON files; the README files
  Google Takeout ships with a Fitbit archive ("Time Series Data Export", in ``Physical Activity_GoogleData/``)
  describe only the newer CSV files (per-minute ``timestamp`` is "Date and time at which the entry was
  logged", without a zone; those files write times ending in ``Z``; some daily files say "Date at which the
  entry was logged in UTC"); and the UTC reading of the JSON per-minute files rests on community reports
  (importers and forum posts), not on a vendor document. ``parse(path, minute_zone="profile")`` reads them
  as wall-clock times of the ``Profile.csv`` zone instead; the two readings differ by that zone's offset, and
  a minute near local midnight lands on different days (both are tested);
- sleep logs, exercise and the daily files write the wall-clock time of the zone the account was set to,
  also without an offset (the 2023 write-up "Timezone correcting Fitbit sleep data", andykong.org, shows
  sleep start times are device-local; checked 2026-12-06);
- ``sleep_score.csv`` writes ISO times ending in ``Z`` (UTC).

Local times are placed with the zone in ``Profile.csv`` (column ``timezone``) when the archive has it, and
UTC otherwise; every sample keeps the offset of that zone at its own instant, so DST changes fall right.
Heart-rate variability here is RMSSD (Fitbit's daily summary), never SDNN.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from alongside.wearables import zones
from alongside.wearables.inputs import check_size, check_zip
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed, reading
from alongside.wearables.spill import Spill

US_STAMP = "%m/%d/%y %H:%M:%S"
MEMBER_LIMIT = 256 * 1024**2  # one day or month of one kind; far below this in any real archive
SOURCE = "Fitbit"

# Fitbit's sleep levels: "stages" logs (watches with a heart-rate sensor) and "classic" logs.
LEVELS = {
    "wake": Kind.SLEEP_AWAKE,
    "light": Kind.SLEEP_CORE,
    "deep": Kind.SLEEP_DEEP,
    "rem": Kind.SLEEP_REM,
    "asleep": Kind.SLEEP_ASLEEP,
    "restless": Kind.SLEEP_AWAKE,
    "awake": Kind.SLEEP_AWAKE,
}


class _Reader:
    """Turns one archive file into samples; ``label`` names it in every message."""

    def __init__(self, samples: Samples, zone: dt.tzinfo, label: str, *, minutes_utc: bool = True) -> None:
        self.samples, self.zone, self.label, self.minutes_utc = samples, zone, label, minutes_utc
        self.code = samples.source_code(SOURCE)
        self.records = 0

    def fail(self, problem: str, *, entry: int | None = None, line: int | None = None) -> BadInput:
        where = f"entry {entry} " if entry is not None else ""
        return BadInput(self.label, f"{where}{problem}".strip(), line=line)

    def add(self, kind: Kind, start: int, end: int, offset: int, value: float, *, entry: int) -> None:
        problem = self.samples.add(kind, start, end, offset, value, self.code)
        if problem:
            raise self.fail(f"has {problem}.", entry=entry)

    def stamp(self, text: Any, fmt: str, *, entry: int, utc: bool = False) -> tuple[int, int]:
        try:
            naive = dt.datetime.strptime(str(text), fmt)
        except ValueError:
            raise self.fail(f"has a date {str(text)[:40]!r} not in the form {fmt}.", entry=entry) from None
        return zones.from_utc(naive, self.zone) if utc else zones.from_local(naive, self.zone)

    def number(self, value: Any, *, entry: int) -> float:
        if isinstance(value, dict):
            value = value.get("value", value.get("bpm"))
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.fail(f"has a value {str(value)[:40]!r} that is not a number.", entry=entry) from None

    # Per-minute files, in UTC unless read as the profile's wall clock (see MINUTE_ZONE).
    def minutes(self, rows: list[Any], kind: Kind) -> None:
        for entry, row in enumerate(rows, start=1):
            start, offset = self.stamp(_field(row, "dateTime"), US_STAMP, entry=entry, utc=self.minutes_utc)
            value = _field(row, "value")
            number = self.number(value.get("bpm") if isinstance(value, dict) else value, entry=entry)
            if kind == Kind.STEPS and number == 0:
                continue  # a minute without steps is no sample (wear time comes from heart rate)
            end = start + 60 if kind == Kind.STEPS else start
            self.add(kind, start, end, offset, number, entry=entry)
        self.records += len(rows)

    # Daily files, at the local midnight of the day.
    def daily(self, rows: list[Any], kind: Kind) -> None:
        for entry, row in enumerate(rows, start=1):
            start, offset = self.stamp(_field(row, "dateTime"), US_STAMP, entry=entry)
            number = self.number(_field(row, "value"), entry=entry)
            if kind == Kind.RESTING_HR and number == 0:
                continue  # Fitbit writes 0 on days it could not estimate a resting rate
            self.add(kind, start, start, offset, number, entry=entry)
        self.records += len(rows)

    def sleep(self, logs: list[Any]) -> None:
        for entry, log in enumerate(logs, start=1):
            start, offset = self.stamp(_field(log, "startTime"), "%Y-%m-%dT%H:%M:%S.%f", entry=entry)
            end, _ = self.stamp(_field(log, "endTime"), "%Y-%m-%dT%H:%M:%S.%f", entry=entry)
            self.add(Kind.SLEEP_IN_BED, start, end, offset, 1.0, entry=entry)
            levels = log.get("levels") if isinstance(log.get("levels"), dict) else {}
            if not levels.get("data"):
                self._summary_only(log, start, end, offset, entry=entry)
            for part in ("data", "shortData"):
                for level in levels.get(part) or []:
                    kind = LEVELS.get(str(_field(level, "level")))
                    if kind is None:
                        continue
                    at, at_offset = self.stamp(_field(level, "dateTime"), "%Y-%m-%dT%H:%M:%S.%f", entry=entry)
                    length = int(self.number(_field(level, "seconds"), entry=entry))
                    self.add(kind, at, at + length, at_offset, 1.0, entry=entry)
        self.records += len(logs)

    def _summary_only(self, log: dict[str, Any], start: int, end: int, offset: int, *, entry: int) -> None:
        """A log without its level intervals (trimmed archives): rebuild them from the log's own minutes.

        Asleep runs from falling asleep to the final wake; the minutes awake in between (the log's
        ``minutesAwake`` less the minutes before falling asleep and after waking) are placed as one spell in
        the middle, so the night's totals, onset and wake time match the log; only the spell's place is made up.
        """
        before = int(self.number(log.get("minutesToFallAsleep", 0), entry=entry)) * 60
        after = int(self.number(log.get("minutesAfterWakeup", 0), entry=entry)) * 60
        awake = int(self.number(log.get("minutesAwake", 0), entry=entry)) * 60 - before - after
        onset, wake = start + before, end - after
        self.add(Kind.SLEEP_ASLEEP, onset, wake, offset, 1.0, entry=entry)
        if 0 < awake < wake - onset:
            middle = (onset + wake - awake) // 2
            self.add(Kind.SLEEP_AWAKE, middle, middle + awake, offset, 1.0, entry=entry)

    def exercise(self, rows: list[Any]) -> None:
        for entry, row in enumerate(rows, start=1):
            start, offset = self.stamp(_field(row, "startTime"), US_STAMP, entry=entry)
            millis = self.number(row.get("activeDuration", _field(row, "duration")), entry=entry)
            self.add(Kind.WORKOUT, start, start + int(millis // 1000), offset, millis / 60_000, entry=entry)
        self.records += len(rows)

    def hrv_csv(self, text: str) -> None:
        for line, row in _csv_rows(text, self.label, required=("timestamp", "rmssd")):
            start, offset = self._csv_stamp(row["timestamp"], line, utc=False)
            self._csv_add(Kind.HRV_RMSSD, start, offset, row["rmssd"], line)

    def sleep_score_csv(self, text: str) -> None:
        for line, row in _csv_rows(text, self.label, required=("timestamp", "overall_score")):
            start, offset = self._csv_stamp(row["timestamp"], line, utc=True)
            self._csv_add(Kind.SLEEP_SCORE, start, offset, row["overall_score"], line)

    def _csv_stamp(self, text: str, line: int, *, utc: bool) -> tuple[int, int]:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(f"has a date {text[:40]!r} that is not an ISO date and time.", line=line) from None
        if moment.tzinfo is not None:
            return int(moment.timestamp()), zones.offset_minutes(moment.astimezone(self.zone))
        return zones.from_utc(moment, self.zone) if utc else zones.from_local(moment, self.zone)

    def _csv_add(self, kind: Kind, start: int, offset: int, text: str, line: int) -> None:
        self.records += 1
        if not text.strip():
            return
        try:
            value = float(text)
        except ValueError:
            raise self.fail(f"has a value {text[:40]!r} that is not a number.", line=line) from None
        problem = self.samples.add(kind, start, start, offset, value, self.code)
        if problem:
            raise self.fail(f"has {problem}.", line=line)


def _field(row: Any, name: str) -> Any:
    if not isinstance(row, dict) or name not in row:
        raise KeyError(name)
    return row[name]


def _csv_rows(text: str, label: str, *, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        raise BadInput(label, f"the header lacks the column(s) {', '.join(missing)}.", line=1)
    for row in reader:
        yield reader.line_num, {key: (value or "") for key, value in row.items() if key is not None}


_JSON: dict[str, Callable[[_Reader, list[Any]], None]] = {
    "heart_rate": lambda r, rows: r.minutes(rows, Kind.HEART_RATE),
    "steps": lambda r, rows: r.minutes(rows, Kind.STEPS),
    "resting_heart_rate": lambda r, rows: r.daily(rows, Kind.RESTING_HR),
    "very_active_minutes": lambda r, rows: r.daily(rows, Kind.EXERCISE_MIN),
    "moderately_active_minutes": lambda r, rows: r.daily(rows, Kind.EXERCISE_MIN),
    "sleep": _Reader.sleep,
    "exercise": _Reader.exercise,
}
_JSON_NAME = re.compile(r"^([a-z_]+?)(?:-[0-9-]+)?\.json$")
_HRV_NAME = re.compile(r"^Daily Heart Rate Variability Summary.*\.csv$")


def _kind_of(name: str) -> str | None:
    """Return which reader a member's base name goes to, or None to leave it alone."""
    match = _JSON_NAME.match(name)
    if match and match.group(1) in _JSON:
        return match.group(1)
    if _HRV_NAME.match(name):
        return "hrv"
    if name == "sleep_score.csv":
        return "sleep_score"
    return None


def _read(reader: _Reader, kind: str, data: bytes | bytearray) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(reader.label, "the file is not UTF-8 text (wrong kind of file).") from None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        line = next(n for n, row in enumerate(text.splitlines(), 1) if any(ord(c) < 32 and c != "\t" for c in row))
        raise BadInput(reader.label, "the file holds control characters.", line=line)
    if kind == "hrv":
        reader.hrv_csv(text)
        return
    if kind == "sleep_score":
        reader.sleep_score_csv(text)
        return
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(reader.label, f"this is not valid JSON ({error.msg}).", line=error.lineno) from None
    if not isinstance(rows, list):
        raise BadInput(reader.label, "expected a JSON list of entries (wrong kind of file).")
    try:
        _JSON[kind](reader, rows)
    except KeyError as error:
        raise BadInput(reader.label, f"an entry lacks the field {error.args[0]!r}.") from None
    except AttributeError:
        raise BadInput(reader.label, "an entry is not a JSON object.") from None


def _profile_zone(archive: zipfile.ZipFile) -> dt.tzinfo:
    for info in archive.infolist():
        if PurePosixPath(info.filename).name == "Profile.csv" and info.file_size < 1 << 20:
            rows = list(csv.DictReader(io.StringIO(archive.read(info).decode("utf-8-sig", "replace"))))
            if rows and rows[0].get("timezone"):
                return zones.zone_named(rows[0]["timezone"])
    return zones.UTC


MINUTE_ZONE = "utc"  # how per-minute JSON times are read: "utc", or "profile" (wall clock of Profile.csv's zone)
MINUTE_ZONES = ("utc", "profile")


def sniff(head: bytes) -> bool:
    text = head.lstrip()[:4096]
    return text.startswith(b"[") and (b'"dateTime"' in text or b'"logId"' in text or b'"dateOfSleep"' in text)


def parse(path: Path, spill: Spill | None = None, *, minute_zone: str = MINUTE_ZONE) -> Parsed:
    """Parse a Fitbit archive (zip) or one of its JSON or CSV files (``minute_zone``: see the module notes).

    With ``spill``, the samples of each file of the archive are handed to it once that file is read, so
    memory follows the largest file (a day or a month of one kind), not the archive. The bytes read (of the
    file, or of the archive's own compressed bytes) are reported to the import's live progress as each block
    is read, ending at the file's size.
    """
    if minute_zone not in MINUTE_ZONES:
        raise BadInput(path.name, f"unknown reading of per-minute times {minute_zone!r}.")
    check_size(path)
    samples = Samples()
    with path.open("rb") as raw:
        is_zip = raw.read(4) == b"PK\x03\x04"
    if not is_zip:
        kind = _kind_of(path.name)
        if kind is None:
            raise BadInput(path.name, "this is not a Fitbit archive file this importer reads (wrong kind of file).")
        reader = _Reader(samples, zones.UTC, path.name, minutes_utc=minute_zone == "utc")
        _read(reader, kind, reading.read_counted(path))
        return Parsed(samples=samples, records=reader.records)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BadInput(path.name, "the zip archive is damaged or truncated.") from None
    records, found, told = 0, False, reading.Progress(path.stat().st_size)
    with archive:
        check_zip(archive, path.name)
        zone = _profile_zone(archive)
        for info in archive.infolist():
            kind = None if info.is_dir() else _kind_of(PurePosixPath(info.filename).name)
            if kind is None:
                continue
            if info.file_size > MEMBER_LIMIT:
                raise BadInput(f"{path.name}:{info.filename}", "the file is larger than any Fitbit day or month.")
            found = True
            reader = _Reader(samples, zone, f"{path.name}:{info.filename}", minutes_utc=minute_zone == "utc")
            data = _member(archive, info, told)
            _read(reader, kind, data)
            del data
            records += reader.records
            if spill is not None:
                spill.take(samples)
    if not found:
        raise BadInput(path.name, "the archive holds no Fitbit file this importer reads.")
    told.reach(told.total)  # the rest of the archive is files this importer leaves alone
    return Parsed(samples=samples, records=records)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, told: reading.Progress) -> bytearray:
    """Read one member a block at a time, reporting how far into the archive's own bytes the reading is."""
    data = bytearray()
    with archive.open(info) as member:
        while block := member.read(reading.CHUNK):
            data += block
            if archive.fp is not None:  # where the member's compressed bytes were read up to
                told.reach(min(archive.fp.tell(), told.total))
    return data
