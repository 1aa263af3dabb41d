"""Recurring sessions as dateutil rrules, planned in the practice's local time (pure, no database).

An occurrence keeps its wall-clock time across daylight-saving changes: a 10:00 weekly session
stays at 10:00 local in summer and winter, so its UTC instant moves by an hour.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 52
MAX_SPAN = dt.timedelta(days=366)


def plan(
    *, first: dt.datetime, zone: ZoneInfo, interval_weeks: int, count: int | None, until: dt.date | None
) -> tuple[rrule, list[dt.datetime]]:
    """Return the rule and the aware start of every occurrence; refuse impossible recurrences.

    Exactly one of ``count`` (1 to 52) and ``until`` (a last date on or after the first, within a
    year) ends the series.
    """
    if interval_weeks not in (1, 2):
        raise ValidationError(_("Sessions repeat every week or every two weeks."))
    if (count is None) == (until is None):
        raise ValidationError(_("End the series either after a number of sessions or on a date, not both."))
    local_first = first.astimezone(zone).replace(tzinfo=None)
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise ValidationError(_("A series has from 1 to %(most)d sessions.") % {"most": MAX_OCCURRENCES})
    if until is not None:
        if until < local_first.date():
            raise ValidationError(_("The series cannot end before its first session."))
        if until - local_first.date() > MAX_SPAN:
            raise ValidationError(_("A series can run for a year at most."))
    rule = rrule(
        WEEKLY,
        interval=interval_weeks,
        dtstart=local_first,
        count=count,
        until=dt.datetime.combine(until, dt.time.max) if until is not None else None,
    )
    starts = [moment.replace(tzinfo=zone) for moment in rule]
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(_("A series has from 1 to %(most)d sessions.") % {"most": MAX_OCCURRENCES})
    return rule, [start.astimezone(dt.UTC) for start in starts]


def rule_text(rule: rrule) -> str:
    """The RRULE line of ``rule`` (without DTSTART), as RFC 5545 writes it."""
    return next(line for line in str(rule).splitlines() if line.startswith("RRULE:"))[len("RRULE:") :]
