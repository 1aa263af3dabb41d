"""Reads about who is busy when, for group sessions and their people (staff guests included).

A staff guest (a co-therapist or an interpreter of the practice) is as busy during a group as
the clinician who runs it: their own one-to-one bookings are refused then (a ``sessions`` busy
check), and a person added to a group must be free for its whole time.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Q
from django.utils.translation import gettext as _

from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.group_models import GroupSession

LONGEST_GROUP = dt.timedelta(minutes=240)  # telehealth_group_duration
LONGEST_SESSION = dt.timedelta(minutes=8 * 60)  # sessions.models.MAX_MINUTES, with room to spare


def _groups_over(starts_at: dt.datetime, ends_at: dt.datetime, exclude: uuid.UUID | None) -> list[GroupSession]:
    rows = GroupSession.objects.filter(
        cancelled_at__isnull=True, starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST_GROUP
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return [g for g in rows.distinct() if g.ends_at > starts_at]


def _sessions_over(starts_at: dt.datetime, ends_at: dt.datetime, who: Q) -> bool:
    rows = Appointment.objects.filter(
        who, status=AppointmentStatus.SCHEDULED, starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST_SESSION
    )
    return any(a.ends_at > starts_at for a in rows)


def staff_busy(
    *, user_id: uuid.UUID, starts_at: dt.datetime, ends_at: dt.datetime, exclude_group: uuid.UUID | None = None
) -> bool:
    """Whether a staff member has a one-to-one session, or runs or is a guest of a group, in [starts_at, ends_at)."""
    groups = GroupSession.objects.filter(pk__in=[g.pk for g in _groups_over(starts_at, ends_at, exclude_group)]).filter(
        Q(clinician_id=user_id) | Q(guests__guest_id=user_id)
    )
    return groups.exists() or _sessions_over(starts_at, ends_at, Q(clinician_id=user_id))


def client_busy(
    *, client_id: uuid.UUID, starts_at: dt.datetime, ends_at: dt.datetime, exclude_group: uuid.UUID | None = None
) -> bool:
    """Whether a client has a one-to-one session or another group in [starts_at, ends_at)."""
    near = [g.pk for g in _groups_over(starts_at, ends_at, exclude_group)]
    in_group = GroupSession.objects.filter(pk__in=near, members__client_id=client_id).exists()
    return in_group or _sessions_over(starts_at, ends_at, Q(client_id=client_id))


def guest_busy(starts_at: dt.datetime, ends_at: dt.datetime, clinician_id: uuid.UUID, client_id: uuid.UUID) -> str:
    """Refuse a one-to-one session of a clinician who is a staff guest of a group then (a ``sessions`` busy check)."""
    near = [g.pk for g in _groups_over(starts_at, ends_at, None)]
    if GroupSession.objects.filter(pk__in=near, guests__guest_id=clinician_id).exists():
        return _("You are a guest of a group session at that time. Choose another time.")
    return ""
