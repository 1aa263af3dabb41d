"""The shared time helpers in alongside.core.time (one copy for every app)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from alongside.core.time import in_quiet_hours, local_date, zone_or_utc


def test_unknown_or_empty_zone_falls_back_to_utc() -> None:
    """A client with no or a misspelt time zone is treated as UTC, never an error."""
    assert zone_or_utc("") == ZoneInfo("UTC")
    assert zone_or_utc(None) == ZoneInfo("UTC")
    assert zone_or_utc("Mars/Olympus_Mons") == ZoneInfo("UTC")
    assert zone_or_utc("America/Bogota") == ZoneInfo("America/Bogota")


def test_local_date_uses_the_zone() -> None:
    """Late evening in Bogota is already the next day in UTC; the local date is Bogota's."""
    at = dt.datetime(2026, 3, 1, 3, 30, tzinfo=dt.UTC)
    assert local_date(at, "America/Bogota") == dt.date(2026, 2, 28)


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    """21:00-08:00 covers 23:00 and 07:59 but not 08:00; equal ends mean no quiet hours."""
    zone = ZoneInfo("Europe/Madrid")
    night, day = (dt.time(21), dt.time(8)), (dt.time(12), dt.time(14))
    assert in_quiet_hours(dt.datetime(2026, 1, 1, 23, tzinfo=zone), *night)
    assert in_quiet_hours(dt.datetime(2026, 1, 1, 7, 59, tzinfo=zone), *night)
    assert not in_quiet_hours(dt.datetime(2026, 1, 1, 8, tzinfo=zone), *night)
    assert in_quiet_hours(dt.datetime(2026, 1, 1, 13, tzinfo=zone), *day)
    assert not in_quiet_hours(dt.datetime(2026, 1, 1, 14, tzinfo=zone), *day)
    assert not in_quiet_hours(dt.datetime(2026, 1, 1, 3, tzinfo=zone), dt.time(9), dt.time(9))
