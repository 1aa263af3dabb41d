"""Reads of appointments, each through the access layer; staff reads of a client's list are audited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.sessions.models import Appointment, AppointmentStatus, SessionsAuditAction


def appointments_for_clinician(*, clinician: Any, start: dt.datetime, end: dt.datetime) -> list[Appointment]:
    """Return the clinician's own scheduled or held sessions starting in [start, end), earliest first.

    Only clients still on the clinician's care team are listed (a client who moved to another
    clinician drops out of the list); cancelled sessions are left out.
    """
    return list(
        Appointment.objects.filter(
            clinician=clinician,
            client__in=access.care_team_clients(clinician),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("client")
        .order_by("starts_at")
    )


def appointments_for_client(*, actor: Actor, client_id: uuid.UUID | str) -> tuple[ClientProfile, list[Appointment]]:
    """Return the client and all their appointments, latest first (404 unless ``actor`` may see them).

    The client themself and the clinicians on their care team may read them; a staff read is audited.
    """
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if not getattr(actor, "is_client", False) and not access.decide(actor, client, Action.WRITE_CLINICAL):
        # Admins off the care team see the administrative record, not the session history.
        raise Http404("No such client.")
    rows = list(Appointment.objects.filter(client=client).select_related("clinician").order_by("-starts_at"))
    if not getattr(actor, "is_client", False):
        record_many(
            [
                Entry(
                    action=SessionsAuditAction.APPOINTMENTS_VIEWED,
                    client_id=client.pk,
                    detail={"count": len(rows)},
                )
            ],
            actor=actor,
        )
    return client, rows


def appointment_for_clinician(*, actor: Actor, appointment_id: uuid.UUID | str) -> tuple[Appointment, ClientProfile]:
    """Return one appointment and its client for a clinician on the client's care team (404 for anyone else)."""
    appointment = access.owned_or_404(actor, Appointment, appointment_id, Action.CARE_TEAM)
    return appointment, appointment.client


def last_session_before(*, client: ClientProfile | uuid.UUID, when: dt.datetime) -> Appointment | None:
    """Return the client's most recent session before ``when``, or None.

    The latest appointment that started before ``when`` and was either marked attended or
    is still ``scheduled`` (held but not marked yet: clinicians often mark late). Sessions
    marked not attended and cancelled ones never count, so "since the last session" means
    since the client was last seen. No access check: callers (the session brief) have
    already obtained the client through the access layer.
    """
    client_id = client.pk if isinstance(client, ClientProfile) else client
    return (
        Appointment.objects.filter(
            client_id=client_id,
            starts_at__lt=when,
            status__in=[AppointmentStatus.ATTENDED, AppointmentStatus.SCHEDULED],
        )
        .select_related("clinician")
        .order_by("-starts_at")
        .first()
    )


def next_session(*, client: ClientProfile | uuid.UUID, after: dt.datetime) -> Appointment | None:
    """Return the client's next scheduled session starting at or after ``after``, or None.

    Only ``scheduled`` appointments count (cancelled ones are not sessions). No access
    check: callers have already obtained the client through the access layer (the client's
    own home page passes the signed-in client).
    """
    client_id = client.pk if isinstance(client, ClientProfile) else client
    return (
        Appointment.objects.filter(client_id=client_id, status=AppointmentStatus.SCHEDULED, starts_at__gte=after)
        .select_related("clinician")
        .order_by("starts_at")
        .first()
    )
