"""Daily features from samples: steps de-overlapped across devices, sleep nights, heart and activity.

Days are the client's local days as each sample recorded them: a sample's day is the date at its own
offset, so travel and daylight-saving changes put every sample on the day the client lived it. A night of
sleep belongs to the day it ends on (sleep that starts after 18:00 local time counts for the next day).
A day with no samples of a kind has no feature of that kind (missing, never zero).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alongside.wearables import arrow
from alongside.wearables.metrics import Metric
from alongside.wearables.samples import ASLEEP_KINDS, SLEEP_KINDS, Kind

DAY = 86_400
_EPOCH = dt.date(1970, 1, 1)
Row = tuple[int, int, int, float, str]  # start, end, offset, value, source


# Words that name a watch or a phone in a device's name, in the languages the app speaks and a few more: the
# samples keep only the source's name, which the owner may have changed ("Reloj de Ana" for an Apple Watch).
_WATCH_WORDS = ("watch", "reloj", "montre", "orologio", "relógio", "relogio")
_PHONE_WORDS = ("iphone", "phone", "teléfono", "telefono", "móvil", "movil", "celular", "téléphone")


@functools.cache
def source_priority(name: str) -> int:
    """Rank a source the way Apple's Health app does by default: the watch first, then the phone, then apps."""
    lowered = name.casefold()
    if any(word in lowered for word in _WATCH_WORDS):
        return 0
    if any(word in lowered for word in _PHONE_WORDS):
        return 1
    return 2


def local_day(at: int, offset: int) -> int:
    """Return the local epoch day of UTC second ``at`` recorded at ``offset`` minutes east of UTC."""
    return (at + offset * 60) // DAY


class Coverage:
    """Disjoint covered intervals, kept sorted; answers how much of an interval is already covered."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlap(self, start: int, end: int) -> int:
        total, index = 0, bisect_right(self.ends, start)
        while index < len(self.starts) and self.starts[index] < end:
            total += min(end, self.ends[index]) - max(start, self.starts[index])
            index += 1
        return total

    def covers_point(self, at: int) -> bool:
        index = bisect_right(self.ends, at)
        return index < len(self.starts) and self.starts[index] <= at

    def add(self, start: int, end: int) -> None:
        low = bisect_right(self.ends, start - 1)
        high = low
        while high < len(self.starts) and self.starts[high] <= end:
            start, end = min(start, self.starts[high]), max(end, self.ends[high])
            high += 1
        self.starts[low:high] = [start]
        self.ends[low:high] = [end]

    def length(self) -> int:
        return sum(e - s for s, e in zip(self.starts, self.ends, strict=True))


def _disjoint(ordered: list[Row]) -> bool:
    """Whether rows sorted by (priority, start, end) all share one priority and none overlaps another.

    Then every minute is counted once already, and the total is the plain sum (a companion app's batch of
    one source's minutes, the common case, so it skips the interval bookkeeping).
    """
    if not ordered:
        return True
    priority, reach = source_priority(ordered[0][4]), ordered[0][0]
    for start, end, _offset, _value, source in ordered:
        if start < reach or source_priority(source) != priority:
            return False
        reach = end
    return True


def deoverlap_total(rows: Iterable[Row]) -> float:
    """Total ``value`` over rows, each minute counted once: higher-priority sources first, the rest pro rata."""
    ordered = sorted(rows, key=lambda r: (source_priority(r[4]), r[0], r[1]))
    if _disjoint(ordered):
        return sum(row[3] for row in ordered)
    covered, total = Coverage(), 0.0
    for start, end, _offset, value, _source in ordered:
        if end > start:
            total += value * (1 - covered.overlap(start, end) / (end - start))
            covered.add(start, end)
        elif not covered.covers_point(start):
            total += value
    return total


def _by_day(rows: Iterable[Row]) -> dict[int, list[Row]]:
    days: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        days[local_day(row[0], row[2])].append(row)
    return days


def _night(rows_by_kind: dict[str, list[Row]]) -> dict[int, dict[str, list[Row]]]:
    nights: dict[int, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for kind, rows in sorted(rows_by_kind.items()):  # a fixed order, whichever kind a table holds first
        for row in rows:
            nights[local_day(row[0] + 6 * 3600, row[2])][kind].append(row)
    return nights


def sleep_features(night: int, kinds: dict[str, list[Row]]) -> dict[str, float]:
    """Sleep of one night: asleep stages merged across sources, awake spells removed, time in bed around them."""
    asleep, awake, in_bed = Coverage(), Coverage(), Coverage()
    offset = 0
    for kind, rows in kinds.items():
        for start, end, row_offset, _value, _source in rows:
            in_bed.add(start, end)
            if kind in ASLEEP_KINDS:
                asleep.add(start, end)
                offset = row_offset
            elif kind == Kind.SLEEP_AWAKE:
                awake.add(start, end)
    if not asleep.starts:
        return {}
    total = sum(e - s - awake.overlap(s, e) for s, e in zip(asleep.starts, asleep.ends, strict=True))
    midnight = night * DAY - offset * 60
    onset, wake = (asleep.starts[0] - midnight) / 60, (asleep.ends[-1] - midnight) / 60
    bed = in_bed.length()
    return {
        Metric.SLEEP_TOTAL: total / 60,
        Metric.SLEEP_IN_BED: bed / 60,
        Metric.SLEEP_EFFICIENCY: round(100 * total / bed, 1) if bed else 0.0,
        Metric.SLEEP_ONSET: onset,
        Metric.SLEEP_WAKE: wake,
        Metric.SLEEP_MIDPOINT: (onset + wake) / 2,
    }


def _of_kind(table: pa.Table, kind: str, *names: str) -> list[pa.ChunkedArray]:
    """The columns ``names`` of the rows of ``kind`` only (the other columns are never copied)."""
    chosen = pc.equal(table.column("kind"), arrow.strings([kind])[0])
    return [table.column(name).filter(chosen) for name in names]


def _per_day(table: pa.Table, kind: str, aggregate: str) -> dict[int, float]:
    """Aggregate one kind per local day inside Arrow and numpy (no Python object per sample).

    ``mean`` averages the values; ``wear`` counts the quarter hours with a reading, 15 minutes each (how
    long the watch was worn, from its heart-rate readings).
    """
    start, offset, *value = _of_kind(table, kind, "start", "offset", *(["value"] if aggregate == "mean" else []))
    if len(start) == 0:
        return {}
    local = arrow.view(start) + arrow.view(offset).astype(np.int64) * 60
    del start, offset
    if aggregate == "mean":
        day = np.floor(local.astype(np.float64) / float(DAY)).astype(np.int64)
        days, which = np.unique(day, return_inverse=True)
        values = arrow.view(value[0])
        means = np.bincount(which, weights=values, minlength=len(days)) / np.bincount(which, minlength=len(days))
        return dict(zip(days.tolist(), means.tolist(), strict=True))
    # A quarter hour lies within one day (96 of them a day), so the distinct quarter hours give each day's count;
    # integer division is the floor the days are cut with, exactly, for any epoch second a sample can have.
    slots = np.unique(local // 900)
    del local
    days, counts = np.unique(slots // (DAY // 900), return_counts=True)
    return {d: float(min(n * 15, 1440)) for d, n in zip(days.tolist(), counts.tolist(), strict=True)}


def _rows(table: pa.Table, *kinds: str) -> dict[str, list[Row]]:
    """The rows of the given kinds only, as tuples (one kind at a time keeps the peak memory down)."""
    part = table.filter(pc.is_in(table.column("kind"), value_set=arrow.strings(list(kinds))))
    if part.num_rows == 0:
        return {}
    numbers = [arrow.view(part.column(name)).tolist() for name in ("start", "end", "offset", "value")]
    labels = []  # names through their dictionary: one Python string per distinct name, not per row
    for name in ("kind", "source"):
        encoded = part.column(name).combine_chunks().dictionary_encode()
        names = encoded.dictionary.to_pylist()
        labels.append([names[index] for index in arrow.view(encoded.indices).tolist()])
    grouped: dict[str, list[Row]] = defaultdict(list)
    for kind, start, end, offset, value, source in zip(labels[0], *numbers, labels[1], strict=True):
        grouped[kind].append((start, end, offset, value, source))
    return grouped


def _day_slices(table: pa.Table, kind: str) -> Iterator[tuple[int, list[Row]]]:
    """Yield (local day, its rows of ``kind``) one day at a time, so only one day is ever held as Python tuples.

    The rows of a day keep their order in the table (a stable sort by day), as :func:`_by_day` gives them.
    """
    *numbers, source = _of_kind(table, kind, "start", "end", "offset", "value", "source")
    if len(source) == 0:
        return
    local = arrow.view(numbers[0]) + arrow.view(numbers[2]).astype(np.int64) * 60
    day = np.floor(local.astype(np.float64) / float(DAY)).astype(np.int64)
    order = np.argsort(day, kind="stable")
    days = day[order]
    columns = [arrow.view(column)[order] for column in numbers]
    sources = source.combine_chunks().dictionary_encode()
    names, codes = sources.dictionary.to_pylist(), arrow.view(sources.indices)[order]
    del numbers, source, local, day, order, sources  # only the numpy columns stay while the days are walked
    bounds = [0, *(np.flatnonzero(np.diff(days)) + 1).tolist(), len(days)]
    for low, high in itertools.pairwise(bounds):
        values = [column[low:high].tolist() for column in columns]
        labels = [names[code] for code in codes[low:high].tolist()]
        yield int(days[low]), list(zip(*values, labels, strict=True))


def daily_features(table: pa.Table) -> dict[dt.date, dict[str, float]]:
    """Return each local day's features from every sample of a client."""
    days: dict[int, dict[str, float]] = defaultdict(dict)
    summed = {Kind.STEPS: Metric.STEPS, Kind.EXERCISE_MIN: Metric.ACTIVE_MIN}
    for kind, metric in summed.items():
        for day, rows in _day_slices(table, kind):
            days[day][metric] = round(deoverlap_total(rows), 1)
    for day, rows in _day_slices(table, Kind.WORKOUT):
        covered = Coverage()
        for start, end, *_ in rows:
            covered.add(start, end)
        days[day][Metric.WORKOUT_MIN] = covered.length() / 60
    averaged = {
        Kind.RESTING_HR: Metric.RESTING_HR,
        Kind.HRV_SDNN: Metric.HRV_SDNN,
        Kind.HRV_RMSSD: Metric.HRV_RMSSD,
        Kind.SLEEP_SCORE: Metric.SLEEP_SCORE,
    }
    for kind, metric in averaged.items():
        for day, mean in _per_day(table, kind, "mean").items():
            days[day][metric] = round(mean, 1)
    for day, minutes in _per_day(table, Kind.HEART_RATE, "wear").items():
        days[day][Metric.WEAR_MIN] = minutes
    sleep = _rows(table, *(kind for kind in Kind if kind in SLEEP_KINDS))
    nights = _night(sleep)
    for night, kinds in nights.items():
        days[night].update(sleep_features(night, kinds))
    for day, index in _regularity(sleep, nights).items():
        days[day][Metric.SLEEP_REGULARITY] = index
    return {_EPOCH + dt.timedelta(days=day): values for day, values in sorted(days.items()) if values}


def _regularity(sleep: dict[str, list[Row]], nights: dict[int, dict[str, list[Row]]]) -> dict[int, float]:
    from alongside.wearables.regularity import regularity

    asleep, awake = Coverage(), Coverage()
    for kind, rows in sleep.items():
        if kind in ASLEEP_KINDS or kind == Kind.SLEEP_AWAKE:
            target = asleep if kind in ASLEEP_KINDS else awake
            for start, end, *_rest in rows:
                target.add(start, end)
    offsets = {
        night: next(row[2] for rows in kinds.values() for row in rows)
        for night, kinds in nights.items()
        if any(kind in ASLEEP_KINDS for kind in kinds)
    }
    return regularity(asleep, awake, offsets)


def vendor_exercise_totals(table: pa.Table) -> dict[dt.date, float]:
    """The exercise minutes the vendor's own daily summaries give (Apple's ActivitySummary), to check ours against."""
    rows = _rows(table, Kind.SUMMARY_EXERCISE_MIN).get(Kind.SUMMARY_EXERCISE_MIN, [])
    return {_EPOCH + dt.timedelta(days=start // DAY): value for start, _end, _offset, value, _source in rows}
