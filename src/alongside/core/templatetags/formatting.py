"""Template filters for dates, times and numbers (loaded into every template as a builtin, see settings).

``{{ when|fdate }}``, ``{{ when|fdate:"long" }}``, ``{{ when|fdatetime }}``, ``{{ when|ftime }}``,
``{{ score|fnumber:1 }}``, ``{{ rate|fpercent }}``, ``{{ when|fago }}``, ``{{ zone|fzone }}``: thin wrappers of
``alongside.core.formatting``, the one place dates and numbers are formatted.
"""

from __future__ import annotations

from typing import Any

from django import template

from alongside.core import formatting

register = template.Library()


@register.filter
def fdate(value: Any, style: str = "medium") -> str:
    """Format a date (or a moment's date in the reader's zone)."""
    return formatting.fmt_date(value, style)


@register.filter
def fdatetime(value: Any, style: str = "medium") -> str:
    """Format a moment as date and clock time in the reader's zone."""
    return formatting.fmt_datetime(value, style)


@register.filter
def ftime(value: Any) -> str:
    """Format a clock time in the reader's zone."""
    return formatting.fmt_time(value)


@register.filter
def fnumber(value: Any, digits: Any = None) -> str:
    """Format a number in the reader's language; an argument caps the decimals."""
    return formatting.fmt_number(value, None if digits is None else int(digits))


@register.filter
def fpercent(value: Any, digits: Any = 0) -> str:
    """Format a number of hundreds as a percentage."""
    return formatting.fmt_percent(value, int(digits))


@register.filter
def fago(value: Any) -> str:
    """Say how long ago (or ahead) a moment is."""
    return formatting.fmt_relative(value)


@register.filter
def fzone(value: Any = None) -> str:
    """Name a time zone (the reader's when empty)."""
    return formatting.zone_label(value or None)
