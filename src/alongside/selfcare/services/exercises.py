"""Writes for CBT exercises: create a draft, save it as the client goes, complete it.

Every write validates the whole ``data`` against its type's schema first, so a refused
write changes nothing. The client writes their own exercises; ids of others' entries 404.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core import idempotency
from alongside.core.actor import Actor
from alongside.core.services import reader, service
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    EntryStatus,
    ExerciseEntry,
    ExerciseType,
    SelfcareAuditAction,
)
from alongside.selfcare.schemas import validate_data

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
ENTRY_SCOPE = "selfcare.entry"


@reader
def own_client(actor: Actor, client_id: uuid.UUID | str | None = None) -> ClientProfile:
    """The client writing their own self-care record (404 for anyone else, staff included)."""
    if actor is None or not getattr(actor, "is_client", False):
        raise Http404("No such client.")
    client = access.client_or_404(actor, client_id or actor.pk, Action.WRITE_CLINICAL)
    if client.user_id != actor.pk:
        raise Http404("No such client.")
    return client


@reader
def check_key(idempotency_key: str) -> None:
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise ValidationError(_("The idempotency key must be 8 to 64 letters, digits or - _ . :"))


@reader
def data_of(entry: ExerciseEntry) -> dict[str, Any]:
    """The entry's decrypted data as a dict."""
    return cast(dict[str, Any], entry.data or {})


def _audit(entry: ExerciseEntry, *, actor: Actor, step: str) -> None:
    record(
        SelfcareAuditAction.ENTRY_SAVED,
        actor=actor,
        obj=entry,
        client_id=entry.client_id,
        detail={"kind": entry.kind, "status": entry.status, "step": step},
    )


def _homework_done(entry: ExerciseEntry, client: ClientProfile) -> None:
    from alongside.selfcare.services.homework import homework_record_done

    assert entry.completed_at is not None
    homework_record_done(
        client=client, kind=AssignmentKind.EXERCISE, target=entry.kind, when=entry.completed_at, completion=entry
    )


@reader
def own_entry(*, actor: Actor, entry_id: uuid.UUID | str, lock: bool = False) -> ExerciseEntry:
    """The signed-in client's own entry; 404 for anyone else's or a malformed id."""
    client = own_client(actor)
    try:
        rows = ExerciseEntry.objects.filter(client=client, pk=uuid.UUID(str(entry_id)))
    except ValueError:
        raise Http404("No such exercise.") from None
    entry = (rows.select_for_update() if lock else rows).first()
    if entry is None:
        raise Http404("No such exercise.")
    return entry


@service
def entry_create(
    *,
    actor: Actor,
    kind: str,
    idempotency_key: str,
    data: dict[str, Any] | None = None,
    client_id: uuid.UUID | str | None = None,
    assignment_id: uuid.UUID | str | None = None,
    complete: bool = False,
) -> ExerciseEntry:
    """Start a draft exercise (or, with ``complete``, a finished one); the same key returns the entry made before."""
    client = own_client(actor, client_id)
    if kind not in ExerciseType.values:
        raise ValidationError(_("Unknown exercise type."))
    check_key(idempotency_key)
    clean = validate_data(kind, data or {}, complete=complete)
    assigned = str(assignment_id) if assignment_id is not None else None
    payload = {"kind": kind, "data": clean, "assignment_id": assigned, "complete": complete}
    existing = ExerciseEntry.objects.filter(client=client, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replay(client, existing, payload)
    assignment = None
    if assignment_id is not None:
        assignment = Assignment.objects.filter(client=client, pk=assignment_id).first()
        if assignment is None:
            raise ValidationError(_("No such homework."))
    try:
        with transaction.atomic():
            entry = ExerciseEntry.objects.create(
                client=client,
                kind=kind,
                data=clean,  # type: ignore[misc]
                idempotency_key=idempotency_key,
                assignment=assignment,
                status=EntryStatus.COMPLETE if complete else EntryStatus.DRAFT,
                completed_at=timezone.now() if complete else None,
            )
            idempotency.remember(user_id=client.user_id, scope=ENTRY_SCOPE, key=idempotency_key, payload=payload)
            _audit(entry, actor=actor, step="complete" if complete else "create")
            if complete:
                _homework_done(entry, client)
                _safety_check(entry, client, actor)
    except IntegrityError:
        return _replay(client, ExerciseEntry.objects.get(client=client, idempotency_key=idempotency_key), payload)
    return entry


def _safety_check(entry: ExerciseEntry, client: ClientProfile, actor: Actor) -> None:
    """Check a finished entry's free text for crisis language (alongside.safety); caller's transaction."""
    from alongside.safety.models import FlagSource
    from alongside.safety.services import text_of
    from alongside.safety.services.alerts import alert_raise_for_text

    text = text_of(data_of(entry))
    if text.strip():
        alert_raise_for_text(
            client=client, source=FlagSource.EXERCISE_ENTRY, source_id=entry.pk, text=text, actor=actor
        )


def _replay(client: ClientProfile, existing: ExerciseEntry, payload: dict[str, Any]) -> ExerciseEntry:
    """Return the entry saved with this key, when this request is the one that saved it."""
    idempotency.replay_check(
        user_id=client.user_id,
        scope=ENTRY_SCOPE,
        key=existing.idempotency_key,
        payload=payload,
        legacy=lambda: existing.kind == payload["kind"],  # before fingerprints: the exercise type must agree
    )
    return existing


@service
def entry_update(*, actor: Actor, entry_id: uuid.UUID | str, data: dict[str, Any], step: str = "") -> ExerciseEntry:
    """Save the whole ``data`` of an entry. A complete entry must stay complete (nothing may go missing)."""
    with transaction.atomic():
        entry = own_entry(actor=actor, entry_id=entry_id, lock=True)
        entry.data = validate_data(entry.kind, data, complete=entry.status == EntryStatus.COMPLETE)
        entry.save(update_fields=["data", "updated_at"])
        _audit(entry, actor=actor, step=step[:32] or "update")
    return entry


@service
def entry_complete(*, actor: Actor, entry_id: uuid.UUID | str, data: dict[str, Any] | None = None) -> ExerciseEntry:
    """Finish an entry: every required part must be there. Completing twice changes nothing."""
    with transaction.atomic():
        entry = own_entry(actor=actor, entry_id=entry_id, lock=True)
        clean = validate_data(entry.kind, data_of(entry) if data is None else data, complete=True)
        if entry.status == EntryStatus.COMPLETE and clean == entry.data:
            return entry
        entry.data = clean
        finishing = entry.status != EntryStatus.COMPLETE
        if finishing:
            entry.status = EntryStatus.COMPLETE
            entry.completed_at = timezone.now()
        entry.save(update_fields=["data", "status", "completed_at", "updated_at"])
        _audit(entry, actor=actor, step="complete")
        _safety_check(entry, entry.client, actor)
        if finishing:
            _homework_done(entry, entry.client)
    return entry
