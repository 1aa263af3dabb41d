"""Writes for notifications: send (in-app, email, live push), mark read, and each person's choices.

Other apps call :func:`notification_send`; its signature is stable::

    notification_send(
        recipients=[user, ...],          # User objects (or anything with .pk/.email/.locale)
        kind=NotificationKind.MESSAGE,   # what happened; decides the generic email text
        link="/messages/<thread>/",      # a path on this site, opened from the notification list
        client=client_profile,           # optional: the client it concerns (access/audit only)
        dedupe_key="message:<id>",       # optional: a retried send never makes a second notice
        email=True,                      # False: in the app only, whatever the person chose
        topic="measures.alert:<id>",     # optional: what it is about, to find these notices again (ids only)
        live=True,                       # False: no live push to open pages (review alerts)
        email_text=(subject, body),      # optional lazy strings replacing the kind's generic email text
    ) -> list[Notification]             # the notices made now (none for a repeated dedupe_key)

Rows (and their emails, in the outbox of :mod:`alongside.notify.mail`) are written in the caller's
transaction; emails are sent and live events pushed after commit, and their failures are logged by
ids only, never raised (a failed email is retried with backoff). Emails carry no names and no content.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from alongside.audit.log import Entry, record_many
from alongside.core.actor import Actor, SignedIn
from alongside.core.services import reader, service, unaudited
from alongside.notify import discreet, webpush
from alongside.notify.live import live_push
from alongside.notify.mail import email_enqueue
from alongside.notify.models import (
    ALWAYS_ON,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotifyAuditAction,
    PushSubscription,
    validate_link,
)

logger = logging.getLogger("alongside.notify")


@reader
def group_name(user_id: uuid.UUID | str) -> str:
    """The channel-layer group of one person's live notifications."""
    return f"user.{uuid.UUID(str(user_id)).hex}"


def _email_text(kind: str) -> tuple[str, str]:
    """Subject and body for a kind: generic on purpose, no names and no content."""
    texts = {
        NotificationKind.MESSAGE: (
            _("New message in Alongside"),
            _("You have a new message in Alongside. Sign in to read it."),
        ),
        NotificationKind.ALERT: (
            _("A client needs your attention"),
            _("There is a new alert for one of your clients in Alongside. Sign in to Alongside to see it."),
        ),
        NotificationKind.ESCALATION: (
            _("An alert in your practice needs attention"),
            _("An alert in your practice has not been acknowledged in time. Sign in to Alongside to see it."),
        ),
        NotificationKind.HOMEWORK: (
            _("Something to do today in Alongside"),
            _("You have something to do today between sessions. Sign in to Alongside to see it."),
        ),
        NotificationKind.MEASURE_DUE: (
            _("A questionnaire is ready in Alongside"),
            _("A questionnaire is ready for you in Alongside. Sign in to fill it in."),
        ),
        NotificationKind.SESSION: (
            _("Session reminder"),
            _("You have a session soon. Sign in to Alongside to see when and to join."),
        ),
    }
    return texts[NotificationKind(kind)]


@reader
def channels_for(*, user_ids: Iterable[Any], kind: str) -> dict[Any, tuple[bool, bool]]:
    """Return (in_app, email) per user for a kind: their saved choice, on by default, always on for alerts."""
    ids = list(user_ids)
    if kind in ALWAYS_ON:
        return dict.fromkeys(ids, (True, True))
    chosen = {
        user_id: (in_app, email)
        for user_id, in_app, email in NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "in_app", "email"
        )
    }
    return {user_id: chosen.get(user_id, (True, True)) for user_id in ids}


@service
def notification_send(
    *,
    recipients: Iterable[Any],
    kind: str,
    link: str,
    client: Any = None,
    dedupe_key: str | None = None,
    email: bool = True,
    topic: str = "",
    live: bool = True,
    email_text: tuple[str | Promise, str | Promise] | None = None,
) -> list[Notification]:
    """Notify people of something waiting for them, as each chose. See the module docstring."""
    kind = NotificationKind(kind)
    validate_link(link)
    if dedupe_key is not None and not (0 < len(dedupe_key) <= 120):
        raise ValidationError(_("A dedupe key is 1 to 120 characters."))
    if len(topic) > 120:
        raise ValidationError(_("A topic is at most 120 characters."))
    people = {person.pk: person for person in recipients}
    if not people:
        return []
    choices = channels_for(user_ids=people, kind=kind)
    with transaction.atomic():
        taken: set[Any] = set()
        if dedupe_key is not None:
            taken = set(
                Notification.objects.filter(recipient_id__in=people, dedupe_key=dedupe_key).values_list(
                    "recipient_id", flat=True
                )
            )
        now = timezone.now()
        rows = [
            Notification(
                recipient=person,
                kind=kind,
                link=link,
                subject_client=client,
                created_at=now,
                dedupe_key=dedupe_key or "",
                topic=topic,
                in_app=choices[pk][0],
            )
            for pk, person in people.items()
            if pk not in taken and any(choices[pk])
        ]
        # The unique constraint still guards a concurrent retry: its row is skipped, not duplicated.
        Notification.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None)
        made = list(Notification.objects.filter(pk__in=[r.pk for r in rows]).order_by("recipient_id"))
        if made:
            record_many(
                [
                    Entry(
                        action=NotifyAuditAction.SENT,
                        client_id=getattr(client, "pk", None),
                        detail={"kind": str(kind), "count": len(made)},
                    )
                ],
                actor=None,
            )
        mailed = [n for n in made if email and choices[n.recipient_id][1]]
        _queue_emails(mailed, people=people, kind=kind, text=email_text)
        pushed = sorted({str(n.recipient_id) for n in made if n.in_app}) if live else []
        if pushed:
            transaction.on_commit(lambda: _push(pushed, kind=kind, link=link))
            transaction.on_commit(lambda: webpush.push_enqueue(pushed))  # devices that opted in
    return made


def _queue_emails(
    notices: Sequence[Notification],
    *,
    people: Mapping[Any, Any],
    kind: str,
    text: tuple[str | Promise, str | Promise] | None,
) -> None:
    """Put each notice's email in the outbox, in its recipient's language; sent after commit, retried."""
    for notice in notices:
        person = people[notice.recipient_id]
        with translation.override(getattr(person, "locale", None) or None):
            subject, body = (str(text[0]), str(text[1])) if text else _email_text(kind)
            if discreet.wanted(person):  # the person asked that nothing in their inbox names the site
                subject, body = discreet.neutral_text()
        email_enqueue(
            to=person.email,
            subject=subject,
            body=body,
            kind=f"notify.{kind}",
            ref=f"notify.Notification:{notice.pk}",
            # Ids only, for the logs: the notice and what it is about.
            note=f"notification {notice.pk} {notice.topic}".strip(),
        )


def _push(user_ids: Sequence[str], *, kind: str, link: str) -> None:
    """Tell each person's open pages, with their unread count, through the live-push task; never raises."""
    try:
        counts = unread_counts(user_ids=user_ids)
        events = [
            (
                group_name(user_id),
                {"type": "notify.event", "kind": str(kind), "count": counts.get(str(user_id), 0), "link": link},
            )
            for user_id in user_ids
        ]
        live_push(events)
    except Exception:
        logger.exception("notify: live push of %s failed for %d people", kind, len(user_ids))


@reader
def unread_counts(*, user_ids: Iterable[Any]) -> dict[str, int]:
    """Unread notices per user id (as text)."""
    from django.db.models import Count

    rows = (
        Notification.objects.filter(recipient_id__in=list(user_ids), in_app=True, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {str(row["recipient_id"]): int(row["n"]) for row in rows}


def _own(actor: Actor, notification_id: uuid.UUID | str) -> Notification:
    try:
        found = Notification.objects.filter(pk=notification_id, recipient_id=getattr(actor, "pk", None)).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404("No such notification.")
    return found


@unaudited("read receipts: who opened what, not a change to care")
def notification_mark_read(*, actor: Actor, notification_id: uuid.UUID | str) -> Notification:
    """Mark one of the actor's own notices read (404 for anyone else's); return it."""
    notice = _own(actor, notification_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


@unaudited("read receipts: who opened what, not a change to care")
def notifications_mark_read(*, actor: Actor, notification_ids: Iterable[uuid.UUID | str] = (), topic: str = "") -> int:
    """Mark the actor's own unread notices read: those listed, and all about ``topic``; return how many changed."""
    ids, found = list(notification_ids), 0
    unread = Notification.objects.filter(recipient_id=getattr(actor, "pk", None), read_at__isnull=True)
    now = timezone.now()
    if ids:
        found += unread.filter(pk__in=ids).update(read_at=now)
    if topic:
        found += unread.filter(topic=topic).update(read_at=now)
    return found


@unaudited("read receipts: who opened what, not a change to care")
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark all the actor's notices read; return how many changed."""
    return Notification.objects.filter(recipient_id=getattr(actor, "pk", None), read_at__isnull=True).update(
        read_at=timezone.now()
    )


@service
def preferences_set(*, actor: Actor, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Save the actor's (in_app, email) choice per kind; alerts and escalations stay on whatever is asked."""
    with transaction.atomic():
        changed: dict[str, list[bool]] = {}
        for raw_kind, (in_app, by_email) in choices.items():
            kind = NotificationKind(raw_kind)
            if kind in ALWAYS_ON:
                continue
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"in_app": bool(in_app), "email": bool(by_email)}
            )
            changed[str(kind)] = [bool(in_app), bool(by_email)]
        record_many(
            [Entry(action=NotifyAuditAction.PREFERENCES_CHANGED, detail={"choices": changed})],
            actor=actor,
        )


class PushSubscriptionError(ValueError):
    """A device's subscription could not be accepted (not a known push service, or malformed keys)."""


@service
def push_subscription_save(
    *, actor: SignedIn, endpoint: str, p256dh: str, auth: str, device: str = ""
) -> PushSubscription:
    """Turn on content-free notices for one of the actor's devices (or update it). Audited, without the endpoint.

    A device that was subscribed for someone else (a shared browser) becomes the actor's: the old row goes.
    Raises PushSubscriptionError for an endpoint off the known push services or keys of the wrong size.
    """
    if not webpush.endpoint_allowed(endpoint) or len(endpoint) > 2000:
        raise PushSubscriptionError(_("This browser's push service is not one Alongside can send to."))
    try:
        if len(webpush.key_bytes(p256dh)) != 65 or len(webpush.key_bytes(auth)) != 16:
            raise ValueError("key size")
    except ValueError:
        raise PushSubscriptionError(_("This browser sent a subscription Alongside cannot use.")) from None
    digest = webpush.endpoint_digest(endpoint)
    with transaction.atomic():
        PushSubscription.objects.filter(endpoint_digest=digest).exclude(user_id=actor.pk).delete()
        found = PushSubscription.objects.filter(endpoint_digest=digest).first()
        subscription = found or PushSubscription(user=actor, endpoint_digest=digest)
        subscription.endpoint = endpoint
        subscription.p256dh = p256dh.strip()
        subscription.auth = auth.strip()
        subscription.device = device.strip()[:80]
        subscription.failures = 0
        subscription.save()
        record_many(
            [Entry(action=NotifyAuditAction.PUSH_SUBSCRIBED, detail={"device": subscription.device})], actor=actor
        )
    return subscription


@service
def push_subscription_remove(*, actor: SignedIn, endpoint: str) -> bool:
    """Turn off notices for one of the actor's devices; return whether it was subscribed."""
    digest = webpush.endpoint_digest(endpoint)
    with transaction.atomic():
        deleted, _by_model = PushSubscription.objects.filter(endpoint_digest=digest, user_id=actor.pk).delete()
        if deleted:
            record_many([Entry(action=NotifyAuditAction.PUSH_UNSUBSCRIBED, detail={})], actor=actor)
    return bool(deleted)
