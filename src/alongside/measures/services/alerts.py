"""Writes for critical alerts: raise, acknowledge, escalate; in-app notices."""

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

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.selectors import practice_admins, staff_recipients
from alongside.core.services import service, unaudited
from alongside.measures.models import (
    DEFAULT_ESCALATION_MINUTES,
    MESSAGE_ALERT_INSTRUMENT,
    REVIEW_PREFIX,
    AlertNotification,
    AlertSource,
    AlertStatus,
    CriticalAlert,
    MeasureAuditAction,
    MeasureResponse,
    NotificationReason,
    PracticeMeasureSettings,
)
from alongside.measures.services._common import (
    _mail_after_commit,
)

logger = logging.getLogger("alongside.measures.services")


def _alert_raise(*, response: MeasureResponse, items: list[int], risk_level: str, actor: Any) -> CriticalAlert:
    """Create (or add items to) the response's alert and notify the treating clinicians. Caller's transaction."""
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
def alert_raise_for_message(*, message: Any, categories: list[str], actor: Any, level: str = "urgent") -> CriticalAlert:
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
        AlertNotification.objects.bulk_create(
            [AlertNotification(alert=alert, recipient=u, reason=NotificationReason.ALERT) for u in recipients]
        )
        record(
            MeasureAuditAction.ALERT_RAISED,
            actor=actor,
            obj=alert,
            client_id=alert.client_id,
            detail={"recipients": [str(u.pk) for u in recipients], "level": "review"},
        )
    else:
        _alert_notify(alert=alert, client=message.client, actor=actor)
    return alert


def _alert_notify(*, alert: CriticalAlert, client: Any, actor: Any) -> None:
    """In-app notices and the content-free email for a new alert; audited. Caller's transaction."""
    recipients = staff_recipients(client=client)
    notices = AlertNotification.objects.bulk_create(
        [AlertNotification(alert=alert, recipient=user, reason=NotificationReason.ALERT) for user in recipients]
    )
    record(
        MeasureAuditAction.ALERT_RAISED,
        actor=actor,
        obj=alert,
        client_id=alert.client_id,
        detail={"recipients": [str(u.pk) for u in recipients]},
    )
    _notify_in_app_after_commit(kind="alert", recipients=recipients, client_id=alert.client_id, alert_id=alert.pk)
    if notices:
        _mail_after_commit(
            kind="alert",
            notification_ids=[n.pk for n in notices],
            subject=_("A client needs your attention"),
            body=_(
                "There is a new alert for one of your clients in Alongside. "
                "Sign in to Alongside and open your alerts to see it and acknowledge it."
            ),
        )


@service
def alert_acknowledge(*, actor: Any, alert_id: uuid.UUID | str, note: str) -> CriticalAlert:
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
        AlertNotification.objects.filter(alert=alert, recipient=actor, read_at__isnull=True).update(
            read_at=alert.acknowledged_at
        )
        record(MeasureAuditAction.ALERT_ACKNOWLEDGED, actor=actor, obj=alert, client_id=alert.client_id)
    return alert


@service
def alerts_escalate(*, now: dt.datetime | None = None) -> list[CriticalAlert]:
    """Escalate open alerts older than their practice's limit to the practice admins (in-app and email)."""
    now = now or timezone.now()
    limits: dict[uuid.UUID, int] = dict(
        PracticeMeasureSettings.objects.values_list("practice_id", "escalation_minutes")
    )
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
            notices = AlertNotification.objects.bulk_create(
                [AlertNotification(alert=alert, recipient=a, reason=NotificationReason.ESCALATION) for a in admins],
                ignore_conflicts=False,
            )
            record(
                MeasureAuditAction.ALERT_ESCALATED,
                actor=None,
                obj=alert,
                client_id=alert.client_id,
                detail={"recipients": [str(a.pk) for a in admins]},
            )
            _notify_in_app_after_commit(
                kind="escalation", recipients=admins, client_id=alert.client_id, alert_id=alert.pk
            )
            if notices:
                _mail_after_commit(
                    kind="escalation",
                    notification_ids=[n.pk for n in notices],
                    subject=_("An alert in your practice needs attention"),
                    body=_(
                        "An alert for a client of your practice has not been acknowledged in time. "
                        "Sign in to Alongside and open your alerts."
                    ),
                )
        escalated.append(alert)
    return escalated


@unaudited("read receipts: who opened what, not a change to care")
def notifications_mark_read(*, actor: Any, notification_ids: Iterable[int]) -> int:
    """Mark the actor's own in-app notices as read."""
    return AlertNotification.objects.filter(
        recipient_id=getattr(actor, "pk", None), pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def _notify_in_app_after_commit(*, kind: str, recipients: list[Any], client_id: Any, alert_id: Any) -> None:
    """After commit, add the alert to each recipient's notifications (in-app and live; the email went above).

    It can never block or undo an alert: it runs only once the alert is committed, any failure in
    notifications is logged by ids only and swallowed, and it is robust so the alert email still goes.
    """
    if not recipients:
        return

    def send() -> None:
        try:
            from alongside.care.models import ClientProfile
            from alongside.notify.services import notification_send

            notification_send(
                recipients=recipients,
                kind=kind,
                link=reverse("measures:alert_detail", args=[alert_id]),
                client=ClientProfile.objects.filter(pk=client_id).first(),
                dedupe_key=f"{kind}:{alert_id}",
                email=False,
            )
        except Exception:
            logger.exception("measures: in-app %s notification failed for alert %s", kind, alert_id)

    transaction.on_commit(send, robust=True)
