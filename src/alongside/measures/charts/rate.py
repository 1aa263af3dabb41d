"""A share over time (flagged clients per week, recovery per month) as an SVG line chart with 95% intervals, and as a
table.

Each point is a count out of a total; its interval is Wilson's score interval (Wilson EB (1927). Probable inference,
the law of succession, and statistical inference. Journal of the American Statistical Association 22(158):209-212),
which stays inside 0-100% and behaves with small totals, unlike the normal approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from alongside.core.formatting import fmt_percent

from . import palette
from .layout import Frame, Line, Text
from .scales import DateTick, Linear
from .svg import FONT_FAMILY, FONT_SIZE, element_id, language, n, text_width
from .words import long_date, tick_label

LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 30
Z95 = 1.959964


@dataclass(frozen=True)
class Share:
    """``count`` of ``total`` in the period starting on ``start`` (a total of 0 draws no point)."""

    start: date
    count: int
    total: int

    def __post_init__(self) -> None:
        if self.total < 0 or not 0 <= self.count <= max(self.total, 0):
            raise ValueError(f"{self.start}: {self.count} of {self.total} is not a share")


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Return Wilson's score interval of a proportion, as fractions; (0, 1) when the total is 0."""
    if total <= 0:
        return 0.0, 1.0
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class RatePoint:
    x: str
    y: str
    low: Line  # the interval's whisker
    title: str


@dataclass(frozen=True)
class RateLayout:
    frame: Frame
    plot_x: str
    plot_y: str
    plot_w: str
    plot_h: str
    grid: tuple[tuple[Line, Text], ...]
    ticks: tuple[Text, ...]
    line: str
    points: tuple[RatePoint, ...]
    legend_line: Line
    legend_text: Text
    legend_whisker: Line
    legend_whisker_text: Text


def _percent(fraction: float) -> str:
    return fmt_percent(round(fraction * 100))


def _point_title(share: Share) -> str:
    low, high = wilson(share.count, share.total)
    return gettext("%(date)s: %(count)s of %(total)s (%(share)s; 95 per cent interval %(low)s to %(high)s)") % {
        "date": long_date(share.start),
        "count": share.count,
        "total": share.total,
        "share": _percent(share.count / share.total),
        "low": _percent(low),
        "high": _percent(high),
    }


def _description(shares: list[Share], what: str) -> str:
    drawn = [s for s in shares if s.total]
    if not drawn:
        return gettext("No data yet.")
    latest = drawn[-1]
    return " ".join(
        [
            ngettext("%(count)s period", "%(count)s periods", len(shares)) % {"count": len(shares)},
            gettext("from %(first)s to %(last)s.")
            % {"first": long_date(shares[0].start), "last": long_date(shares[-1].start)},
            gettext("Latest: %(count)s of %(total)s %(what)s (%(share)s).")
            % {
                "count": latest.count,
                "total": latest.total,
                "what": what,
                "share": _percent(latest.count / latest.total),
            },
            gettext("Highest: %(share)s; lowest: %(low)s.")
            % {
                "share": _percent(max(s.count / s.total for s in drawn)),
                "low": _percent(min(s.count / s.total for s in drawn)),
            },
            gettext("The table that follows lists every period."),
        ]
    )


def _layout(shares: list[Share], title: str, what: str, width: int, height: int, ids: str) -> RateLayout:
    bottom = height - BOTTOM - 18
    end = width - RIGHT
    y = Linear(0.0, 1.0, bottom, TOP)
    x = Linear(-0.5, len(shares) - 0.5, LEFT, end)
    grid = tuple(
        (
            Line(n(LEFT), n(y(v)), n(end), n(y(v))),
            Text(n(LEFT - 6), n(y(v) + 4), _percent(v), "end"),
        )
        for v in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    every = max(1, math.ceil(len(shares) * 70 / max(1.0, end - LEFT)))
    ticks = tuple(
        Text(n(x(i)), n(bottom + 16), tick_label(DateTick(s.start, "week"), with_year=i == 0), "middle")
        for i, s in enumerate(shares)
        if i % every == 0
    )
    points = []
    for i, share in enumerate(shares):
        if not share.total:
            continue
        low, high = wilson(share.count, share.total)
        px, py = x(i), y(share.count / share.total)
        points.append(RatePoint(n(px), n(py), Line(n(px), n(y(low)), n(px), n(y(high))), _point_title(share)))
    legend_y = height - 10
    whisker_x = LEFT + 26 + text_width(what) + 30
    return RateLayout(
        frame=Frame(
            ids, str(width), str(height), "rate", title, _description(shares, what), FONT_FAMILY, str(FONT_SIZE)
        ),
        plot_x=n(LEFT),
        plot_y=n(TOP),
        plot_w=n(end - LEFT),
        plot_h=n(bottom - TOP),
        grid=grid,
        ticks=ticks,
        line=" ".join(f"{p.x},{p.y}" for p in points) if len(points) > 1 else "",
        points=tuple(points),
        legend_line=Line(n(LEFT), n(legend_y - 4), n(LEFT + 20), n(legend_y - 4)),
        legend_text=Text(n(LEFT + 26), n(legend_y), what),
        legend_whisker=Line(n(whisker_x), n(legend_y - 10), n(whisker_x), n(legend_y + 2)),
        legend_whisker_text=Text(n(whisker_x + 6), n(legend_y), gettext("Interval, 95 per cent (Wilson)")),
    )


def rate_chart(
    shares: list[Share], *, title: str, what: str, width: int = 640, height: int = 240, lang: str | None = None
) -> SafeString:
    """Return an accessible SVG line chart of shares over time, each point with its 95% interval as a whisker."""
    with language(lang):
        ids = element_id("rate", title, (tuple(shares), width, height))
        layout = _layout(shares, title, what, width, height, ids)
        return render_to_string("measures/charts/rate.svg", {"c": layout, "palette": palette})


@dataclass(frozen=True)
class _Row:
    iso: str
    day: str
    count: str
    total: str
    share: str
    interval: str


def rate_table(
    shares: list[Share], *, caption: str, count_heading: str, total_heading: str, period_heading: str = ""
) -> SafeString:
    """Return the same shares as a table: period, total, count, share and its 95% interval."""
    rows = []
    for share in shares:
        if share.total:
            low, high = wilson(share.count, share.total)
            cells = (_percent(share.count / share.total), f"{_percent(low)} \u2013 {_percent(high)}")
        else:
            cells = ("\u2014", "\u2014")
        rows.append(_Row(share.start.isoformat(), long_date(share.start), str(share.count), str(share.total), *cells))
    headings = [
        period_heading or gettext("Week of"),
        total_heading,
        count_heading,
        gettext("Share"),
        gettext("Interval, 95 per cent"),
    ]
    return render_to_string("measures/charts/rate_table.html", {"caption": caption, "headings": headings, "rows": rows})
