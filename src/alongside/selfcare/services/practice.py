"""Writes for exposure and activity practice logs, tied to the client's ladder or activity plan."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.core import idempotency
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.selfcare.models import ExerciseEntry, ExerciseType, PracticeKind, PracticeLog, SelfcareAuditAction
from alongside.selfcare.schemas import ActivityPractice, ExposurePractice, validate_practice
from alongside.selfcare.services.exercises import check_key, data_of, own_entry

PRACTICE_SCOPE = "selfcare.practice"  # one key space for every practice log of a client, as in the table


def _step_ids(entry: ExerciseEntry) -> set[str]:
    items = data_of(entry).get("steps" if entry.kind == ExerciseType.EXPOSURE_HIERARCHY else "activities", [])
    return {str(item.get("id")) for item in items}


def _log(
    *, actor: Actor, entry_id: uuid.UUID | str, kind: PracticeKind, idempotency_key: str, fields: dict[str, Any]
) -> PracticeLog:
    check_key(idempotency_key)
    expected = ExerciseType.EXPOSURE_HIERARCHY if kind == PracticeKind.EXPOSURE else ExerciseType.BEHAVIOURAL_ACTIVATION
    entry = own_entry(actor=actor, entry_id=entry_id)
    payload = {"kind": str(kind), "entry_id": str(entry.pk), **fields}
    existing = PracticeLog.objects.filter(client_id=entry.client_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replay(existing, payload)
    if entry.kind != expected:
        raise ValidationError(_("This practice does not belong to that exercise."))
    if fields["step_id"] not in _step_ids(entry):
        raise ValidationError(_("There is no such step in this exercise."))
    try:
        with transaction.atomic():
            log = PracticeLog.objects.create(
                client_id=entry.client_id,
                entry=entry,
                kind=kind,
                idempotency_key=idempotency_key,
                at=timezone.now(),
                **fields,
            )
            idempotency.remember(user_id=entry.client_id, scope=PRACTICE_SCOPE, key=idempotency_key, payload=payload)
            record(
                SelfcareAuditAction.PRACTICE_LOGGED,
                actor=actor,
                obj=log,
                client_id=entry.client_id,
                detail={"kind": str(kind), "entry": str(entry.pk)},
            )
    except IntegrityError:
        return _replay(PracticeLog.objects.get(client_id=entry.client_id, idempotency_key=idempotency_key), payload)
    return log


def _replay(existing: PracticeLog, payload: dict[str, Any]) -> PracticeLog:
    """Return the log saved with this key, when this request is the one that saved it."""
    idempotency.replay_check(
        user_id=existing.client_id,
        scope=PRACTICE_SCOPE,
        key=existing.idempotency_key,
        payload=payload,
        # Before fingerprints: the same kind of practice of the same exercise.
        legacy=lambda: existing.kind == payload["kind"] and str(existing.entry_id) == payload["entry_id"],
    )
    return existing


@service
def exposure_log_create(
    *,
    actor: Actor,
    entry_id: uuid.UUID | str,
    step_id: str,
    rating_before: Any,
    rating_peak: Any,
    rating_after: Any,
    idempotency_key: str,
    duration_seconds: Any = None,
    note: str = "",
) -> PracticeLog:
    """Log one exposure practice of a ladder step with SUDS before, at the peak and after (0-100)."""
    practice = validate_practice(
        ExposurePractice,
        {
            "step_id": step_id,
            "rating_before": rating_before,
            "rating_peak": rating_peak,
            "rating_after": rating_after,
            "duration_seconds": duration_seconds,
            "note": note,
        },
    )
    return _log(
        actor=actor,
        entry_id=entry_id,
        kind=PracticeKind.EXPOSURE,
        idempotency_key=idempotency_key,
        fields=practice.model_dump(),
    )


@service
def activity_log_create(
    *,
    actor: Actor,
    entry_id: uuid.UUID | str,
    step_id: str,
    done: Any,
    idempotency_key: str,
    mastery: Any = None,
    pleasure: Any = None,
    note: str = "",
) -> PracticeLog:
    """Record a planned activity as done or not, with mastery and pleasure (0-10)."""
    practice = validate_practice(
        ActivityPractice,
        {"step_id": step_id, "done": done, "mastery": mastery, "pleasure": pleasure, "note": note},
    )
    return _log(
        actor=actor,
        entry_id=entry_id,
        kind=PracticeKind.ACTIVITY,
        idempotency_key=idempotency_key,
        fields=practice.model_dump(),
    )
