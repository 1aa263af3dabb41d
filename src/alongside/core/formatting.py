"""Dates, times and numbers as a person reads them: in their language and their own time zone.

Every template and every Python-built sentence formats through these functions (templates through the
``formatting`` tag library and the Jinja2 filters of the same names), so one page never mixes
"12/05/2026" with "5 Dec 2026", or a 24-hour clock with "4 p.m.". Babel supplies the locale data (CLDR).

The zone is Django's current time zone, which ``accounts.middleware.UserTimeZoneMiddleware`` sets to the
signed-in person's own zone for each request; the language is Django's active language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, format_timedelta, get_timezone_location
from babel.lists import format_list
from babel.numbers import NumberPattern, format_decimal, parse_pattern
from babel.units import format_unit
from django.utils import timezone, translation

# Django language code -> CLDR locale. English is British English: day-month-year and a 24-hour clock,
# the order a practice that writes "Counselling" reads (and the one that never needs a.m./p.m.).
BABEL_LOCALES = {"en": "en_GB", "es": "es_ES"}

# Named shapes beyond Babel's four date styles, as CLDR skeletons (the locale orders the parts).
SKELETONS = {
    "month": "yMMMM",  # December 2026 / diciembre de 2026
    "day_month": "MMMd",  # 10 Dec / 10 dic
    "weekday_day": "MMMEd",  # Thu 10 Dec / jue, 10 dic
    "weekday": "EEEE",  # Thursday / jueves
    "weekday_short": "EEE",  # Thu / jue
    "day": "d",  # 10
    "month_short": "yMMM",  # Dec 2026 / dic 2026
    "month_abbr": "MMM",  # Dec / dic
    "year": "y",  # 2026
}
DATE_STYLES = ("short", "medium", "long", "full")

Number = int | float | Decimal


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(code, BABEL_LOCALES["en"]))


def babel_locale(language: str | None = None) -> Locale:
    """Return the CLDR locale for a Django language code (the active language by default)."""
    return _locale((language or translation.get_language() or "en").split("-")[0].lower())


@cache
def _number_pattern(digits: int | None, percent: bool = False) -> NumberPattern:
    """The parsed pattern for at most ``digits`` decimals (parsed once: the caseload formats hundreds a page)."""
    fraction = "." + "#" * digits if digits else ""
    return parse_pattern("#,##0" + fraction + ("%" if percent else ""))


def current_zone() -> ZoneInfo:
    """Return the time zone of the person reading (Django's current zone)."""
    zone = timezone.get_current_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone))


def _local(value: dt.datetime, zone: ZoneInfo | None) -> dt.datetime:
    if timezone.is_naive(value):
        return value
    return value.astimezone(zone or current_zone())


def _as_date(value: dt.date | dt.datetime, zone: ZoneInfo | None) -> dt.date:
    return _local(value, zone).date() if isinstance(value, dt.datetime) else value


def fmt_date(value: dt.date | dt.datetime | None, style: str = "medium", *, zone: ZoneInfo | None = None) -> str:
    """Format a calendar date: a Babel style (short, medium, long, full) or a name from ``SKELETONS``.

    A datetime is first moved into the reader's zone, so its date is the one they lived.
    """
    if value is None or value == "":
        return ""
    day = _as_date(value, zone)
    locale = babel_locale()
    if style in SKELETONS:
        return format_skeleton(SKELETONS[style], day, locale=locale)
    return format_date(day, style if style in DATE_STYLES else "medium", locale=locale)


def fmt_time(value: dt.datetime | dt.time | None, *, zone: ZoneInfo | None = None) -> str:
    """Format a clock time (hours and minutes, the locale's clock) in the reader's zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = _local(value, zone)
        return format_time(local, "short", tzinfo=local.tzinfo, locale=babel_locale())
    return format_time(value, "short", locale=babel_locale())


def fmt_datetime(value: dt.datetime | None, style: str = "medium", *, zone: ZoneInfo | None = None) -> str:
    """Format a moment as its date (``style`` as in :func:`fmt_date`) and clock time, in the reader's zone."""
    if value is None or value == "":
        return ""
    local = _local(value, zone)
    return f"{fmt_date(local.date(), style)}, {format_time(local, 'short', tzinfo=local.tzinfo, locale=babel_locale())}"


def fmt_number(value: Number | None, digits: int | None = None) -> str:
    """Format a number with the locale's decimal sign and grouping; ``digits``: at most that many decimals."""
    if value is None or value == "":
        return ""
    return _number(value, digits, translation.get_language() or "en")


@lru_cache(maxsize=4096)
def _number(value: Number, digits: int | None, language: str) -> str:
    # Scores repeat (a caseload prints hundreds, mostly the same few values): each is formatted once per language.
    locale = babel_locale(language)
    if digits is None:
        return str(format_decimal(value, locale=locale))
    return str(_number_pattern(digits).apply(Decimal(str(value)), locale))


def fmt_percent(value: Number | None, digits: int = 0) -> str:
    """Format a percentage given as a number of hundreds (42 -> "42%", "42 %" in Spanish)."""
    if value is None or value == "":
        return ""
    return str(_number_pattern(digits, percent=True).apply(Decimal(str(value)) / 100, babel_locale()))


def fmt_duration(minutes: Number | None) -> str:
    """Say a duration in whole hours and minutes, rounded to the minute ("6 hours 52 minutes", "6 horas 52 minutos")."""
    if minutes is None or minutes == "":
        return ""
    hours, rest = divmod(round(minutes), 60)
    locale = babel_locale()
    parts = [format_unit(hours, "duration-hour", length="long", locale=locale)] if hours else []
    if rest or not hours:
        parts.append(format_unit(rest, "duration-minute", length="long", locale=locale))
    return str(format_list(parts, style="unit-narrow", locale=locale))


def fmt_relative(value: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """Say how long ago or ahead a moment is ("3 hours ago", "hace 3 horas")."""
    if value is None or value == "":
        return ""
    delta = value - (now or timezone.now())
    return format_timedelta(delta, add_direction=True, locale=babel_locale())


def zone_label(zone: ZoneInfo | str | None = None) -> str:
    """Name a time zone for a reader ("Spain (Madrid) Time", "hora de España (Madrid)")."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone) if zone else None
    return get_timezone_location(zone or current_zone(), locale=babel_locale())
