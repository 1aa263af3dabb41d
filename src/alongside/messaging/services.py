"""Writes for messaging: send (idempotent, rate-limited, crisis-checked), mark read, practice settings.

A message is committed before anything hears of it: the live push (the task
``alongside.notify.live.push_live``) and the notifications run on commit, and carry ids
only, never text. A page that missed the push catches up by sequence number, so nothing
committed is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import safety
from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.care.models import CareTeamMember, ClientProfile, Membership
from alongside.core import idempotency
from alongside.core.actor import Actor, SignedIn
from alongside.core.formatting import fmt_number
from alongside.core.practice_settings import OfficeHours, office_hours_for_update
from alongside.core.services import service, unaudited
from alongside.messaging.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_BODY_CHARS,
    Attachment,
    EntryKind,
    Message,
    MessagingAuditAction,
    Thread,
    ThreadRead,
)
from alongside.messaging.selectors import thread_client
from alongside.notify.live import live_push

logger = logging.getLogger("alongside.messaging")

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
MESSAGE_SCOPE = "messaging.message"
# A person writes a few messages a minute at most; a script or a stuck key writes many.
# The defaults of settings.ALONGSIDE_MESSAGES_PER_MINUTE / _PER_HOUR (operators may change them).
RATE_PER_MINUTE = 10
RATE_PER_HOUR = 120

# Magic numbers of the file types we accept; the declared type must agree with them.
_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    (Attachment.Kind.PNG, b"\x89PNG\r\n\x1a\n", 0),
    (Attachment.Kind.JPEG, b"\xff\xd8\xff", 0),
    (Attachment.Kind.PDF, b"%PDF-", 0),
    (Attachment.Kind.WEBP, b"WEBP", 8),
)


class RateLimited(ValidationError):
    """Too many messages in too short a time."""


@dataclass(frozen=True)
class Upload:
    """A file to attach: its name, declared content type and bytes (read by the caller, at most 10 MB + 1)."""

    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool  # False when the idempotency key had already been used for this message
    crisis: bool  # crisis language was found in a client's message


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationError(_("The message key must be 8 to 64 letters, digits or . _ : -."))
    return key


def _sniff(data: bytes) -> str | None:
    for kind, magic, offset in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic and (kind != Attachment.Kind.WEBP or data[:4] == b"RIFF"):
            return str(kind)
    return None


def _check_upload(upload: Upload) -> tuple[str, str]:
    """Return (content type, safe file name), or refuse with a message the client understands."""
    if not upload.data:
        raise ValidationError(_("The file is empty."))
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Files can be up to 10 MB. This one is larger."))
    sniffed = _sniff(upload.data)
    if sniffed is None:
        raise ValidationError(_("Only images (PNG, JPEG, WebP) and PDF files can be attached."))
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in {"", "application/octet-stream", sniffed}:
        raise ValidationError(
            _("The file's contents do not match its type. Only images and PDF files can be attached.")
        )
    name = re.sub(r"[\x00-\x1f\x7f/\\]+", "_", (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return sniffed, (name or "attachment")[:200]


def _check_entry(client: ClientProfile, kind: str, entry_id: Any) -> tuple[str, uuid.UUID]:
    """An entry a client attaches must be one of their own records."""
    from alongside.measures.models import MeasureResponse, ResponseStatus
    from alongside.selfcare.models import CheckIn, ExerciseEntry

    try:
        pk = uuid.UUID(str(entry_id))
        kind = EntryKind(kind)
    except (ValueError, TypeError):
        raise ValidationError(_("That entry cannot be attached.")) from None
    rows = {
        EntryKind.CHECKIN: CheckIn.objects.filter(client=client, pk=pk),
        EntryKind.EXERCISE: ExerciseEntry.objects.filter(client=client, pk=pk),
        EntryKind.SCORE: MeasureResponse.objects.filter(client=client, pk=pk, status=ResponseStatus.SUBMITTED),
    }[kind]
    if not rows.exists():
        raise ValidationError(_("That entry cannot be attached."))
    return str(kind), pk


def _check_rate(actor: Actor, now: dt.datetime) -> None:
    recent = Message.objects.filter(sender=actor, created_at__gte=now - dt.timedelta(hours=1)).values_list(
        "created_at", flat=True
    )
    times = list(recent)
    if sum(1 for at in times if at >= now - dt.timedelta(minutes=1)) >= django_settings.ALONGSIDE_MESSAGES_PER_MINUTE:
        raise RateLimited(_("You are sending messages very quickly. Wait a minute, then send again."))
    if len(times) >= django_settings.ALONGSIDE_MESSAGES_PER_HOUR:
        raise RateLimited(_("You have sent a lot of messages this hour. Wait a while, then send again."))


@service
def message_send(
    *,
    actor: SignedIn,
    client_id: uuid.UUID | str,
    body: str,
    idempotency_key: str,
    upload: Upload | None = None,
    entry_kind: str = "",
    entry_id: Any = None,
) -> SendResult:
    """Send a message to a client's thread, once per key; raise ValidationError with a clear message otherwise."""
    key = _check_key(idempotency_key)
    # The thread must still be open to the sender (the read check of a replay as much as of a send).
    client = thread_client(actor=actor, client_id=client_id, for_writing=True)
    body = (body or "").replace("\r\n", "\n").strip()
    payload = _fingerprint(client=client, body=body, upload=upload, entry_kind=entry_kind, entry_id=entry_id)
    existing = Message.objects.filter(sender=actor, idempotency_key=key).first()
    if existing is not None:
        return _replay(actor, existing, client, payload)
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            _("Messages can be up to %(limit)s characters; this one has %(count)s.")
            % {
                "limit": fmt_number(MAX_BODY_CHARS),
                "count": fmt_number(len(body)),
            }
        )
    from_client = actor.pk == client.user_id
    if entry_kind or entry_id:
        if not from_client:
            raise ValidationError(_("Only the client can attach their own entries."))
        entry_kind, entry_id = _check_entry(client, entry_kind, entry_id)
    file_info = _check_upload(upload) if upload is not None else None
    if not body and file_info is None and not entry_kind:
        raise ValidationError(_("Write a message, or attach a file or an entry."))
    now = timezone.now()
    _check_rate(actor, now)
    detection = _detect_crisis(client=client, body=body, now=now) if from_client and body else None
    urgent = detection is not None and detection.urgent
    crisis = detection is not None and detection.show_resources
    categories = sorted({str(c) for c in detection.categories}) if detection is not None and detection.alert else []
    try:
        with transaction.atomic():
            message = _store(
                actor=actor,
                client=client,
                body=body,
                key=key,
                now=now,
                from_client=from_client,
                entry_kind=entry_kind,
                entry_id=entry_id,
                upload=upload,
                file_info=file_info,
                crisis=crisis,
            )
            idempotency.remember(user_id=actor.pk, scope=MESSAGE_SCOPE, key=key, payload=payload)
            if categories:
                from alongside.safety.services.alerts import alert_raise_for_message

                level = "urgent" if urgent else "review"
                alert_raise_for_message(message=message, categories=categories, actor=actor, level=level)
    except IntegrityError:
        # The same key sent twice at once (a retry racing the original): the other one won.
        existing = Message.objects.filter(sender=actor, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(actor, existing, client, payload)
    transaction.on_commit(lambda: _after_send(message))
    return SendResult(message=message, created=True, crisis=crisis)


def _detect_crisis(*, client: ClientProfile, body: str, now: dt.datetime) -> safety.Detection:
    """Check a client's message, with their messages of the last 48 hours as context (read only if needed)."""
    recent = Message.objects.filter(
        client=client, from_client=True, created_at__gte=now - dt.timedelta(hours=48)
    ).order_by("-created_at")

    def history() -> Iterator[str]:
        yield from reversed([m.body for m in recent[:20]])

    return safety.detect(body, history=history())


def _fingerprint(
    *, client: ClientProfile, body: str, upload: Upload | None, entry_kind: str, entry_id: Any
) -> dict[str, Any]:
    """What makes two sends with one key the same message (a file by its SHA-256, never its bytes)."""
    return {
        "client_id": str(client.pk),
        "body": body,
        "file": hashlib.sha256(upload.data).hexdigest() if upload is not None else None,
        "entry_kind": entry_kind or "",
        "entry_id": str(entry_id) if entry_id else None,
    }


def _replay(actor: SignedIn, existing: Message, client: ClientProfile, payload: dict[str, Any]) -> SendResult:
    """Return the message sent with this key, when this request is the one that sent it."""
    idempotency.replay_check(
        user_id=actor.pk,
        scope=MESSAGE_SCOPE,
        key=existing.idempotency_key,
        payload=payload,
        legacy=lambda: existing.client_id == client.pk,  # before fingerprints: the same conversation
    )
    return SendResult(message=existing, created=False, crisis=existing.crisis_language)


def _store(
    *,
    actor: SignedIn,
    client: ClientProfile,
    body: str,
    key: str,
    now: dt.datetime,
    from_client: bool,
    entry_kind: str,
    entry_id: Any,
    upload: Upload | None,
    file_info: tuple[str, str] | None,
    crisis: bool,
) -> Message:
    thread = Thread.objects.select_for_update().filter(client=client).first()
    if thread is None:  # the first message of this client's thread
        Thread.objects.get_or_create(client=client)
        thread = Thread.objects.select_for_update().get(client=client)
    seq = thread.last_seq + 1
    message = Message(
        thread=thread,
        client=client,
        seq=seq,
        sender=actor,
        from_client=from_client,
        entry_kind=entry_kind,
        entry_id=entry_id or None,
        crisis_language=crisis,
        idempotency_key=key,
        created_at=now,
    )
    message.body = body
    message.save(force_insert=True)
    if upload is not None and file_info is not None:
        attachment = Attachment(
            message=message,
            client=client,
            content_type=file_info[0],
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
        )
        attachment.filename = file_info[1]
        cast(Any, attachment).data = upload.data
        attachment.save(force_insert=True)  # also cached on the message as its attachment
    else:  # known to have none: answering the send reads no attachment (see selectors.sent_message_view)
        Message._meta.get_field("attachment").set_cached_value(message, None)
    Thread.objects.filter(pk=thread.pk).update(last_seq=seq, last_message_at=now, last_from_client=from_client)
    if not ThreadRead.objects.filter(thread=thread, user=actor).update(last_read_seq=seq, read_at=now):
        ThreadRead.objects.create(thread=thread, user=actor, last_read_seq=seq, read_at=now)
    record(
        MessagingAuditAction.MESSAGE_SENT,
        actor=actor,
        obj=message,
        client_id=client.pk,
        detail={"seq": seq, "attachment": file_info[0] if file_info else "", "entry": entry_kind, "crisis": crisis},
    )
    return message


def _recipients(message: Message) -> list[Any]:
    """Who hears of a message: the care team for a client's message, the client for the team's.

    The client is the one the send checked access on (its user and practice loaded with it). The team is read
    in one query with exactly the rule :func:`alongside.access.decide` applies to ``WRITE_CLINICAL`` for staff
    (an active user with an active membership of the client's practice, on the current care team), instead of
    one access decision per person; ``test_send_cost.py`` checks the two agree.
    """
    client = message.client
    if message.from_client:
        return list(
            User.objects.filter(
                is_active=True,
                pk__in=CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("clinician_id"),
            ).filter(pk__in=Membership.objects.filter(practice_id=client.practice_id, is_active=True).values("user_id"))
        )
    return [client.user] if client.user.is_active else []


def _after_send(message: Message) -> None:
    """Broadcast the new message's number to open pages, then notify; failures are logged, never raised.

    One live push carries the thread's event and every recipient's inbox change, and people who already have
    a notice for this unread stretch are found in one read, outside any transaction.
    """
    from alongside.messaging.inbox_live import inbox_group

    pushes: list[tuple[str, dict[str, Any]]] = [
        (message.thread.group_name, {"type": "thread.message", "seq": message.seq})
    ]
    try:
        recipients = [u for u in _recipients(message) if u.pk != message.sender_id]
    except Exception:  # a notification failure must not undo a sent message
        logger.exception("messaging: finding the recipients of message %s failed", message.pk)
        recipients = None
    # Open pages update their inbox rows and Messages badge.
    live_push(pushes + [(inbox_group(u.pk), {"type": "inbox.changed"}) for u in recipients or ()])
    if recipients:
        try:
            _notify(message, recipients)
        except Exception:
            logger.exception("messaging: notifying recipients of message %s failed", message.pk)


def _notify(message: Message, recipients: list[Any]) -> None:
    """One notice (and one email) per unread stretch: until a person reads the thread, further messages raise
    their unread count but do not notify again."""
    from alongside.notify.selectors import notified_already
    from alongside.notify.services import notification_send

    link = (
        reverse("messaging:staff_thread", args=[message.client_id])
        if message.from_client
        else reverse("messaging:client_thread")
    )
    positions = dict(
        ThreadRead.objects.filter(thread_id=message.thread_id, user__in=recipients).values_list(
            "user_id", "last_read_seq"
        )
    )
    keys = {person.pk: f"message:{message.thread_id.hex}:read-{positions.get(person.pk, 0)}" for person in recipients}
    # Most messages land in a stretch already notified: skip those people without opening a transaction
    # (notification_send checks again under its unique constraint, so a race still makes one notice).
    done = notified_already(pairs=keys.items())
    waiting: dict[str, list[Any]] = {}
    for person in recipients:
        if (person.pk, keys[person.pk]) not in done:
            waiting.setdefault(keys[person.pk], []).append(person)
    for dedupe_key, people in waiting.items():
        notification_send(recipients=people, kind="message", link=link, client=message.client, dedupe_key=dedupe_key)


@unaudited("opens the client's message thread row (empty until a message, and every message is audited)")
def thread_open(*, actor: Actor, client_id: uuid.UUID | str) -> Thread:
    """Return the client's thread, creating it on first use, after checking the actor may read it."""
    client = thread_client(actor=actor, client_id=client_id)
    thread, _created = Thread.objects.get_or_create(client=client)
    return thread


@unaudited("read receipts: who opened what, not a change to care")
def thread_mark_read(*, actor: SignedIn, client_id: uuid.UUID | str, seq: int) -> int:
    """Record that ``actor`` has read the thread up to ``seq``; return the stored position."""
    client = thread_client(actor=actor, client_id=client_id)
    thread = Thread.objects.filter(client=client).first()
    if thread is None:
        return 0
    try:
        seq = max(0, min(int(seq), thread.last_seq))
    except (TypeError, ValueError):
        raise ValidationError(_("The message number must be a whole number.")) from None
    with transaction.atomic():
        read, _created = ThreadRead.objects.select_for_update().get_or_create(thread=thread, user=actor)
        if seq <= read.last_read_seq:
            return read.last_read_seq
        read.last_read_seq = seq
        read.read_at = timezone.now()
        read.save(update_fields=["last_read_seq", "read_at"])
    by_client = actor.pk == client.user_id
    live_push([(thread.group_name, {"type": "thread.read", "seq": seq, "by_client": by_client})])
    return seq


@service
def messaging_settings_set(
    *,
    actor: Actor,
    practice_id: uuid.UUID | str,
    office_days: list[int],
    opens_at: dt.time,
    closes_at: dt.time,
    reply_within_hours: int,
) -> OfficeHours:
    """Set a practice's office hours and expected reply time (practice admins only)."""
    from alongside.care.models import ADMIN_ROLES, Membership

    if not Membership.objects.filter(
        user=actor, practice_id=practice_id, is_active=True, role__in=ADMIN_ROLES
    ).exists():
        raise PermissionDenied(_("Only a practice admin can change messaging settings."))
    days = sorted({int(d) for d in office_days})
    if any(d < 1 or d > 7 for d in days):
        raise ValidationError(_("Office days are Monday (1) to Sunday (7)."))
    if opens_at >= closes_at:
        raise ValidationError(_("Office hours must open before they close."))
    if not 1 <= reply_within_hours <= 336:
        raise ValidationError(_("The reply time must be between 1 hour and 2 weeks (336 hours)."))
    with transaction.atomic():
        hours = office_hours_for_update(practice_id)
        hours.office_days, hours.opens_at, hours.closes_at = days, opens_at, closes_at
        hours.reply_within_hours = reply_within_hours
        hours.save()
        record(MessagingAuditAction.SETTINGS_CHANGED, actor=actor, obj=hours)
    return hours
