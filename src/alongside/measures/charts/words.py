"""The words of the charts: numbers, dates, bands and the summary a screen reader hears."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext, ngettext

from alongside.core.formatting import fmt_date, fmt_number

from .scales import DateTick, as_date
from .types import Band, Point, Reliable, Series

MINUS = "\u2212"


def number(value: float) -> str:
    """Return a score as people write it: whole numbers bare, others to one decimal, localised."""
    return fmt_number(value, 1)


def signed(value: float) -> str:
    """Return a change with its sign (a true minus sign, which screen readers say as "minus")."""
    if value > 0:
        return "+" + number(value)
    if value < 0:
        return MINUS + number(-value)
    return number(0)


def with_unit(value: float, unit: str) -> str:
    """Return a score with its unit ("64%", "12 points")."""
    if not unit:
        return number(value)
    if unit == "%":
        return gettext("%(value)s%%") % {"value": number(value)}
    return f"{number(value)} {unit}"


def long_date(day: date) -> str:
    return fmt_date(day, "medium")


def tick_label(tick: DateTick, with_year: bool) -> str:
    """Return a short axis label in the reader's language (``core.formatting`` shapes)."""
    if tick.kind in ("day", "week"):
        style = "medium" if with_year else "day_month"
    elif tick.kind == "month":
        style = "month_short" if with_year else "month_abbr"
    else:
        style = "year"
    return fmt_date(tick.day, style)


def ordered_bands(bands: Sequence[Band]) -> tuple[Band, ...]:
    return tuple(sorted(bands, key=lambda band: (band.lower, band.upper)))


def band_for(bands: Sequence[Band], value: float) -> Band | None:
    """Return the band a score falls in: the highest band whose lower bound it reaches.

    A score between two bands (9.5 between PHQ-9 "mild" 5-9 and "moderate" 10-14) stays in the lower one, as the
    next cut-off has not been reached; a score beyond the last band, or below the first, has no band.
    """
    ordered = ordered_bands(bands)
    below = [index for index, band in enumerate(ordered) if band.lower <= value]
    if not below:
        return None
    index = below[-1]
    if value > ordered[index].upper and index == len(ordered) - 1:
        return None
    return ordered[index]


def reliable_words(reliable: Reliable) -> str:
    if reliable == "improved":
        return gettext("reliable improvement")
    if reliable == "deteriorated":
        return gettext("reliable deterioration")
    return gettext("no reliable change")


def reference(series: Series, points: Sequence[Point]) -> float | None:
    """Return what change is measured from: the baseline, or else the first score."""
    if series.baseline is not None:
        return series.baseline
    return points[0].value if points else None


def score_words(series: Series, value: float) -> str:
    """Return "14 (moderate)" or "14" when no band holds it."""
    band = band_for(series.bands, value)
    shown = with_unit(value, series.unit)
    if band is None:
        return shown
    return gettext("%(score)s (%(band)s)") % {"score": shown, "band": band.label}


def summary(series: Series, points: Sequence[Point]) -> str:
    """Return the chart in words: how many scores, first, latest, change and whether it is reliable."""
    if not points:
        return gettext("No scores yet.")
    first, latest = points[0], points[-1]
    sentences = [
        ngettext(
            "%(count)s score, on %(first)s.",
            "%(count)s scores, from %(first)s to %(last)s.",
            len(points),
        )
        % {"count": len(points), "first": long_date(as_date(first.at)), "last": long_date(as_date(latest.at))}
    ]
    if len(points) == 1:
        sentences.append(gettext("Score %(score)s.") % {"score": score_words(series, first.value)})
    else:
        sentences.append(
            gettext("First %(first)s, latest %(latest)s.")
            % {"first": score_words(series, first.value), "latest": score_words(series, latest.value)}
        )
    base = reference(series, points)
    if base is not None and (series.baseline is not None or len(points) > 1):
        change = latest.value - base
        if series.baseline is not None:
            text = gettext("Change since baseline (%(baseline)s): %(change)s, %(reliable)s.")
        else:
            text = gettext("Change since the first score: %(change)s, %(reliable)s.")
        sentences.append(
            text % {"baseline": number(base), "change": signed(change), "reliable": reliable_words(latest.reliable)}
        )
    if series.caseness is not None:
        if latest.value >= series.caseness:
            text = gettext("The latest score is at or above the clinical cut-off of %(caseness)s.")
        else:
            text = gettext("The latest score is below the clinical cut-off of %(caseness)s.")
        sentences.append(text % {"caseness": number(series.caseness)})
    improved = sum(1 for point in points if point.reliable == "improved")
    deteriorated = sum(1 for point in points if point.reliable == "deteriorated")
    if improved:
        sentences.append(
            ngettext(
                "%(count)s score shows reliable improvement.", "%(count)s scores show reliable improvement.", improved
            )
            % {"count": improved}
        )
    if deteriorated:
        sentences.append(
            ngettext(
                "%(count)s score shows reliable deterioration.",
                "%(count)s scores show reliable deterioration.",
                deteriorated,
            )
            % {"count": deteriorated}
        )
    sentences.append(
        gettext("Lower scores are better.") if series.lower_is_better else gettext("Higher scores are better.")
    )
    return " ".join(sentences)
