"""Time zones, local dates and quiet hours, shared by every app (one copy of each helper)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_or_utc(name: str | None) -> ZoneInfo:
    """Return the named time zone; UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(at: dt.datetime, zone_name: str | None) -> dt.date:
    """Return the calendar date of ``at`` in the named zone."""
    return at.astimezone(zone_or_utc(zone_name)).date()


def in_quiet_hours(local: dt.datetime, start: dt.time, end: dt.time) -> bool:
    """Whether the local wall time falls in the quiet hours from ``start`` to ``end`` (may span midnight)."""
    t = local.time()
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end
