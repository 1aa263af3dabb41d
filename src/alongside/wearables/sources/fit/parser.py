"""Read Garmin FIT activity and monitoring files with ``fitdecode``.

FIT times are UTC (seconds since 1989-12-31). The wall-clock offset comes from the file itself: the
``activity`` or ``monitoring_info`` message carries ``local_timestamp`` next to ``timestamp``, and their
difference is the offset of every sample in the file (UTC when neither is present). Monitoring messages may
carry only ``timestamp_16``, the low 16 bits of the time, completed from the last full timestamp; their step
counts (``cycles`` read as ``steps``) run up through the day per activity type, so a sample is the rise since
the previous message of that type. Every file is checked against its CRC before anything is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitdecode  # type: ignore[import-untyped]

from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds (FIT SDK, "date_time" type)


@dataclass
class _Pending:
    """Samples read before the file's offset is known: (kind, start, end, value, message number)."""

    rows: list[tuple[Kind, int, int, float, int]] = field(default_factory=list)
    offset: int | None = None
    last_time: int | None = None
    steps_seen: dict[Any, int] = field(default_factory=dict)
    steps_time: dict[Any, int] = field(default_factory=dict)


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


def _read_frame(frame: Any, number: int, pending: _Pending) -> None:
    name = frame.name
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


def parse(path: Path) -> Parsed:
    """Parse one FIT file; refuse it, naming the message, at the first thing that does not decode."""
    check_size(path)
    with path.open("rb") as stream:
        if not sniff(stream.read(12)):
            raise BadInput(path.name, "this is not a FIT file (its header lacks '.FIT'; wrong kind of file).")
    pending, records = _Pending(), 0
    try:
        with fitdecode.FitReader(
            str(path), check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.RAISE
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    records += 1
                    _read_frame(frame, records, pending)
    except fitdecode.FitError as error:
        where = f"after message {records}" if records else "in its header"
        raise BadInput(path.name, f"the FIT file is damaged {where} ({error}).") from None
    samples = Samples()
    code = samples.source_code("Garmin")
    offset = pending.offset or 0
    for kind, start, end, value, number in pending.rows:
        problem = samples.add(kind, start, end, offset, value, code)
        if problem:
            raise BadInput(path.name, f"message {number} has {problem}.")
    return Parsed(samples=samples, records=records)
