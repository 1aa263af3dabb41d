"""Wall-clock times to UTC and back, for sources that record local times without their offset."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC


def zone_named(name: str | None) -> dt.tzinfo:
    """Return the IANA zone ``name``, or UTC when it is empty or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def offset_minutes(moment: dt.datetime) -> int:
    """Minutes east of UTC of an aware datetime."""
    return int((moment.utcoffset() or dt.timedelta()).total_seconds() // 60)


def from_local(naive: dt.datetime, zone: dt.tzinfo) -> tuple[int, int]:
    """Return (UTC epoch seconds, offset minutes) of a wall-clock time in ``zone``.

    A time repeated when the clocks go back is read as its first occurrence (``fold=0``); a time skipped
    when they go forward is read with the offset before the change, as ``zoneinfo`` does.
    """
    aware = naive.replace(tzinfo=zone)
    return int(aware.timestamp()), offset_minutes(aware)


def from_utc(naive_utc: dt.datetime, zone: dt.tzinfo) -> tuple[int, int]:
    """Return (UTC epoch seconds, offset minutes in ``zone``) of a UTC time written without its zone."""
    moment = naive_utc.replace(tzinfo=UTC)
    return int(moment.timestamp()), offset_minutes(moment.astimezone(zone))
