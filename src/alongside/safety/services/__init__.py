"""Writes of the safety app: flag crisis language in a client's free text, in the caller's transaction."""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from django.core.exceptions import PermissionDenied

from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
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


@service
def flag_raise_for_text(
    *, client: ClientProfile, source: FlagSource, source_id: Any, text: str, actor: Actor
) -> SafetyFlag | None:
    """Check a client's free text; on crisis language store a flag (with the text, encrypted) and audit it.

    Runs in the caller's transaction (the text's own). Telling the clinicians is the alert's
    job: callers go through ``safety.services.alerts.alert_raise_for_text``, which
    turns the flag into a critical alert (urgent) or an alert-list entry (review). Returns
    None when nothing was found; a later save of the same text returns the first flag.
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
    cast(Any, flag).text = (text or "")[:20_000]
    flag.save(force_insert=True)
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
