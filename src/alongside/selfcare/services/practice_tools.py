"""Writes for the relaxation tools (breathing, muscle relaxation, grounding) and for reading modules."""

from __future__ import annotations

import datetime as dt
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
from alongside.consent.models import Scope
from alongside.core import idempotency
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.selfcare import library
from alongside.selfcare.models import AssignmentKind, ModuleRead, PracticeKind, PracticeLog, SelfcareAuditAction
from alongside.selfcare.services.homework import homework_record_done
from alongside.selfcare.services.practice import PRACTICE_SCOPE
from alongside.selfcare.toolkit import RATING_MAX, RATING_MIN, TOOL_KINDS

MAX_DURATION_SECONDS = 4 * 60 * 60
MAX_NOTE_LENGTH = 4000


def _rating(value: object, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        errors[field] = _("Choose a number from 0 to 10.")
        return None
    try:
        number = int(cast(Any, value))
    except (TypeError, ValueError):
        errors[field] = _("Choose a number from 0 to 10.")
        return None
    if isinstance(value, bool) or not RATING_MIN <= number <= RATING_MAX or str(number) != str(value).strip():
        errors[field] = _("Choose a number from 0 to 10.")
        return None
    return number


@service
def tool_practice_log(
    *,
    actor: Actor,
    client: ClientProfile,
    kind: PracticeKind | str,
    before: int | str | None,
    after: int | str | None,
    duration_seconds: int | None,
    idempotency_key: str,
    note: str = "",
) -> PracticeLog:
    """Log one use of a relaxation tool with anxiety or tension rated 0-10 before and after.

    A retry with the same ``idempotency_key`` returns the first log. Invalid input raises
    ValidationError (a dict of messages by field) and writes nothing.
    """
    client, grant = access.client_and_grant_or_404(actor, client.pk, Action.WRITE_CLINICAL)
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": _("This form has expired. Please start again.")})
    # The time on the page is measured by the server at each post, so a retry's differs: not part of the body.
    payload = {"kind": str(kind), "before": str(before), "after": str(after), "note": (note or "").strip()}
    existing = PracticeLog.objects.filter(client=client, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _tool_replay(grant, existing, payload)
    errors: dict[str, str] = {}
    if kind not in TOOL_KINDS:
        errors["kind"] = _("This is not one of the relaxation tools.")
    rating_before = _rating(before, "before", errors)
    rating_after = _rating(after, "after", errors)
    if duration_seconds is not None and not 0 <= duration_seconds <= MAX_DURATION_SECONDS:
        errors["duration_seconds"] = _("The practice time is out of range.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = _("Please keep the note under %(count)d characters.") % {"count": MAX_NOTE_LENGTH}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            log = PracticeLog(
                client=client,
                kind=PracticeKind(kind),
                at=timezone.now(),
                rating_before=rating_before,
                rating_after=rating_after,
                duration_seconds=duration_seconds,
                idempotency_key=idempotency_key,
            )
            cast(Any, log).note = note  # an encrypted field: the stubs do not know it
            log.save(force_insert=True)
            idempotency.remember(user_id=client.user_id, scope=PRACTICE_SCOPE, key=idempotency_key, payload=payload)
            record(
                SelfcareAuditAction.PRACTICE_LOGGED,
                actor=actor,
                obj=log,
                client_id=client.pk,
                detail={"kind": str(kind), "note": bool(note)},
            )
            homework_record_done(client=client, kind=AssignmentKind.TOOL, target=log.kind, when=log.at, completion=log)
    except IntegrityError:
        return _tool_replay(grant, PracticeLog.objects.get(client=client, idempotency_key=idempotency_key), payload)
    return log


def _tool_replay(grant: access.Grant, existing: PracticeLog, payload: dict[str, Any]) -> PracticeLog:
    """Return the log saved with this key: to someone who may read the client's exercises, for the same body."""
    if not grant.allows(Action.VIEW_CLINICAL, Scope.EXERCISES):
        raise Http404("No such practice.")
    try:
        idempotency.replay_check(
            user_id=existing.client_id,
            scope=PRACTICE_SCOPE,
            key=existing.idempotency_key,
            payload=payload,
            legacy=lambda: existing.kind == payload["kind"],  # before fingerprints: the same tool
        )
    except idempotency.IdempotencyConflict as conflict:  # this service's errors are by field
        raise ValidationError({"idempotency_key": conflict.messages}) from None
    return existing


@service
def module_mark_read(*, actor: Actor, client: ClientProfile, module: str, today: dt.date | None = None) -> ModuleRead:
    """Record that the client read ``module``; a second mark on the same day returns the first."""
    client = access.client_or_404(actor, client.pk, Action.WRITE_CLINICAL)
    if module not in library.SLUGS:
        raise ValidationError({"module": _("There is no such reading.")})
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = ModuleRead.objects.filter(client=client, module=module, read_at__date=today).first()
        if existing is not None:
            return existing
        read = ModuleRead.objects.create(client=client, module=module, read_at=timezone.now())
        record(
            SelfcareAuditAction.MODULE_READ,
            actor=actor,
            obj=read,
            client_id=client.pk,
            detail={"module": module},
        )
        homework_record_done(
            client=client, kind=AssignmentKind.MODULE, target=module, when=read.read_at, completion=read
        )
    return read
