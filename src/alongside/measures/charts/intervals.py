"""What a score chart draws behind the scores when it has them: the reliable change interval and the expected range.

The reliable change interval is the baseline plus and minus the instrument's reliable change value (Jacobson NS,
Truax P (1991). Clinical significance: a statistical approach to defining meaningful change in psychotherapy
research. Journal of Consulting and Clinical Psychology 59(1):12-19): a later score inside it has not changed
reliably. The value itself comes from the instrument file, with its own published source.

The expected range is the band the risk app's not-on-track model expects at each administration for clients who
started at the same severity (registered through ``measures.hooks.EXPECTED_RESPONSE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from .layout import Line, Rect
from .scales import Linear, as_date, day_number
from .svg import n
from .types import Expected, Series
from .words import number

INTERVAL_FILL = "#1f4e79"
INTERVAL_OPACITY = "0.10"
INTERVAL_EDGE = "#1f4e79"
INTERVAL_DASHES = "8 3 2 3"
EXPECTED_FILL = "#8d969b"
EXPECTED_OPACITY = "0.28"
EXPECTED_MEDIAN = "#4f5d66"
EXPECTED_DASHES = "4 2"


@dataclass(frozen=True)
class IntervalShape:
    box: Rect
    lower: Line
    upper: Line
    title: str


@dataclass(frozen=True)
class ExpectedShape:
    area: str  # polygon points: the upper edge left to right, then the lower edge back
    median: str  # polyline points
    title: str


def interval_bounds(series: Series) -> tuple[float, float] | None:
    """Return the reliable change interval around the baseline, clipped to the scale, or None without one."""
    if series.reliable_change is None or series.baseline is None:
        return None
    low = max(series.min_value, series.baseline - series.reliable_change)
    high = min(series.max_value, series.baseline + series.reliable_change)
    return low, high


def interval_title(series: Series) -> str:
    bounds = interval_bounds(series)
    if bounds is None or series.reliable_change is None:
        return ""
    return gettext(
        "Reliable change interval: %(low)s to %(high)s (baseline %(baseline)s ± %(change)s); a score inside it "
        "has not changed reliably"
    ) % {
        "low": number(bounds[0]),
        "high": number(bounds[1]),
        "baseline": number(series.baseline or 0),
        "change": number(series.reliable_change),
    }


def interval_shape(series: Series, y: Linear, left: float, end: float) -> IntervalShape | None:
    bounds = interval_bounds(series)
    if bounds is None:
        return None
    top, bottom = y(bounds[1]), y(bounds[0])
    return IntervalShape(
        Rect(n(left), n(top), n(end - left), n(max(0.0, bottom - top))),
        Line(n(left), n(bottom), n(end), n(bottom)),
        Line(n(left), n(top), n(end), n(top)),
        interval_title(series),
    )


def _clip(series: Series, value: float) -> float:
    return min(series.max_value, max(series.min_value, value))


def expected_points(series: Series) -> tuple[Expected, ...]:
    return tuple(sorted(series.expected, key=lambda e: day_number(e.at)))


def expected_shape(series: Series, x: Linear, y: Linear) -> ExpectedShape | None:
    rows = expected_points(series)
    if not rows:
        return None
    if len(rows) == 1:  # one administration: a short band either side of it
        day = day_number(rows[0].at)
        rows_at = [(day - 2, rows[0]), (day + 2, rows[0])]
    else:
        rows_at = [(day_number(row.at), row) for row in rows]
    upper = [f"{n(x(day))},{n(y(_clip(series, row.high)))}" for day, row in rows_at]
    lower = [f"{n(x(day))},{n(y(_clip(series, row.low)))}" for day, row in reversed(rows_at)]
    median = " ".join(f"{n(x(day))},{n(y(_clip(series, row.median)))}" for day, row in rows_at)
    title = gettext("%(label)s: the range of scores expected at each administration") % {
        "label": series.expected_label or gettext("Expected range")
    }
    return ExpectedShape(" ".join(upper + lower), median, title)


def expected_for(series: Series, point_at: object) -> Expected | None:
    """Return the expected range on the day of a score, if there is one."""
    day = as_date(point_at)  # type: ignore[arg-type]
    for row in series.expected:
        if as_date(row.at) == day:
            return row
    return None


def expected_words(series: Series, row: Expected, value: float) -> str:
    """Say where a score sits against its expected range: "within the expected range (4 to 11)"."""
    values = {"low": number(row.low), "high": number(row.high)}
    if value > row.high:
        worse = series.lower_is_better
    elif value < row.low:
        worse = not series.lower_is_better
    else:
        return gettext("within the expected range (%(low)s to %(high)s)") % values
    if worse:
        return gettext("worse than expected (expected %(low)s to %(high)s)") % values
    return gettext("better than expected (expected %(low)s to %(high)s)") % values


def summary_extra(series: Series, latest_at: object, latest_value: float) -> list[str]:
    """The sentences the chart's description adds for the interval and the expected range."""
    sentences = []
    title = interval_title(series)
    if title:
        sentences.append(title + ".")
    row = expected_for(series, latest_at) if series.expected else None
    if row is not None:
        sentences.append(
            gettext("The latest score is %(where)s (%(label)s).")
            % {
                "where": expected_words(series, row, latest_value),
                "label": series.expected_label or gettext("Expected range"),
            }
        )
    return sentences
