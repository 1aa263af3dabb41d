"""Read Garmin FIT activity and monitoring files with ``fitdecode``.

FIT times are UTC (seconds since 1989-12-31). The wall-clock offset comes from the file itself: the
``activity`` or ``monitoring_info`` message carries ``local_timestamp`` next to ``timestamp``, and their
difference is the offset of every sample in the file (UTC when neither is present). Monitoring messages may
carry only ``timestamp_16``, the low 16 bits of the time, completed from the last full timestamp; their step
counts (``cycles`` read as ``steps``) run up through the day per activity type, so a sample is the rise since
the previous message of that type. Every file is checked against its CRC before anything is kept.

Beat-to-beat intervals and sleep (FIT profile 21.171, the one ``fitdecode`` 0.11 ships; checked 2026-12-07):

- ``hrv`` (message 78) holds up to five beat-to-beat intervals in field 0 ``time`` (seconds, scale 1000) and no
  time of its own. The beats are placed one after another from the last timestamped message read before the
  first ``hrv`` message (the timer start or first record of an activity). RMSSD is computed from them over
  5-minute windows, the short-term recording the HRV standards describe (Task Force of the European Society of
  Cardiology and NASPE, "Heart rate variability: standards of measurement, physiological interpretation and
  clinical use", Circulation 1996;93:1043-1065: RMSSD is the square root of the mean of the squared
  differences of successive NN intervals; 5-minute recordings are the short-term standard). Intervals outside
  0.3-2 s are treated as artefacts: they move the clock on but pair with neither neighbour. A window needs
  :data:`MIN_DIFFERENCES` clean successive differences, else it gives nothing. Each window is one RMSSD
  sample in ms, so RMSSD stays RMSSD (never SDNN), as with Fitbit's own nightly value.
- ``hrv_value`` (message 371, field 0 ``value``, a 5-minute RMSSD in ms, scale 128) is the watch's own RMSSD
  of a 5-minute window and is kept as such.
- ``sleep_level`` (message 275, field 0 ``sleep_level``: 0 unmeasurable, 1 awake, 2 light, 3 deep, 4 REM)
  marks the stage from its timestamp to the next ``sleep_level`` message's. Light is stored as core sleep
  (the same stage Apple calls core and Fitbit light); an unmeasurable spell is a gap. The last level of the
  file ends at the latest timestamp read after it (a ``sleep_assessment`` or closing message), or is left
  out when nothing later gives its end; a level lasting over :data:`MAX_LEVEL` is cut there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitdecode  # type: ignore[import-untyped]

from alongside.wearables.hrv import BEAT_RANGE, MIN_DIFFERENCES
from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed
from alongside.wearables.sources.reading import open_counted
from alongside.wearables.spill import Spill

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds (FIT SDK, "date_time" type)
WINDOW = 300  # seconds of beats per RMSSD value (Task Force 1996, short-term recordings)
MAX_BEATS = 1_000_000  # about four days at 180 beats a minute: more in one file is not a recording
MAX_LEVELS = 200_000  # sleep-level messages in one file (a year of one a minute is 525,600 over many files)
MAX_LEVEL = 12 * 3600  # no single sleep level is taken to last longer than a long night
SLEEP_LEVELS = {"awake": Kind.SLEEP_AWAKE, "light": Kind.SLEEP_CORE, "deep": Kind.SLEEP_DEEP, "rem": Kind.SLEEP_REM}


@dataclass
class _Beats:
    """Beat-to-beat intervals folded into 5-minute RMSSD windows as they are read (nothing per beat is kept)."""

    clock: float | None = None  # the time of the last beat placed, UTC epoch seconds
    count: int = 0
    window_start: float = 0.0
    previous: float | None = None  # the last clean interval, ms
    squares: float = 0.0
    differences: int = 0
    number: int = 0  # the message that closed the last window

    def add(self, interval: float, anchor: int | None, number: int, rows: list[Any]) -> None:
        if self.clock is None:
            if anchor is None:
                return  # no time to place the beats at: the file has no timestamp before them
            self.clock = self.window_start = float(anchor)
        self.count += 1
        self.clock += interval
        if self.clock - self.window_start >= WINDOW:
            self.close(rows, number)
            self.window_start = self.clock - interval
        if not BEAT_RANGE[0] <= interval <= BEAT_RANGE[1]:
            self.previous = None
            return
        ms = interval * 1000
        if self.previous is not None:
            self.squares += (ms - self.previous) ** 2
            self.differences += 1
        self.previous = ms

    def close(self, rows: list[Any], number: int) -> None:
        if self.clock is not None and self.differences >= MIN_DIFFERENCES:
            rmssd = (self.squares / self.differences) ** 0.5
            start = int(self.window_start)
            rows.append((Kind.HRV_RMSSD, start, max(start, int(self.clock)), round(rmssd, 1), number))
        self.squares, self.differences = 0.0, 0


@dataclass
class _Pending:
    """Samples read before the file's offset is known: (kind, start, end, value, message number)."""

    rows: list[tuple[Kind, int, int, float, int]] = field(default_factory=list)
    problem: str | None = None  # the first implausible sample, refused once the whole file has decoded
    offset: int | None = None
    last_time: int | None = None
    steps_seen: dict[Any, int] = field(default_factory=dict)
    steps_time: dict[Any, int] = field(default_factory=dict)
    stamped: int | None = None  # the latest full timestamp of any message
    beats: _Beats = field(default_factory=_Beats)
    level: tuple[Kind | None, int, int] | None = None  # the open sleep level: (kind, start, message)
    levels: int = 0


def _seconds(value: Any) -> int | None:
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    if isinstance(value, int | float):
        return int(value) + FIT_EPOCH
    return None


def _value(frame: Any, name: str) -> Any:
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _time(frame: Any, pending: _Pending) -> int | None:
    stamp = _seconds(_value(frame, "timestamp"))
    if stamp is None:
        short = _value(frame, "timestamp_16")
        if short is None or pending.last_time is None:
            return None
        last = pending.last_time - FIT_EPOCH
        stamp = pending.last_time + ((int(short) - (last & 0xFFFF)) & 0xFFFF)
    pending.last_time = stamp
    return stamp


def _read_frame(frame: Any, number: int, pending: _Pending, name: str) -> None:
    stamp = _seconds(_value(frame, "timestamp"))
    if stamp is not None:
        pending.stamped = stamp
    if name == "hrv":
        _hrv(frame, number, pending, name)
        return
    if name == "hrv_value":
        value = _value(frame, "value")
        if stamp is not None and value is not None:
            pending.rows.append((Kind.HRV_RMSSD, stamp, stamp + WINDOW, float(value), number))
        return
    if name == "sleep_level":
        _sleep_level(frame, number, pending, stamp)
        return
    if name in ("activity", "monitoring_info"):
        local, utc = _value(frame, "local_timestamp"), _seconds(_value(frame, "timestamp"))
        if isinstance(local, dt.datetime) and utc is not None and pending.offset is None:
            pending.offset = round((int(local.timestamp()) - utc) / 60)
        if utc is not None:
            pending.last_time = utc
        return
    if name == "record":
        at = _time(frame, pending)
        heart = _value(frame, "heart_rate")
        if at is not None and heart is not None:
            pending.rows.append((Kind.HEART_RATE, at, at, float(heart), number))
        return
    if name == "session":
        start, length = _seconds(_value(frame, "start_time")), _value(frame, "total_elapsed_time")
        if start is not None and length is not None:
            pending.rows.append((Kind.WORKOUT, start, start + int(length), float(length) / 60, number))
        return
    if name == "monitoring":
        _monitoring(frame, number, pending)


def _hrv(frame: Any, number: int, pending: _Pending, name: str) -> None:
    times = _value(frame, "time")
    for interval in times if isinstance(times, tuple | list) else [times]:
        if interval is None or interval >= 65.535:  # 0xFFFF pads an array of fewer than five beats
            continue
        pending.beats.add(float(interval), pending.stamped, number, pending.rows)
        if pending.beats.count > MAX_BEATS:
            raise _TooMany(f"over {MAX_BEATS:,} beat-to-beat intervals (message {number})")


def _sleep_level(frame: Any, number: int, pending: _Pending, stamp: int | None) -> None:
    if stamp is None:
        return
    pending.levels += 1
    if pending.levels > MAX_LEVELS:
        raise _TooMany(f"over {MAX_LEVELS:,} sleep-level messages (message {number})")
    _close_level(pending, stamp)
    level = _value(frame, "sleep_level")
    pending.level = (SLEEP_LEVELS.get(level) if isinstance(level, str) else None, stamp, number)


def _close_level(pending: _Pending, until: int) -> None:
    if pending.level is None:
        return
    kind, start, number = pending.level
    pending.level = None
    if kind is not None and until > start:
        pending.rows.append((kind, start, min(until, start + MAX_LEVEL), 1.0, number))


class _TooMany(Exception):
    """A count no real file reaches."""


def _monitoring(frame: Any, number: int, pending: _Pending) -> None:
    at = _time(frame, pending)
    if at is None:
        return
    heart = _value(frame, "heart_rate")
    if heart:
        pending.rows.append((Kind.HEART_RATE, at, at, float(heart), number))
    steps = _value(frame, "steps")
    if steps is None:
        return
    activity = _value(frame, "activity_type")
    total, before = int(steps), pending.steps_seen.get(activity)
    since = pending.steps_time.get(activity, at)
    pending.steps_seen[activity], pending.steps_time[activity] = total, at
    rise = total if before is None or total < before else total - before  # counters restart each day
    if rise > 0 and before is not None:
        pending.rows.append((Kind.STEPS, since, at, float(rise), number))


def sniff(head: bytes) -> bool:
    return len(head) >= 12 and head[8:12] == b".FIT"


def _settle(pending: _Pending, samples: Samples, code: int, spill: Spill | None) -> None:
    """Turn the rows read so far into samples at the file's offset and hand them to ``spill``.

    Only once the offset is known (from ``activity`` or ``monitoring_info``; a monitoring file gives it
    first, an activity file last), or at the end of the file, when a file without one is read as UTC.
    An implausible sample is remembered, not raised, so that a file that also turns out damaged further
    on is refused as damaged, as when it was read whole.
    """
    offset = pending.offset or 0
    for kind, start, end, value, number in pending.rows:
        problem = samples.add(kind, start, end, offset, value, code)
        if problem and pending.problem is None:
            pending.problem = f"message {number} has {problem}."
    pending.rows.clear()
    if spill is not None:
        spill.take(samples)


BATCH = 4096  # messages between hand-overs to the spill


def parse(path: Path, spill: Spill | None = None) -> Parsed:
    """Parse one FIT file; refuse it, naming the message, at the first thing that does not decode.

    With ``spill``, the samples are handed to it every :data:`BATCH` messages once the file's offset is
    known (see :func:`_settle`); a file refused further on is still refused whole (the caller drops the spill).
    """
    check_size(path)
    with path.open("rb") as stream:
        if not sniff(stream.read(12)):
            raise BadInput(path.name, "this is not a FIT file (its header lacks '.FIT'; wrong kind of file).")
    pending, records = _Pending(), 0
    samples = Samples()
    code = samples.source_code("Garmin")
    try:
        with (
            open_counted(path) as stream,
            fitdecode.FitReader(  # the stream reports the import's live progress
                stream, check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.RAISE
            ) as reader,
        ):
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    records += 1
                    _read_frame(frame, records, pending, frame.name)
                    if spill is not None and pending.offset is not None and records % BATCH == 0:
                        _settle(pending, samples, code, spill)
    except fitdecode.FitError as error:
        where = f"after message {records}" if records else "in its header"
        raise BadInput(path.name, f"the FIT file is damaged {where} ({error}).") from None
    except _TooMany as error:
        raise BadInput(path.name, f"the file holds {error}; no recording is that long.") from None
    pending.beats.close(pending.rows, records)
    if pending.level is not None and pending.stamped is not None:
        _close_level(pending, pending.stamped)
    _settle(pending, samples, code, None)
    if pending.problem:
        raise BadInput(path.name, pending.problem)
    return Parsed(samples=samples, records=records)
