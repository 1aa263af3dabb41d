"""Personal baselines (a rolling 28-day median and MAD) and sustained deviations from them.

The baseline of a day is taken over the 28 days before it (never the day itself) and needs at least 14
of them. A day deviates when it lies more than 2 MADs from that median; three or more consecutive days
deviating the same way are a sustained deviation: a change worth asking about, never an alert.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

WINDOW_DAYS = 28
MIN_DAYS = 14
MADS = 2.0
SUSTAINED_DAYS = 3

Features = dict[dt.date, dict[str, tuple[float, float | None, float | None]]]


def baseline(values: dict[dt.date, float], day: dt.date) -> tuple[float, float] | None:
    """Return (median, MAD) of the 28 days before ``day``, or None with fewer than 14 of them."""
    window = [values[d] for d in (day - dt.timedelta(days=n) for n in range(1, WINDOW_DAYS + 1)) if d in values]
    if len(window) < MIN_DAYS:
        return None
    median = statistics.median(window)
    return median, statistics.median(abs(v - median) for v in window)


def direction(value: float, median: float | None, mad: float | None) -> int:
    """Return +1 or -1 when ``value`` lies beyond 2 MADs of the median, else 0."""
    if median is None or mad is None or mad <= 0 or abs(value - median) <= MADS * mad:
        return 0
    return 1 if value > median else -1


@dataclass(frozen=True)
class Deviation:
    """A run of consecutive days beyond 2 MADs on the same side of the baseline."""

    metric: str
    first: dt.date
    last: dt.date
    days: int
    direction: int  # +1 above the baseline, -1 below


def sustained(metric: str, days: list[tuple[dt.date, int]]) -> list[Deviation]:
    """Return the runs of at least 3 consecutive deviating days in ``(day, direction)`` (sorted by day)."""
    runs: list[Deviation] = []
    first = previous = None
    sign = 0
    for day, dirn in [*days, (dt.date.max, 0)]:
        continuing = dirn != 0 and dirn == sign and previous is not None and day - previous == dt.timedelta(days=1)
        if not continuing:
            if sign and first is not None and previous is not None and (previous - first).days + 1 >= SUSTAINED_DAYS:
                runs.append(Deviation(metric, first, previous, (previous - first).days + 1, sign))
            first, sign = day, dirn
        previous = day
    return runs


def with_baselines(days: dict[dt.date, dict[str, float]]) -> Features:
    """Attach to each day's features the median and MAD of the 28 days before it."""
    series: dict[str, dict[dt.date, float]] = defaultdict(dict)
    for day, metrics in days.items():
        for metric, value in metrics.items():
            series[metric][day] = value
    result: Features = defaultdict(dict)
    for metric, values in series.items():
        for day, value in values.items():
            found = baseline(values, day)
            result[day][metric] = (value, *found) if found else (value, None, None)
    return dict(result)
