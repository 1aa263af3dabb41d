"""Guests of one video session: an interpreter or a co-therapist, invited by the session's clinician.

A guest is a staff member of the client's practice. The invitation admits them to that one
appointment's room only, until it expires (by default when the room closes) or the clinician
withdraws it. Inviting and withdrawing are audited; the guest's joins are audited by the room.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.care.models import Membership
from alongside.core.actor import SignedIn
from alongside.core.services import reader, service
from alongside.notify.mail import email_enqueue
from alongside.sessions import selectors as session_selectors
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth import invitations
from alongside.telehealth.availability import clinician_zone
from alongside.telehealth.calendar_models import CalendarAuditAction, GuestRole, RoomGuest

GRACE = dt.timedelta(minutes=30)  # as the room's own: a session that ran over can still be rejoined


def _own_session(actor: SignedIn, appointment_id: uuid.UUID | str) -> Appointment:
    appointment, client = session_selectors.appointment_for_clinician(actor=actor, appointment_id=appointment_id)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return appointment


@service
def guest_invite(
    *,
    actor: SignedIn,
    appointment_id: uuid.UUID | str,
    guest_email: str,
    role: GuestRole | str,
    expires_at: dt.datetime | None = None,
) -> RoomGuest:
    """Invite a staff member of the client's practice into this session's room, until ``expires_at``."""
    appointment = _own_session(actor, appointment_id)
    if role not in GuestRole.values:
        raise ValidationError(_("Choose interpreter or co-therapist."))
    now = timezone.now()
    if appointment.status != AppointmentStatus.SCHEDULED or appointment.ends_at + GRACE <= now:
        raise ValidationError(_("Guests can be invited only to a session still to come."))
    latest = appointment.ends_at + GRACE
    until = min(expires_at or latest, latest)
    if until <= now:
        raise ValidationError(_("Choose an end of the invitation in the future."))
    guest = User.objects.filter(email__iexact=guest_email.strip(), is_active=True).first()
    member = (
        guest is not None
        and Membership.objects.filter(user=guest, practice_id=appointment.client.practice_id, is_active=True).exists()
    )
    if guest is None or not member or guest.pk == actor.pk:
        raise ValidationError(_("Invite a colleague of your practice by their sign-in email."))
    with transaction.atomic():
        RoomGuest.objects.filter(appointment=appointment, guest=guest, revoked_at__isnull=True).update(revoked_at=now)
        row = RoomGuest.objects.create(
            appointment=appointment, guest=guest, role=role, invited_by=actor, invited_at=now, expires_at=until
        )
        record(
            CalendarAuditAction.GUEST_INVITED,
            actor=actor,
            obj=row,
            client_id=appointment.client_id,
            detail={"appointment": str(appointment.pk), "role": str(role), "guest": str(guest.pk)},
        )
        subject, body = invitations.email_text(
            appointment=appointment,
            person=guest,
            zone_name=str(clinician_zone(guest)),
            change="created",
            attached=False,
        )
        email_enqueue(to=guest.email, subject=subject, body=body, kind="telehealth.guest", note=f"guest {row.pk}")
    return row


@service
def guest_revoke(*, actor: SignedIn, guest_id: uuid.UUID | str) -> RoomGuest:
    """Withdraw a guest's invitation (the session's clinicians only); they can no longer enter."""
    try:
        row = RoomGuest.objects.select_related("appointment").get(pk=uuid.UUID(str(guest_id)))
    except (RoomGuest.DoesNotExist, ValueError):
        raise Http404("No such guest.") from None
    _own_session(actor, row.appointment_id)
    with transaction.atomic():
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            record(
                CalendarAuditAction.GUEST_REVOKED,
                actor=actor,
                obj=row,
                client_id=row.appointment.client_id,
                detail={"appointment": str(row.appointment_id)},
            )
    return row


@reader
def live_guest(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> RoomGuest | None:
    """The actor's live invitation to this appointment's room, or None."""
    if getattr(actor, "is_client", True):
        return None
    try:
        key = uuid.UUID(str(appointment_id))
    except ValueError:
        return None
    return (
        RoomGuest.objects.filter(
            appointment_id=key, guest=actor, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("appointment__client__practice", "appointment__clinician")
        .first()
    )


@reader
def guests_of(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> tuple[Appointment, list[RoomGuest]]:
    """The session and its guests, for a clinician on the care team (404 for anyone else)."""
    appointment = _own_session(actor, appointment_id)
    rows = list(RoomGuest.objects.filter(appointment=appointment).select_related("guest").order_by("-invited_at"))
    return appointment, rows
