"""Reads of mood check-ins, each through the access layer; reads by staff are audited."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.selfcare.models import CheckIn, SelfcareAuditAction
from alongside.selfcare.services.checkins import ACTIVITIES, EMOTIONS, local_date_for


@dataclass(frozen=True)
class MoodAccess:
    """A client as seen by ``user``: whether mood is shared, and whether notes (journal text) are."""

    client: ClientProfile
    is_self: bool
    shares_mood: bool
    shares_notes: bool


@dataclass(frozen=True)
class CheckInView:
    """A check-in as the reader may see it: ``note`` is None when the reader may not read it."""

    id: uuid.UUID
    at: dt.datetime
    local_date: dt.date
    mood: int
    sleep_quality: int | None
    sleep_hours: Decimal | None
    emotions: list[dict[str, Any]]
    activities: list[str]
    note: str | None

    @property
    def emotion_labels(self) -> list[str]:
        return [f"{EMOTIONS.get(str(e.get('name')), e.get('name'))} ({e.get('intensity')})" for e in self.emotions]

    @property
    def activity_labels(self) -> list[str]:
        return [str(ACTIVITIES.get(a, a)) for a in self.activities]


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_client", False))


def mood_client(*, user: Any, client_id: uuid.UUID | str) -> MoodAccess:
    """Return the client and what ``user`` may see of their check-ins; 404 unless self or care team."""
    client = access.client_or_404(user, client_id, Action.VIEW_CLINICAL)
    grant = access.grant_for(user, client)
    return MoodAccess(
        client=client,
        is_self=grant.is_self,
        shares_mood=grant.allows(Action.VIEW_CLINICAL, Scope.MOOD),
        # A check-in note is free text the client wrote, so it counts as journal text:
        # the care team reads notes only while JOURNAL is shared too, not with MOOD alone.
        shares_notes=grant.allows(Action.VIEW_CLINICAL, Scope.JOURNAL),
    )


def _view(checkin: CheckIn, *, with_note: bool) -> CheckInView:
    stored = cast(Any, checkin)
    return CheckInView(
        id=checkin.pk,
        at=checkin.at,
        local_date=checkin.local_date,
        mood=checkin.mood,
        sleep_quality=checkin.sleep_quality,
        sleep_hours=checkin.sleep_hours,
        emotions=list(stored.emotions or []),
        activities=list(stored.activities or []),
        note=(stored.note or "") if with_note else None,
    )


def checkins_for(
    *,
    user: Any,
    client_id: uuid.UUID | str,
    since: dt.date | None = None,
    limit: int = 400,
    before: tuple[dt.datetime, uuid.UUID] | None = None,
) -> list[CheckInView]:
    """Return a client's check-ins, newest first, when ``user`` may read their mood (404 otherwise).

    ``before`` (the time and id of the last check-in of a previous page) continues a listing after that
    check-in: pages follow one another without gaps or repeats however many check-ins arrive meanwhile.
    Staff reads are audited as ``selfcare.viewed``; notes are left out unless JOURNAL is shared.
    """
    seen = mood_client(user=user, client_id=client_id)
    if not seen.shares_mood:
        raise Http404("No such client.")
    rows = CheckIn.objects.filter(client=seen.client)
    if since is not None:
        rows = rows.filter(local_date__gte=since)
    if before is not None:
        at, last_id = before
        rows = rows.filter(Q(at__lt=at) | Q(at=at, id__lt=last_id))
    views = [_view(c, with_note=seen.shares_notes) for c in rows.order_by("-at", "-id")[: max(1, limit)]]
    if _is_staff(user):
        entry = Entry(
            action=SelfcareAuditAction.SELFCARE_VIEWED,
            client_id=seen.client.pk,
            detail={"what": "checkins", "count": len(views)},
        )
        record_many([entry], actor=user)
    return views


def checkins_own(
    *, user: Any, since: dt.date | None = None, limit: int = 400, before: tuple[dt.datetime, uuid.UUID] | None = None
) -> list[CheckInView]:
    """Return the signed-in client's own check-ins, newest first (404 for anyone but a client)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_client", False):
        raise Http404("No such page.")
    return checkins_for(user=user, client_id=user.pk, since=since, limit=limit, before=before)


@dataclass(frozen=True)
class MoodPoint:
    """One check-in's time, day and mood: what a summary of mood needs, nothing sealed."""

    at: dt.datetime
    local_date: dt.date
    mood: int


def moods_for(
    *, user: Any, client_id: uuid.UUID | str, since: dt.date | None = None, limit: int = 400
) -> list[MoodPoint]:
    """Return a client's check-in moods, newest first, for summaries (404 unless ``user`` may read their mood).

    The same access rule and the same audit event as :func:`checkins_for`, without reading or decrypting the
    emotions, activities and notes a summary never shows (the session brief: about 0.1 ms per check-in less).
    """
    seen = mood_client(user=user, client_id=client_id)
    if not seen.shares_mood:
        raise Http404("No such client.")
    rows = CheckIn.objects.filter(client=seen.client)
    if since is not None:
        rows = rows.filter(local_date__gte=since)
    points = [
        MoodPoint(*row) for row in rows.order_by("-at", "-id").values_list("at", "local_date", "mood")[: max(1, limit)]
    ]
    if _is_staff(user):
        entry = Entry(
            action=SelfcareAuditAction.SELFCARE_VIEWED,
            client_id=seen.client.pk,
            detail={"what": "checkins", "count": len(points)},
        )
        record_many([entry], actor=user)
    return points


def client_today(client: ClientProfile, now: dt.datetime | None = None) -> dt.date:
    """Return today's date in the client's time zone."""
    return local_date_for(client, now or timezone.now())


def checkin_streak(*, client: ClientProfile, now: dt.datetime | None = None) -> int:
    """Return on how many days of the last seven (the client's days) they checked in.

    A count over a window, not a run of consecutive days: a missed day never resets it to zero.
    """
    today = client_today(client, now)
    days = (
        CheckIn.objects.filter(client=client, local_date__gt=today - dt.timedelta(days=7), local_date__lte=today)
        .values_list("local_date", flat=True)
        .distinct()
    )
    return len(set(days))


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    moods: list[int]

    @property
    def mood(self) -> int | None:
        """The day's mood: the mean of its check-ins, rounded."""
        return round(sum(self.moods) / len(self.moods)) if self.moods else None


@dataclass(frozen=True)
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarDay]]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)

    @property
    def weekdays(self) -> list[dt.date]:
        return [d.day for d in self.weeks[0]] if self.weeks else []


def checkin_calendar(checkins: list[CheckInView], *, year: int, month: int) -> MonthCalendar:
    """Lay check-ins out as a month grid of weeks (Monday first), with the days around the month."""
    by_day: dict[dt.date, list[int]] = {}
    for c in checkins:
        by_day.setdefault(c.local_date, []).append(c.mood)
    weeks = [
        [CalendarDay(day=d, in_month=d.month == month, moods=by_day.get(d, [])) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    return MonthCalendar(year=year, month=month, weeks=weeks)


def checkin_today(*, user: Any) -> dt.date:
    """Return today in the signed-in client's time zone."""
    client = access.client_or_404(user, user.pk, Action.VIEW_ADMIN)
    return client_today(client)


def checkin_summary(*, user: Any) -> int | None:
    """Return the signed-in client's check-in days this week, for their home page (None for staff)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_client", False):
        return None
    client = access.client_or_404(user, user.pk, Action.VIEW_ADMIN)
    return checkin_streak(client=client)


def checkin_saved(*, user: Any, checkin: CheckIn) -> CheckInView:
    """Return the view of a check-in ``user`` has just saved (the service's result), without reading it again."""
    if user is None or not getattr(user, "is_client", False) or checkin.client_id != user.pk:
        raise Http404("No such check-in.")
    view = _view(checkin, with_note=True)
    if view.sleep_hours is not None:  # as the database gives it back: one decimal place ("7" is 7.0)
        view = replace(view, sleep_hours=Decimal(view.sleep_hours).quantize(Decimal("0.1")))
    return view


def checkin_own(*, user: Any, checkin_id: uuid.UUID | str) -> CheckInView:
    """Return one of the signed-in client's own check-ins (404 for anyone else's)."""
    return _view(access.owned_or_404(user, CheckIn, checkin_id, Action.OWN), with_note=True)
