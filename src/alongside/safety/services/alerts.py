"""Writes for critical alerts: raise (from a questionnaire answer, a message or other free text), acknowledge,
escalate.

Check-in notes, exercise entries and topics for next session are checked by :mod:`alongside.safety.detector`; a
flag it raises becomes a ``CriticalAlert`` here, so an urgent flag takes the same path as an urgent message (email
without content, acknowledgement with a note, escalation to the practice admins) and a review flag lands in the
alert list only (no email, no live push, no escalation).

An alert's notices are notify.Notification rows about the topic ``measures.alert:<id>`` (the prefix is older than
the move to safety), written in the alert's own transaction (so a stored alert always has its in-app notices), with
the content-free email in notify's outbox, sent after commit and retried there.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.care.selectors import practice_admins, staff_recipients
from alongside.core.actor import Actor
from alongside.core.models import DEFAULT_ESCALATION_MINUTES
from alongside.core.practice_settings import escalation_minutes
from alongside.core.services import service, unaudited
from alongside.notify.models import NotificationKind
from alongside.notify.services import notification_send
from alongside.notify.services import notifications_mark_read as _notices_mark_read
from alongside.safety.models import (
    FLAG_ALERT_INSTRUMENT,
    MESSAGE_ALERT_INSTRUMENT,
    REVIEW_PREFIX,
    AlertSource,
    AlertStatus,
    CriticalAlert,
    FlagLevel,
    FlagSource,
    SafetyAuditAction,
    SafetyFlag,
    alert_topic,
)
from alongside.safety.services import flag_raise_for_text

logger = logging.getLogger("alongside.safety.alerts")

# Generic on purpose: no name, no questionnaire, no answer.
ALERT_EMAIL = (
    gettext_lazy("A client needs your attention"),
    gettext_lazy(
        "There is a new alert for one of your clients in Alongside. "
        "Sign in to Alongside and open your alerts to see it and acknowledge it."
    ),
)
ESCALATION_EMAIL = (
    gettext_lazy("An alert in your practice needs attention"),
    gettext_lazy(
        "An alert for a client of your practice has not been acknowledged in time. "
        "Sign in to Alongside and open your alerts."
    ),
)


@service
def alert_raise_for_response(*, response: Any, items: list[int], risk_level: str, actor: Actor) -> CriticalAlert:
    """Create (or add items to) a questionnaire response's alert and notify the treating clinicians.

    ``response`` is a ``measures.MeasureResponse`` (measures sits above safety and passes it in). Runs in the
    caller's transaction, the response's own.
    """
    alert = CriticalAlert.objects.select_for_update().filter(response=response).first()
    if alert is not None:
        merged = sorted({*alert.items, *items})
        changed = merged != alert.items or (risk_level and risk_level != alert.risk_level)
        if changed:
            alert.items = merged
            alert.risk_level = risk_level or alert.risk_level
            alert.save(update_fields=["items", "risk_level"])
        return alert
    alert = CriticalAlert.objects.create(
        client_id=response.client_id,
        response=response,
        instrument=response.instrument,
        items=sorted(set(items)),
        risk_level=risk_level[:32],
    )
    _alert_notify(alert=alert, client=response.client, actor=actor)
    return alert


@service
def alert_raise_for_message(
    *, message: Any, categories: list[str], actor: Actor, level: str = "urgent"
) -> CriticalAlert:
    """Raise an alert for crisis language in a client's message. Caller's transaction (the message's).

    Urgent is routed like a critical answer: the client's own clinicians, in-app and by
    email without content; escalated to the practice admins when not acknowledged in time.
    Review (passive ideation, history, negated or third-person mentions) lands in the same
    clinicians' alert list, marked "review", with no email, no live push and no escalation.
    """
    review = level == "review"
    prefix = REVIEW_PREFIX if review else ""
    alert = CriticalAlert.objects.create(
        client_id=message.client_id,
        source=AlertSource.MESSAGE,
        message=message,
        instrument=MESSAGE_ALERT_INSTRUMENT,
        items=[],
        risk_level=(prefix + ",".join(sorted(set(categories))))[:32],
    )
    if review:
        recipients = staff_recipients(client=message.client)
        _notices_send(alert=alert, client=message.client, recipients=recipients, kind=NotificationKind.ALERT)
        record(
            SafetyAuditAction.ALERT_RAISED,
            actor=actor,
            obj=alert,
            client_id=alert.client_id,
            detail={"recipients": [str(u.pk) for u in recipients], "level": "review"},
        )
    else:
        _alert_notify(alert=alert, client=message.client, actor=actor)
    return alert


def _alert_notify(*, alert: CriticalAlert, client: Any, actor: Actor) -> None:
    """In-app notices and the content-free email for a new alert; audited. Caller's transaction."""
    recipients = staff_recipients(client=client)
    _notices_send(
        alert=alert, client=client, recipients=recipients, kind=NotificationKind.ALERT, email_text=ALERT_EMAIL
    )
    record(
        SafetyAuditAction.ALERT_RAISED,
        actor=actor,
        obj=alert,
        client_id=alert.client_id,
        detail={"recipients": [str(u.pk) for u in recipients]},
    )


def _notices_send(
    *,
    alert: CriticalAlert,
    client: Any,
    recipients: list[Any],
    kind: NotificationKind,
    email_text: tuple[Any, Any] | None = None,
) -> None:
    """Write each recipient's notice of the alert in this transaction; email and push only with ``email_text``.

    Without it (a review alert) the notice is in the app only: no email and no live push. A failing mail
    server cannot touch the notice: its email is only an outbox row here, sent after commit.
    """
    notification_send(
        recipients=recipients,
        kind=kind,
        link=reverse("measures:alert_detail", args=[alert.pk]),
        client=client,
        dedupe_key=f"{kind}:{alert.pk}",
        topic=alert_topic(alert.pk),
        email=email_text is not None,
        live=email_text is not None,
        email_text=email_text,
    )


@service
def alert_acknowledge(*, actor: Actor, alert_id: uuid.UUID | str, note: str) -> CriticalAlert:
    """Acknowledge an alert with a note. Only a clinician on the client's current care team may."""
    try:
        client_id = CriticalAlert.objects.filter(pk=alert_id).values_list("client_id", flat=True).first()
    except (ValueError, ValidationError):
        client_id = None
    if client_id is None:
        raise Http404("No such alert.")
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can acknowledge this alert."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write a note saying what you did or will do."))
    if len(note) > 5000:
        raise ValidationError(_("Keep the note under 5,000 characters."))
    with transaction.atomic():
        alert = CriticalAlert.objects.select_for_update().get(pk=alert_id)
        if alert.status == AlertStatus.ACKNOWLEDGED:
            raise ValidationError(_("This alert was already acknowledged."))
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.note = note
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "note_sealed"])
        _notices_mark_read(actor=actor, topic=alert_topic(alert.pk))
        record(SafetyAuditAction.ALERT_ACKNOWLEDGED, actor=actor, obj=alert, client_id=alert.client_id)
    return alert


@service
def alerts_escalate(*, now: dt.datetime | None = None) -> list[CriticalAlert]:
    """Escalate open alerts older than their practice's limit to the practice admins (in-app and email)."""
    now = now or timezone.now()
    limits: dict[uuid.UUID, int] = escalation_minutes()
    escalated: list[CriticalAlert] = []
    candidates = (
        CriticalAlert.objects.filter(status=AlertStatus.OPEN)
        .exclude(risk_level__startswith=REVIEW_PREFIX)  # review alerts wait for the clinician
        .select_related("client")
        .order_by("created_at")
    )
    for candidate in candidates:
        practice_id = candidate.client.practice_id
        limit = dt.timedelta(minutes=limits.get(practice_id, DEFAULT_ESCALATION_MINUTES))
        if candidate.created_at + limit > now:
            continue
        with transaction.atomic():
            alert = CriticalAlert.objects.select_for_update().get(pk=candidate.pk)
            if alert.status != AlertStatus.OPEN:
                continue
            alert.status = AlertStatus.ESCALATED
            alert.escalated_at = now
            alert.save(update_fields=["status", "escalated_at"])
            admins = practice_admins(practice_id=practice_id)
            _notices_send(
                alert=alert,
                client=candidate.client,
                recipients=admins,
                kind=NotificationKind.ESCALATION,
                email_text=ESCALATION_EMAIL,
            )
            record(
                SafetyAuditAction.ALERT_ESCALATED,
                actor=None,
                obj=alert,
                client_id=alert.client_id,
                detail={"recipients": [str(a.pk) for a in admins]},
            )
        escalated.append(alert)
    return escalated


@unaudited("read receipts: who opened what, not a change to care")
def notifications_mark_read(*, actor: Actor, notification_ids: Iterable[uuid.UUID | str]) -> int:
    """Mark the actor's own in-app notices as read (those of an alert, listed by ``alert_notices_of``)."""
    return _notices_mark_read(actor=actor, notification_ids=notification_ids)


@service
def alert_raise_for_flag(*, flag: SafetyFlag, actor: Actor) -> CriticalAlert:
    """Raise the alert of a safety flag (once per flag). Caller's transaction (the text's own).

    Urgent: the treating clinicians in the app and by email without content, then the practice
    admins when nobody acknowledges in time. Review: the same clinicians' alert list, marked
    "review", with no email, no live push and no escalation.
    """
    existing = CriticalAlert.objects.filter(flag=flag).first()
    if existing is not None:
        return existing
    review = flag.level != FlagLevel.URGENT
    prefix = REVIEW_PREFIX if review else ""
    alert = CriticalAlert.objects.create(
        client_id=flag.client_id,
        source=AlertSource.FLAG,
        flag=flag,
        instrument=FLAG_ALERT_INSTRUMENT,
        items=[],
        risk_level=(prefix + ",".join(sorted(set(flag.categories))))[:32],
    )
    client = flag.client
    if review:
        recipients = staff_recipients(client=client)
        _notices_send(alert=alert, client=client, recipients=recipients, kind=NotificationKind.ALERT)
        record(
            SafetyAuditAction.ALERT_RAISED,
            actor=actor,
            obj=alert,
            client_id=alert.client_id,
            detail={"recipients": [str(u.pk) for u in recipients], "level": "review", "source": flag.source},
        )
    else:
        _alert_notify(alert=alert, client=client, actor=actor)
    return alert


@service
def alert_raise_for_text(
    *, client: ClientProfile, source: FlagSource, source_id: Any, text: str, actor: Actor
) -> SafetyFlag | None:
    """Check a client's free text (not a message); on crisis language store the flag and raise its alert.

    Runs in the caller's transaction, so the text, its flag and its alert are stored together
    or not at all. Saving the same text again raises nothing new. Returns the flag, or None.
    """
    flag = flag_raise_for_text(client=client, source=source, source_id=source_id, text=text, actor=actor)
    if flag is not None:
        alert_raise_for_flag(flag=flag, actor=actor)
    return flag
