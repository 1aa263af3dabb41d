"""A file's samples de-duplicated, sealed and turned into daily features a window of time at a time.

The samples come back from the :class:`~alongside.wearables.spill.Spill` one window (about a month) at a
time, in order of time. Each window is de-duplicated against itself and against the client's stored samples
of the same window, and appended to the import's sealed Parquet file; then the daily features are computed
for a group of :data:`GROUP` windows from the samples that start in it and :data:`MARGIN_DAYS` days on
each side (a night's sleep crosses midnight, a sample's local day is up to 14 hours from its UTC day, and
the regularity index looks back 7 days), and the windows no later group needs are let go. So memory
follows the window, not the file, and the result is the same sample file and the same features as
de-duplicating and computing everything at once (``tests/wearables/test_chunked.py`` checks both).

This module touches no database: the caller gives it the stored samples (``stored``) and records the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alongside.wearables import arrow, storage
from alongside.wearables import spill as spilling
from alongside.wearables.features import DAY, daily_features
from alongside.wearables.samples import Samples

# The same rule as the pushed batches' (importing.py): the features of the local days from the first new
# sample's to AFTER_DAYS after the last one's are recomputed, each from the samples that start within
# MARGIN_DAYS of it.
AFTER_DAYS = 10
MARGIN_DAYS = 12
GROUP = 3  # windows whose features are computed together: 96 days read with 24 of margin, so about 1.25 reads a sample
GROUP_SAMPLES = 600_000  # fewer windows together where a window holds more than a third of this (group_windows)
_EPOCH = dt.date(1970, 1, 1)

# The stored samples starting between two UTC seconds (both included), one table per earlier import, in the
# order of the imports; the same imports, in the same order, at every call.
StoredReader = Callable[[int, int], list[pa.Table]]


@dataclass
class Outcome:
    """What one import stored: the counts, the features of the days it changed, and the range of its starts."""

    incoming: int = 0
    stored: int = 0
    features: dict[dt.date, dict[str, float]] = field(default_factory=dict)
    span: tuple[dt.date, dt.date] | None = None
    starts: tuple[int, int] | None = None
    days: int = 0


class _Run:
    def __init__(self, spill: spilling.Spill, like: Samples, stored: StoredReader, writer: storage.SealedWriter):
        self.spill, self.like, self.stored, self.writer = spill, like, stored, writer
        self.kept = set(spill.windows())
        self.new: dict[int, pa.Table] = {}
        self.old: dict[int, list[pa.Table]] = {}
        self.outcome = Outcome(incoming=spill.count)
        self.local: list[int] = []  # the first and last local day (night, for sleep) of the new samples
        self.days: set[int] = set()

    def load(self, window: int) -> None:
        """De-duplicate one window's samples and append the new ones to the sealed file (windows come in order)."""
        width = spilling.WINDOW
        self.old[window] = self.stored(window * width, (window + 1) * width - 1)
        if window not in self.kept:
            self.new[window] = arrow.empty(storage.SCHEMA)
            return
        incoming = storage.to_table(self.spill.samples(window, self.like))
        fresh = storage.new_only(incoming, pa.concat_tables([arrow.empty(storage.SCHEMA), *self.old[window]]))
        del incoming  # before the window is written and the next one read
        self.new[window] = fresh
        if not fresh.num_rows:
            return
        self.writer.write(fresh)
        self.outcome.stored += fresh.num_rows
        start = fresh.column("start")
        local = pc.add(start, pc.multiply(fresh.column("offset").cast(pa.int64()), arrow.scalar(60, pa.int64())))
        bounds, reach = pc.min_max(local).as_py(), pc.min_max(start).as_py()
        self.local = [
            min([bounds["min"] // DAY, *self.local[:1]]),
            max([(bounds["max"] + 6 * 3600) // DAY, *self.local[1:]]),
        ]
        first, last = self.outcome.starts or (reach["min"], reach["max"])
        self.outcome.starts = (min(first, reach["min"]), max(last, reach["max"]))
        self.days.update(np.unique(arrow.view(local) // DAY).tolist())

    def group(self, low_day: int, high_day: int) -> None:
        """Compute the features of the local days ``low_day`` to ``high_day - 1``."""
        low, high = (low_day - MARGIN_DAYS) * DAY, (high_day + MARGIN_DAYS) * DAY
        needed = range(low // spilling.WINDOW, high // spilling.WINDOW + 1)
        for window in needed:
            if window not in self.new:
                self.load(window)
        jobs = len(self.old[needed[0]])
        parts = [arrow.empty(storage.SCHEMA)]
        parts += [self.old[window][job] for job in range(jobs) for window in needed]
        parts += [self.new[window] for window in needed]
        table = pa.concat_tables([_between(part, low, high) for part in parts])
        if table.num_rows:
            for day, values in daily_features(table).items():
                number = (day - _EPOCH).days
                if low_day <= number < high_day:
                    self.outcome.features[day] = values
        self.let_go((high_day - MARGIN_DAYS) * DAY)

    def let_go(self, cut: int) -> None:
        """Drop the samples starting before UTC second ``cut``, which no later group reads: whole windows, or
        the start of the window ``cut`` falls in (the rest copied, so the window's buffers are freed)."""
        for window in list(self.new):
            if (window + 1) * spilling.WINDOW <= cut:
                del self.new[window], self.old[window]
            elif window * spilling.WINDOW < cut:
                self.new[window] = _from(self.new[window], cut)
                self.old[window] = [_from(table, cut) for table in self.old[window]]


def _between(table: pa.Table, low: int, high: int) -> pa.Table:
    """The rows of ``table`` that start between ``low`` and ``high`` (both included), in their order.

    Windows and stored files are sorted by start, so this is a slice of each chunk, not a copy; a chunk that
    is not sorted is filtered.
    """
    kept = []
    for batch in table.to_batches():
        start = arrow.view(batch.column("start"))
        if np.all(start[1:] >= start[:-1]):
            first, last = int(np.searchsorted(start, low, "left")), int(np.searchsorted(start, high, "right"))
            kept.append(batch.slice(first, last - first))
        else:
            at = batch.column("start")
            low_at, high_at = arrow.scalar(low, pa.int64()), arrow.scalar(high, pa.int64())
            kept.append(batch.filter(pc.and_(pc.greater_equal(at, low_at), pc.less_equal(at, high_at))))
    return pa.Table.from_batches(kept, schema=table.schema)


def _from(table: pa.Table, cut: int) -> pa.Table:
    """A copy of the rows of ``table`` that start at or after ``cut``, in their order."""
    return table.filter(pc.greater_equal(table.column("start"), arrow.scalar(cut, pa.int64())))


def group_windows(sizes: dict[int, int]) -> int:
    """How many windows a group of features reads around: :data:`GROUP`, fewer where samples are dense.

    A group holds its windows and the ones on each side in memory, so the densest window decides: a year
    of a watch's 5-minute heart rate is about 18,000 samples a window, a Fitbit's 5-second heart rate about
    560,000 (one window at a time then).
    """
    densest = max(sizes.values(), default=0)
    return max(1, min(GROUP, GROUP_SAMPLES // max(densest, 1)))


def run(*, spill: spilling.Spill, like: Samples, stored: StoredReader, writer: storage.SealedWriter) -> Outcome:
    """De-duplicate, seal and compute the features of every sample in ``spill``, a window at a time.

    ``like`` gives the source names of the samples' codes; ``writer`` receives the new samples in order of
    time and is left open (the caller closes or aborts it).
    """
    windows = spill.windows()
    if not windows:
        return Outcome()
    work = _Run(spill, like, stored, writer)
    days_per_window = spilling.WINDOW // DAY
    together = group_windows(spill.sizes())
    if together == 1:
        storage.large_blocks_returned()  # dense: the freed windows' arrays go back to the system
    span = together * days_per_window
    # Local days reach 14 hours either side of the UTC starts; nights 6 hours more; then AFTER_DAYS more.
    first_day = windows[0] * days_per_window - 1
    last_day = (windows[-1] + 1) * days_per_window + 1 + AFTER_DAYS
    for low_day in range(first_day // span * span, last_day + 1, span):
        work.group(low_day, low_day + span)
    outcome = work.outcome
    if outcome.stored:
        lo, hi = work.local[0], work.local[1]
        first, last = _EPOCH + dt.timedelta(days=lo), _EPOCH + dt.timedelta(days=hi + AFTER_DAYS)
        outcome.features = {day: values for day, values in outcome.features.items() if first <= day <= last}
        outcome.span = (first, last)
        outcome.days = len(work.days)
    else:
        outcome.features = {}
    return outcome
