"""Private iCalendar feeds (RFC 5545, built with ``icalendar``): each person's sessions at a token URL.

A clinician's feed names clients by initials only; a client's feed reads "Session with <clinician>"
and carries the join link. Group sessions read "Group session" in the feeds of their clinician, of
each invited client and of each staff guest, with the group's link and nothing else. Times are
written in the practice's time zone with its VTIMEZONE, so calendar apps keep a 10:00 session at
10:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from alongside.audit.log import record
from alongside.core.time import zone_or_utc
from alongside.sessions import selectors as session_selectors
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.group_models import GroupSession
from alongside.telehealth.models import CalendarFeed, TelehealthAuditAction
from alongside.telehealth.services.feeds import token_hash

PAST = dt.timedelta(days=60)
AHEAD = dt.timedelta(days=366)


def live_feed(token: str) -> CalendarFeed | None:
    """Return the live feed for ``token``, or None for a wrong or revoked one."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def has_live_feed(user: Any) -> bool:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def initials(name: str) -> str:
    """ "Sam Rivera" -> "S. R."; nothing more of the name leaves the practice in a calendar."""
    return " ".join(f"{part[0].upper()}." for part in name.split()[:3] if part) or "?"


def _appointments(feed: CalendarFeed, now: dt.datetime) -> list[Appointment]:
    user = feed.user
    if getattr(user, "is_client", False):
        return list(
            Appointment.objects.filter(client__user=user, starts_at__gte=now - PAST, starts_at__lt=now + AHEAD)
            .exclude(status=AppointmentStatus.CANCELLED)
            .select_related("clinician", "client__practice")
            .order_by("starts_at")
        )
    return session_selectors.appointments_for_clinician(clinician=user, start=now - PAST, end=now + AHEAD)


def _groups(feed: CalendarFeed, now: dt.datetime) -> list[GroupSession]:
    """The person's group sessions not cancelled: those they run or are a staff guest of, or a client is invited to."""
    user = feed.user
    near = GroupSession.objects.filter(
        cancelled_at__isnull=True, starts_at__gte=now - PAST, starts_at__lt=now + AHEAD
    ).select_related("practice")
    if getattr(user, "is_client", False):
        mine = Q(members__client__user=user)
    else:
        mine = Q(clinician=user) | Q(guests__guest=user)
    return list(near.filter(mine).distinct().order_by("starts_at"))


def _group_event(group: GroupSession, base_url: str, moment: dt.datetime) -> Event:
    """A group session in a feed: "Group session", its time and the link; never its title or who else comes."""
    zone = zone_or_utc(group.practice.time_zone)
    join = f"{base_url.rstrip('/')}/telehealth/groups/{group.pk}/"
    event = Event()
    event.add("uid", f"group-{group.pk}@alongside")
    event.add("dtstamp", moment)
    event.add("dtstart", group.starts_at.astimezone(zone))
    event.add("dtend", group.ends_at.astimezone(zone))
    event.add("summary", _("Group session"))
    event.add("url", join)
    event.add("description", _("Join: %(link)s") % {"link": join})
    return event


def feed_ics(*, feed: CalendarFeed, base_url: str, now: dt.datetime | None = None) -> bytes:
    """Return the feed's calendar; a clinician's read is audited (it names clients by initials)."""
    moment = now or timezone.now()
    user = feed.user
    is_client = getattr(user, "is_client", False)
    rows = _appointments(feed, moment)
    calendar = Calendar()
    calendar.add("prodid", "-//Alongside//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Alongside")
    with override(getattr(user, "locale", "") or None):
        for appointment in rows:
            zone = zone_or_utc(appointment.client.practice.time_zone)
            join = f"{base_url.rstrip('/')}/telehealth/{appointment.pk}/"
            event = Event()
            event.add("uid", f"{appointment.pk}@alongside")
            event.add("dtstamp", moment)
            event.add("dtstart", appointment.starts_at.astimezone(zone))
            event.add("dtend", appointment.ends_at.astimezone(zone))
            if is_client:
                summary = _("Session with %(name)s") % {"name": appointment.clinician.display_name}
            else:
                summary = _("Session with %(name)s") % {"name": initials(appointment.client.preferred_name)}
            event.add("summary", summary)
            event.add("url", join)
            event.add("description", _("Join: %(link)s") % {"link": join})
            calendar.add_component(event)
        for group in _groups(feed, moment):
            calendar.add_component(_group_event(group, base_url, moment))
    calendar.add_missing_timezones()
    if not is_client:
        record(TelehealthAuditAction.FEED_READ, actor=user, obj=feed, detail={"sessions": len(rows)})
    return bytes(calendar.to_ical())
