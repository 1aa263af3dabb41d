"""Scales and ticks: values to y, days to x, and tick positions people can read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Linear:
    """Map a domain [lo, hi] onto a range [start, end] (end may be below start, as for y)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        value = min(self.hi, max(self.lo, value))
        return self.start + (value - self.lo) * (self.end - self.start) / (self.hi - self.lo)


def as_date(at: date | datetime) -> date:
    """Return the calendar day of a point, in the current time zone when it is an aware datetime."""
    if isinstance(at, datetime):
        return (timezone.localtime(at) if timezone.is_aware(at) else at).date()
    return at


def day_number(at: date | datetime) -> float:
    """Return a day count (fractional for datetimes) to place a point on the time axis."""
    if isinstance(at, datetime):
        local = timezone.localtime(at) if timezone.is_aware(at) else at
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return local.date().toordinal() + seconds / SECONDS_PER_DAY
    return at.toordinal()


def value_ticks(lo: float, hi: float, most: int = 6) -> tuple[float, ...]:
    """Return round values from lo to hi, at most `most` of them (0, 5, 10 … for PHQ-9)."""
    span = hi - lo
    magnitude = 10 ** math.floor(math.log10(span / most)) if span > 0 else 1
    step = magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if math.floor(span / step + 1e-9) + 1 <= most or multiple == 10:
            break
    first = math.ceil(lo / step - 1e-9) * step
    ticks: list[float] = []
    index = 0
    while first + index * step <= hi + 1e-9:
        ticks.append(round(first + index * step, 6))
        index += 1
    return tuple(ticks)


@dataclass(frozen=True)
class DateTick:
    day: date
    kind: str  # "day", "week", "month" or "year": which label format to use


def _months(lo: date, hi: date, every: int) -> list[date]:
    ticks: list[date] = []
    year, month = lo.year, lo.month
    while True:
        tick = date(year, month, 1)
        if tick > hi:
            return ticks
        if tick >= lo and (month - 1) % every == 0:
            ticks.append(tick)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _days(lo: date, hi: date, every: int, mondays: bool) -> list[date]:
    ticks: list[date] = []
    tick = lo
    while tick <= hi:
        ordinal = tick.toordinal()
        # date(1, 1, 1) was a Monday, so Mondays are the ordinals that leave 1 modulo 7.
        if mondays:
            if ordinal % 7 == 1 and (ordinal // 7) % every == 0:
                ticks.append(tick)
        elif ordinal % every == 0:
            ticks.append(tick)
        tick += timedelta(days=1)
    return ticks


# Steps from finest to coarsest, with their length in days to skip hopeless ones without counting.
_STEPS: tuple[tuple[str, int, float], ...] = (
    ("day", 1, 1),
    ("day", 2, 2),
    ("week", 1, 7),
    ("week", 2, 14),
    ("month", 1, 30.4),
    ("month", 2, 60.9),
    ("month", 3, 91.3),
    ("month", 6, 182.6),
    ("year", 1, 365.2),
    ("year", 2, 730.5),
    ("year", 5, 1826.2),
    ("year", 10, 3652.4),
)


def date_ticks(lo: float, hi: float, most: int) -> tuple[DateTick, ...]:
    """Return day, week, month or year ticks between two day numbers, at most `most` of them."""
    first = date.fromordinal(math.ceil(lo))
    last = date.fromordinal(math.floor(hi))
    if last < first:
        return ()
    span = hi - lo
    for kind, every, length in _STEPS:
        if span / length > most + 1:
            continue
        if kind == "day":
            days = _days(first, last, every, mondays=False)
        elif kind == "week":
            days = _days(first, last, every, mondays=True)
        elif kind == "month":
            days = _months(first, last, every)
        else:
            days = [d for d in _months(first, last, 12) if d.year % every == 0]
        if 0 < len(days) <= most:
            return tuple(DateTick(day, kind) for day in days)
    return ()
