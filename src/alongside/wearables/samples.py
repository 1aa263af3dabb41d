"""What every importer produces: samples as columns, their kinds, and the limits a plausible value keeps.

A sample is one measurement over an interval: ``start`` and ``end`` in UTC epoch seconds, ``offset`` the
wall-clock offset (minutes east of UTC) the device recorded it in, ``value`` in the kind's unit, and the
``source`` that recorded it. Samples are held as typed arrays (about 30 bytes each), never as objects, so a
year of a watch and a phone (about 720,000 samples) costs tens of megabytes.
"""

from __future__ import annotations

import time
from array import array
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    STEPS = "steps"  # count
    HEART_RATE = "heart_rate"  # beats per minute
    RESTING_HR = "resting_hr"  # beats per minute
    HRV_SDNN = "hrv_sdnn"  # milliseconds, SDNN (Apple); never mixed with RMSSD
    HRV_RMSSD = "hrv_rmssd"  # milliseconds, RMSSD (Fitbit, Open mHealth rr-interval)
    EXERCISE_MIN = "exercise_min"  # minutes
    WORKOUT = "workout"  # minutes
    SLEEP_IN_BED = "sleep_in_bed"  # the interval is the measurement; value 1
    SLEEP_ASLEEP = "sleep_asleep"
    SLEEP_CORE = "sleep_core"
    SLEEP_DEEP = "sleep_deep"
    SLEEP_REM = "sleep_rem"
    SLEEP_AWAKE = "sleep_awake"
    SUMMARY_EXERCISE_MIN = "summary_exercise_min"  # the vendor's own daily total, kept to check ours against
    SLEEP_SCORE = "sleep_score"  # Fitbit's nightly score, 0-100 (new kinds go last: stored codes keep their order)


KINDS: list[Kind] = list(Kind)
KIND_CODE: dict[Kind, int] = {kind: index for index, kind in enumerate(KINDS)}
ASLEEP_KINDS = frozenset({Kind.SLEEP_ASLEEP, Kind.SLEEP_CORE, Kind.SLEEP_DEEP, Kind.SLEEP_REM})
SLEEP_KINDS = ASLEEP_KINDS | {Kind.SLEEP_IN_BED, Kind.SLEEP_AWAKE}

# Plausible values per sample; anything outside is refused with the file and line named.
LIMITS: dict[Kind, tuple[float, float]] = {
    Kind.STEPS: (0, 100_000),
    Kind.HEART_RATE: (20, 250),
    Kind.RESTING_HR: (20, 200),
    Kind.HRV_SDNN: (1, 500),
    Kind.HRV_RMSSD: (1, 500),
    Kind.EXERCISE_MIN: (0, 1440),
    Kind.WORKOUT: (0, 2880),
    Kind.SUMMARY_EXERCISE_MIN: (0, 1440),
    Kind.SLEEP_SCORE: (0, 100),
}
EARLIEST = 1_167_609_600  # 2007-01-01: no wearable export holds anything older
MAX_INTERVAL = 2 * 86_400  # no single sample spans more than two days


class BadInput(Exception):
    """A file that cannot be imported; the message names the file and, where it applies, the line."""

    def __init__(self, name: str, problem: str, *, line: int | None = None) -> None:
        where = f"{name}, line {line}" if line else name
        super().__init__(f"{where}: {problem}")
        self.name = name
        self.line = line


@dataclass
class Samples:
    """Samples as parallel typed arrays; ``sources`` maps a source name to its code."""

    kind: array[int] = field(default_factory=lambda: array("b"))
    start: array[int] = field(default_factory=lambda: array("q"))
    end: array[int] = field(default_factory=lambda: array("q"))
    offset: array[int] = field(default_factory=lambda: array("h"))
    value: array[float] = field(default_factory=lambda: array("d"))
    source: array[int] = field(default_factory=lambda: array("i"))
    sources: dict[str, int] = field(default_factory=dict)
    latest: float = field(default_factory=lambda: time.time() + 2 * 86_400)

    def __len__(self) -> int:
        return len(self.kind)

    def source_code(self, name: str) -> int:
        code = self.sources.get(name)
        if code is None:
            code = self.sources[name] = len(self.sources)
        return code

    def add(self, kind: Kind, start: int, end: int, offset: int, value: float, source: int) -> str | None:
        """Append one sample; return why it is implausible instead (nothing is appended then)."""
        if start < EARLIEST or end > self.latest:
            return f"a date outside 2007 to today ({kind} sample)"
        if end < start or end - start > MAX_INTERVAL:
            return f"an interval that ends before it starts or lasts over two days ({kind} sample)"
        limits = LIMITS.get(kind)
        if limits is not None and not limits[0] <= value <= limits[1]:
            return f"an impossible {kind} value {value:g} (expected {limits[0]:g} to {limits[1]:g})"
        self.kind.append(KIND_CODE[kind])
        self.start.append(start)
        self.end.append(end)
        self.offset.append(offset)
        self.value.append(value)
        self.source.append(source)
        return None
