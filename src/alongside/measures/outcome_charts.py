"""Practice outcome rates by quarter as charts with 95% intervals (recovery, reliable improvement, reliable
deterioration), from the counts :mod:`alongside.measures.practice_outcomes` already made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alongside.measures.charts.rate import Share, rate_chart, rate_table
from alongside.measures.practice_outcomes import OutcomeGroup, Rate


@dataclass(frozen=True)
class OutcomeChart:
    key: str
    title: str
    chart: SafeString
    table: SafeString


def _quarter_start(label: str) -> dt.date:
    """The first day of a quarter labelled "2026 Q3" (practice_outcomes.quarter_of)."""
    year, quarter = label.split(" Q")
    return dt.date(int(year), 3 * int(quarter) - 2, 1)


def outcome_charts(by_quarter: list[OutcomeGroup]) -> list[OutcomeChart]:
    """One chart per rate over the quarters, oldest first; none with fewer than two quarters."""
    groups = sorted(by_quarter, key=lambda g: _quarter_start(g.label))
    if len(groups) < 2:
        return []
    rates: list[tuple[str, str, str, str]] = [
        ("recovery", _("Recovery by quarter"), _("episodes recovered"), _("Episodes at caseness")),
        ("reliable_improvement", _("Reliable improvement by quarter"), _("episodes reliably improved"), _("Episodes")),
        ("reliable_deterioration", _("Reliable deterioration by quarter"), _("episodes reliably worse"), _("Episodes")),
    ]
    out = []
    for key, title, what, total_heading in rates:
        shares = []
        for group in groups:
            rate: Rate = getattr(group, key)
            shares.append(Share(_quarter_start(group.label), rate.numerator, rate.denominator))
        out.append(
            OutcomeChart(
                key,
                title,
                rate_chart(shares, title=title, what=what),
                rate_table(
                    shares,
                    caption=title,
                    count_heading=what[:1].upper() + what[1:],
                    total_heading=total_heading,
                    period_heading=_("Quarter starting"),
                ),
            )
        )
    return out
