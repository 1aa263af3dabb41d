"""Writes of the safety app: flag crisis language in a client's free text, in the caller's transaction."""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from alongside.audit.log import Entry, record_many
from alongside.care.models import ADMIN_ROLES, CareTeamMember, ClientProfile, Membership
from alongside.core.actor import Actor
from alongside.core.services import reader, service
from alongside.safety.detector import detect
from alongside.safety.models import (
    FeedbackTarget,
    FeedbackVerdict,
    FlagLevel,
    FlagSource,
    SafetyAuditAction,
    SafetyFeedback,
    SafetyFlag,
)
from alongside.safety.result import Detection

logger = logging.getLogger("alongside.safety")


def _treating_staff(client: ClientProfile) -> list[Any]:
    """The current care team, active in the practice; the practice admins when there is none."""
    from alongside.accounts.models import User

    active = Membership.objects.filter(practice_id=client.practice_id, is_active=True)
    team = list(
        User.objects.filter(
            pk__in=CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("clinician_id"),
            is_active=True,
        ).filter(pk__in=active.values("user_id"))
    )
    if team:
        return team
    admins = active.filter(role__in=ADMIN_ROLES).values("user_id")
    return list(User.objects.filter(pk__in=admins, is_active=True))


@service
def flag_raise_for_text(
    *, client: ClientProfile, source: FlagSource, source_id: Any, text: str, actor: Actor
) -> SafetyFlag | None:
    """Check a client's free text; on crisis language store a flag, audit it and tell the treating clinicians.

    Runs in the caller's transaction (the text's own). Urgent flags notify in the app and by
    email (content-free); review flags notify in the app only. Returns None when nothing was found.
    """
    result: Detection = detect(text or "", language=(client.locale or "")[:2])
    if not result.alert:
        return None
    existing = SafetyFlag.objects.filter(source=source, source_id=str(source_id)[:64]).first()
    if existing is not None:  # one flag per text; a later save of the same text does not raise another
        return existing
    level = FlagLevel.URGENT if result.urgent else FlagLevel.REVIEW
    categories = [str(c) for c in result.categories]
    flag = SafetyFlag(client=client, source=source, source_id=str(source_id)[:64], level=level, categories=categories)
    cast(Any, flag).evidence = json.dumps(result.evidence(), ensure_ascii=False)
    flag.save(force_insert=True)
    recipients = _treating_staff(client)
    record_many(
        [
            Entry(
                action=SafetyAuditAction.FLAG_RAISED,
                obj=flag,
                client_id=client.pk,
                detail={"source": str(source), "level": str(level), "categories": categories},
            )
        ],
        actor=actor,
    )
    link = reverse("care:client_detail", args=[client.pk])
    transaction.on_commit(lambda: _notify(recipients, client, link, urgent=level == FlagLevel.URGENT, flag=flag))
    return flag


@reader
def text_of(value: Any) -> str:
    """Every string inside a JSON-like value (an exercise entry's data), one per line."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(text_of(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(text_of(v) for v in value)
    return ""


def _notify(recipients: list[Any], client: ClientProfile, link: str, *, urgent: bool, flag: SafetyFlag) -> None:
    """Tell the clinicians after commit; a failure is logged, never raised into the client's request."""
    try:
        from alongside.notify.services import notification_send

        notification_send(
            recipients=recipients,
            kind="alert",
            link=link,
            client=client,
            dedupe_key=f"safety-flag-{flag.pk}",
            email=urgent,
        )
    except Exception:
        logger.exception("safety: notifying the care team of flag %s failed", flag.pk)


@service
def feedback_give(
    *,
    actor: Actor,
    client_id: Any,
    target: FeedbackTarget,
    target_id: Any,
    verdict: FeedbackVerdict,
    text: str,
    note: str = "",
) -> SafetyFeedback:
    """Store a clinician's "not a crisis" / "missed something" on one client text, encrypted; audited.

    Only a clinician on the client's current care team may (PermissionDenied otherwise). The
    text is kept (encrypted with the client's key) so the verdict can be exported for
    retraining; the audit event holds the verdict and target only, never the text or note.
    """
    from alongside import access

    client = access.care_team_clients(actor).filter(pk=client_id).first()
    if client is None:
        raise PermissionDenied("Only the client's care team can give feedback on the crisis-language check.")
    feedback = SafetyFeedback(
        client=client,
        target=FeedbackTarget(target),
        target_id=str(target_id)[:64],
        verdict=FeedbackVerdict(verdict),
        language=(client.locale or "")[:2],
        given_by=actor,
    )
    cast(Any, feedback).text = (text or "")[:20_000]
    cast(Any, feedback).note = (note or "")[:2_000]
    feedback.save(force_insert=True)
    record_many(
        [
            Entry(
                action=SafetyAuditAction.FEEDBACK_GIVEN,
                obj=feedback,
                client_id=client.pk,
                detail={"target": str(target), "verdict": str(verdict)},
            )
        ],
        actor=actor,
    )
    return feedback
