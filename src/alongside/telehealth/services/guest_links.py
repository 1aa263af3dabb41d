"""Join links for guests without an account: an outside interpreter invited by name (and email).

The clinician makes a link; the guest opens it in a browser, which is then bound to it by a
cookie; the clinician admits the guest from the waiting room like the client. A link works
for one appointment only, from 15 minutes before the start until the room closes (the
session's end plus the room's grace, or earlier when the clinician ends the call), and
until the clinician revokes it. Every step is audited with ids only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.core.actor import SignedIn
from alongside.core.formatting import fmt_date, fmt_time, zone_label
from alongside.core.services import reader, service
from alongside.core.time import zone_or_utc
from alongside.notify.mail import email_enqueue
from alongside.sessions.models import AppointmentStatus
from alongside.telehealth.calendar_models import GuestRole
from alongside.telehealth.link_models import GuestLink, GuestLinkAuditAction
from alongside.telehealth.models import VideoRoom
from alongside.telehealth.selectors import CLIENT_EARLY, LATE
from alongside.telehealth.services.guests import _own_session

COOKIE = "alongside_guest"  # "<link id>.<secret>": set on the first use of a link, bound to it from then on


class Refusal:
    """Why a link does not let its holder in (each has its own page)."""

    UNKNOWN = "unknown"
    OTHER_SESSION = "other_session"
    REVOKED = "revoked"
    EXPIRED = "expired"
    EARLY = "early"
    USED = "used"


class LinkRefused(Exception):
    def __init__(self, reason: str, link: GuestLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


@dataclass(frozen=True)
class Opened:
    link: GuestLink | None
    cookie: str = ""  # a new cookie value to set (first use), or "" when the browser already holds it
    refused: str = ""  # a Refusal reason, or "" when the holder may enter


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@reader
def join_path(appointment_id: uuid.UUID | str, token: str) -> str:
    return f"/telehealth/{appointment_id}/guest/{token}/"


@reader
def window(link: GuestLink) -> tuple[dt.datetime, dt.datetime]:
    """When the link lets its guest in: from 15 minutes before the start until the room closes."""
    return link.appointment.starts_at - CLIENT_EARLY, link.appointment.ends_at + LATE


def _check(link: GuestLink, now: dt.datetime) -> None:
    if link.revoked_at is not None:
        raise LinkRefused(Refusal.REVOKED, link)
    opens, closes = window(link)
    ended = VideoRoom.objects.filter(appointment_id=link.appointment_id, ended_at__isnull=False).exists()
    if (
        now >= closes
        or ended
        or link.appointment.status not in (AppointmentStatus.SCHEDULED, AppointmentStatus.ATTENDED)
    ):
        raise LinkRefused(Refusal.EXPIRED, link)
    if now < opens:
        raise LinkRefused(Refusal.EARLY, link)


def _email(*, link: GuestLink, to: str, url: str) -> None:
    """Content-free: the time and the link, nothing about the client or the clinician."""
    appointment = link.appointment
    zone = zone_or_utc(appointment.client.practice.time_zone)
    with translation.override("en"):
        when = {
            "date": fmt_date(appointment.starts_at, "full", zone=zone),
            "time": fmt_time(appointment.starts_at, zone=zone),
            "zone": zone_label(zone),
            "url": url,
        }
        subject = _("Video session invitation")
        body = (
            _(
                "You are invited to a video session on %(date)s at %(time)s (%(zone)s).\n\n"
                "Join from 15 minutes before: %(url)s\n\n"
                "The link works once, in one browser, for this session only. Please do not pass it on."
            )
            % when
        )
    email_enqueue(to=to, subject=subject, body=body, kind="telehealth.guest_link", note=f"guest link {link.pk}")


@service
def guest_link_create(
    *,
    actor: SignedIn,
    appointment_id: uuid.UUID | str,
    name: str,
    role: GuestRole | str = GuestRole.INTERPRETER,
    email: str = "",
    show_first_name: bool = False,
    base_url: str = "",
) -> tuple[GuestLink, str]:
    """Make a one-use join link for an outside guest; email it when an address is given. Return it and its URL."""
    appointment = _own_session(actor, appointment_id)
    if role not in GuestRole.values:
        raise ValidationError(_("Choose interpreter or co-therapist."))
    now = timezone.now()
    if appointment.status != AppointmentStatus.SCHEDULED or appointment.ends_at + LATE <= now:
        raise ValidationError(_("Guests can be invited only to a session still to come."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = GuestLink(
            appointment=appointment,
            client=appointment.client,
            role=role,
            show_first_name=show_first_name,
            token_hash=_hash(token),
            invited_by=actor,
            created_at=now,
            emailed=bool(email.strip()),
        )
        link.name = name.strip()[:120]
        link.save()
        record(
            GuestLinkAuditAction.LINK_CREATED,
            actor=actor,
            obj=link,
            client_id=appointment.client_id,
            detail={"appointment": str(appointment.pk), "role": str(role), "emailed": link.emailed},
        )
        url = base_url.rstrip("/") + join_path(appointment.pk, token)
        if link.emailed:
            _email(link=link, to=email.strip(), url=url)
    return link, url


@service
def guest_link_revoke(*, actor: SignedIn, link_id: uuid.UUID | str) -> GuestLink:
    """End a join link (the session's clinicians only): the guest can no longer open it or stay connected."""
    try:
        link = GuestLink.objects.select_related("appointment").get(pk=uuid.UUID(str(link_id)))
    except (GuestLink.DoesNotExist, ValueError):
        raise Http404("No such link.") from None
    _own_session(actor, link.appointment_id)
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            record(
                GuestLinkAuditAction.LINK_REVOKED,
                actor=actor,
                obj=link,
                client_id=link.client_id,
                detail={"appointment": str(link.appointment_id)},
            )
    return link


@service
def guest_link_open(*, appointment_id: uuid.UUID | str, token: str, cookie: str = "") -> Opened:
    """Open a join link in a browser: bind it to this browser on first use; refuse it otherwise.

    A refusal (audited, and returned rather than raised so that its event is kept) names the
    reason: an unknown token, a token for another appointment, revoked, expired (or the room
    ended), too early, or already used in another browser.
    """
    now = timezone.now()
    link = GuestLink.objects.select_related("appointment__client__practice").filter(token_hash=_hash(token)).first()
    if link is None:
        return Opened(link=None, refused=Refusal.UNKNOWN)
    try:
        if str(link.appointment_id) != str(appointment_id):
            raise LinkRefused(Refusal.OTHER_SESSION, link)
        _check(link, now)
        if link.binding_hash:
            link_id, _dot, secret = cookie.partition(".")
            if link_id != str(link.pk) or not secrets.compare_digest(_hash(secret), link.binding_hash):
                raise LinkRefused(Refusal.USED, link)
            return Opened(link=link, cookie="")
    except LinkRefused as refusal:
        record(
            GuestLinkAuditAction.LINK_REFUSED,
            obj=link,
            client_id=link.client_id,
            detail={"appointment": str(link.appointment_id), "reason": refusal.reason},
        )
        return Opened(link=link, refused=refusal.reason)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        claimed = GuestLink.objects.filter(pk=link.pk, binding_hash="").update(binding_hash=_hash(secret), used_at=now)
        if not claimed:  # another browser opened it a moment ago
            return Opened(link=link, refused=Refusal.USED)
        record(
            GuestLinkAuditAction.LINK_USED,
            obj=link,
            client_id=link.client_id,
            detail={"appointment": str(link.appointment_id)},
        )
    link.refresh_from_db()
    return Opened(link=link, cookie=f"{link.pk}.{secret}")


@reader
def link_unused(*, appointment_id: uuid.UUID | str, token: str) -> bool:
    """Whether the link is valid now and not yet bound to a browser (its page then asks for a click first)."""
    link = GuestLink.objects.select_related("appointment").filter(token_hash=_hash(token)).first()
    if link is None or link.binding_hash or str(link.appointment_id) != str(appointment_id):
        return False
    try:
        _check(link, timezone.now())
    except LinkRefused:
        return False
    return True


@reader
def link_for_cookie(*, appointment_id: uuid.UUID | str, cookie: str) -> GuestLink:
    """The live, bound link this browser's cookie holds for this appointment; :class:`LinkRefused` otherwise."""
    link_id, _dot, secret = cookie.partition(".")
    try:
        key = uuid.UUID(link_id)
    except ValueError:
        raise LinkRefused(Refusal.UNKNOWN) from None
    link = (
        GuestLink.objects.select_related("appointment__client__practice", "appointment__clinician")
        .filter(pk=key)
        .first()
    )
    if link is None or not link.binding_hash or not secrets.compare_digest(_hash(secret), link.binding_hash):
        raise LinkRefused(Refusal.UNKNOWN)
    if str(link.appointment_id) != str(appointment_id):
        raise LinkRefused(Refusal.OTHER_SESSION, link)
    _check(link, timezone.now())
    return link


@service
def guest_link_admit(*, actor: SignedIn, appointment_id: uuid.UUID | str, link_id: uuid.UUID | str) -> GuestLink:
    """Let a waiting outside guest into the call (the session's clinicians only)."""
    appointment = _own_session(actor, appointment_id)
    link = GuestLink.objects.filter(pk=link_id, appointment=appointment).first()
    if link is None:
        raise Http404("No such link.")
    _check(link, timezone.now())
    if link.admitted_at is None:
        link.admitted_at = timezone.now()
        link.save(update_fields=["admitted_at"])
        record(
            GuestLinkAuditAction.LINK_ADMITTED,
            actor=actor,
            obj=link,
            client_id=link.client_id,
            detail={"appointment": str(link.appointment_id)},
        )
    return link


@service
def guest_link_presence(*, link: GuestLink, joined: bool) -> None:
    """Audit an outside guest's socket joining or leaving the room (no actor: they have no account)."""
    record(
        GuestLinkAuditAction.LINK_JOINED if joined else GuestLinkAuditAction.LINK_LEFT,
        obj=link,
        client_id=link.client_id,
        detail={"appointment": str(link.appointment_id), "role": "guest"},
    )


@reader
def links_of(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> list[GuestLink]:
    """The session's join links, newest first, for its clinicians (404 for anyone else)."""
    appointment = _own_session(actor, appointment_id)
    return list(GuestLink.objects.filter(appointment=appointment))
