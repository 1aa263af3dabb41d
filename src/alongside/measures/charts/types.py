"""The plain values the charts draw: a score series with its bands, and a grid of item answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Reliable = Literal["improved", "deteriorated", None]


@dataclass(frozen=True)
class Band:
    """A published severity band, inclusive at both ends (PHQ-9 "mild" is 5 to 9)."""

    label: str
    lower: float
    upper: float

    def __post_init__(self) -> None:
        if self.upper < self.lower:
            raise ValueError(f"band {self.label!r}: upper {self.upper} is below lower {self.lower}")


@dataclass(frozen=True)
class Point:
    """One score; `reliable` says whether its change from baseline is a reliable one."""

    at: date | datetime
    value: float
    reliable: Reliable = None


@dataclass(frozen=True)
class Expected:
    """The expected range of a score at one administration: a lower and upper quantile and the median."""

    at: date | datetime
    low: float
    median: float
    high: float


@dataclass(frozen=True)
class Series:
    """One instrument's scores for one client, with what is needed to read them."""

    instrument: str
    title: str
    unit: str
    min_value: float
    max_value: float
    bands: tuple[Band, ...]
    caseness: float | None
    baseline: float | None
    points: tuple[Point, ...]
    lower_is_better: bool = True
    # The instrument's reliable change value: the chart shades baseline +/- this (change inside it is not reliable).
    # (Left out of the repr, which chart ids hash: a chart without them keeps its id.)
    reliable_change: float | None = field(default=None, repr=False)
    # The expected-response range per administration and what it is (e.g. "reference model, 10th-80th percentile").
    expected: tuple[Expected, ...] = field(default=(), repr=False)
    expected_label: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.reliable_change is not None and self.reliable_change <= 0:
            raise ValueError(f"{self.instrument}: reliable_change must be positive")
        if self.max_value <= self.min_value:
            raise ValueError(f"{self.instrument}: max_value {self.max_value} must exceed min_value {self.min_value}")


@dataclass(frozen=True)
class ItemGrid:
    """Item answers over administrations: values[item][date], None where the item was not asked."""

    instrument: str
    item_labels: tuple[str, ...]
    dates: tuple[date, ...]
    values: tuple[tuple[int | None, ...], ...]
    max_value: int
    # Which items are critical (PHQ-9 item 9), and which answers, as (item index, date index), met their rule.
    critical: tuple[bool, ...] = field(default=(), repr=False)
    critical_cells: frozenset[tuple[int, int]] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        if len(self.values) != len(self.item_labels):
            raise ValueError(f"{self.instrument}: {len(self.values)} rows of values for {len(self.item_labels)} items")
        for number, row in enumerate(self.values, start=1):
            if len(row) != len(self.dates):
                raise ValueError(f"{self.instrument}: item {number} has {len(row)} values for {len(self.dates)} dates")
        if self.max_value < 1:
            raise ValueError(f"{self.instrument}: max_value must be at least 1")
        if self.critical and len(self.critical) != len(self.item_labels):
            raise ValueError(
                f"{self.instrument}: {len(self.critical)} critical flags for {len(self.item_labels)} items"
            )
