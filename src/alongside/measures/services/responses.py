"""Writes for responses: start, save answers as the client goes, score and submit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
from alongside.core.services import service, unaudited
from alongside.measures import hooks, library
from alongside.measures.models import (
    MeasureAuditAction,
    MeasureRequest,
    MeasureResponse,
    MeasureScore,
    RequestStatus,
    ResponseStatus,
)
from alongside.measures.services._common import (
    _TOKEN,
    IDEMPOTENCY_KEY,
    RISK_LEVELS_CRITICAL,
    _instrument,
    _is_critical,
    _score,
    _set_answers,
    answers_of,
)
from alongside.measures.services.summaries import score_summary_record
from alongside.safety.crisis_lines import resources_for_client
from alongside.safety.models import CriticalAlert
from alongside.safety.resources import CrisisResource
from alongside.safety.services.alerts import alert_raise_for_response


@dataclass(frozen=True)
class AnswerResult:
    """What the client sees after saving one answer."""

    response: MeasureResponse
    critical: bool
    resources: list[CrisisResource] = field(default_factory=list)


@dataclass(frozen=True)
class SubmitResult:
    """A submitted response with its score, and crisis resources when an answer was critical."""

    response: MeasureResponse
    score: MeasureScore
    alert: CriticalAlert | None
    resources: list[CrisisResource] = field(default_factory=list)
    replayed: bool = False

    @property
    def critical(self) -> bool:
        return self.alert is not None


START_SCOPE = "measures.response_start"
SUBMIT_SCOPE = "measures.response_submit"


def _answering_client(actor: Actor, client_id: uuid.UUID | str, *, reads: bool = False) -> ClientProfile:
    """The client, when ``actor`` may answer for them (themselves, or a clinician in session). 404 otherwise.

    With ``reads`` (the answer shows a response already holding answers), ``actor`` must also be
    allowed to read the client's measures, the check of the scores endpoint: a clinician whose client
    stopped sharing measures may still start a blank questionnaire, but never sees one in progress.
    """
    client, grant = access.client_and_grant_or_404(actor, client_id, Action.WRITE_CLINICAL)
    if reads and not grant.allows(Action.VIEW_CLINICAL, Scope.MEASURES):
        raise Http404("No such response.")
    return client


@service
def response_start(
    *,
    actor: Actor,
    client_id: uuid.UUID | str,
    instrument: str,
    idempotency_key: str,
    request_id: uuid.UUID | str | None = None,
) -> MeasureResponse:
    """Start (or, with the same key, return) a response. Links it to the open request for the instrument."""
    client = _answering_client(actor, client_id)
    code = _instrument(instrument, client.practice_id).code
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise ValidationError(_("The idempotency key must be 8 to 64 letters, digits or - _ . :"))
    payload = {"instrument": code, "request_id": str(request_id) if request_id is not None else None}
    existing = MeasureResponse.objects.filter(client=client, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_key(actor, existing, code, payload)
    now = timezone.now()
    with transaction.atomic():
        open_requests = MeasureRequest.objects.select_for_update().filter(
            client=client, instrument=code, status=RequestStatus.PENDING
        )
        if request_id is not None:
            request = open_requests.filter(pk=request_id).first()
            if request is None:
                raise ValidationError(_("This questionnaire is no longer due."))
        else:
            request = open_requests.order_by("due_at").first()
        try:
            with transaction.atomic():
                response = MeasureResponse.objects.create(
                    client=client,
                    instrument=code,
                    request=request,
                    idempotency_key=idempotency_key,
                    answers={},  # type: ignore[misc]
                    started_at=now,
                    updated_at=now,
                )
                idempotency.remember(user_id=client.user_id, scope=START_SCOPE, key=idempotency_key, payload=payload)
        except IntegrityError:
            raced = MeasureResponse.objects.get(client=client, idempotency_key=idempotency_key)
            return _same_key(actor, raced, code, payload)
        if request is not None:
            MeasureRequest.objects.filter(pk=request.pk, opened_at__isnull=True).update(opened_at=now)
            MeasureRequest.objects.filter(pk=request.pk, seen_at__isnull=True).update(seen_at=now)
        record(
            MeasureAuditAction.RESPONSE_STARTED,
            actor=actor,
            obj=response,
            client_id=client.pk,
            detail={"instrument": code},
        )
    return response


def _same_key(actor: Actor, existing: MeasureResponse, code: str, payload: dict[str, Any]) -> MeasureResponse:
    """Replay a response started with this key: only to someone who may read it, and only for the same body."""
    client = _answering_client(actor, existing.client_id, reads=True)

    def legacy() -> bool:  # a key from before fingerprints: the questionnaire and request must agree
        request_id = payload["request_id"]
        return existing.instrument == code and (request_id is None or str(existing.request_id) == request_id)

    idempotency.replay_check(
        user_id=client.user_id, scope=START_SCOPE, key=existing.idempotency_key, payload=payload, legacy=legacy
    )
    return existing


def _response_for_update(actor: Actor, response_id: uuid.UUID | str) -> MeasureResponse:
    try:
        found = MeasureResponse.objects.filter(pk=response_id).values_list("client_id", flat=True).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404("No such response.")
    _answering_client(actor, found, reads=True)
    # Lock the response row only, and without blocking foreign-key checks on it: locking the joined
    # practice row too made every answer of the practice queue on one row and deadlock with the audit
    # chain's lock under load (bench/load.py).
    return (
        MeasureResponse.objects.select_for_update(of=("self",), no_key=True)
        .select_related("client__practice")
        .get(pk=response_id)
    )


def _validate_answer(instrument: Any, answers: Mapping[str, int | None], link_id: str, value: Any) -> int | None:
    item = next((i for i in instrument.items if i.link_id == link_id), None)
    if item is None:
        raise ValidationError(
            _("%(name)s has no question %(id)s.") % {"name": instrument.short_name or instrument.name, "id": link_id}
        )
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Question %(n)s needs one of its answers.") % {"n": item.number})
    allowed = [o.value for o in item.options]
    if allowed and value not in allowed:
        raise ValidationError(
            _("%(value)s is not an answer to question %(n)s; choose one of %(allowed)s.")
            % {"value": value, "n": item.number, "allowed": ", ".join(str(a) for a in allowed)}
        )
    trial = {**answers, link_id: value}
    if link_id not in {i.link_id for i in instrument.enabled_items(trial)}:
        raise ValidationError(_("Question %(n)s does not apply, given the earlier answers.") % {"n": item.number})
    return value


@unaudited("draft answers saved as typed; starting and submitting are audited")
def response_save_answer(
    *, actor: Actor, response_id: uuid.UUID | str, link_id: str, value: int | None
) -> AnswerResult:
    """Save one answer as the client goes. A critical answer raises the alert at once, in this transaction."""
    with transaction.atomic():
        response = _response_for_update(actor, response_id)
        if response.status != ResponseStatus.IN_PROGRESS:
            raise ValidationError(_("This questionnaire was already submitted."))
        instrument = _instrument(response.instrument, response.client.practice_id)
        answers = answers_of(response)
        clean = _validate_answer(instrument, answers, link_id, value)
        if clean is None:
            answers.pop(link_id, None)
        else:
            answers[link_id] = clean
        _set_answers(response, answers)
        response.updated_at = timezone.now()
        response.save(update_fields=["answers_sealed", "updated_at"])
        critical = clean is not None and _is_critical(instrument, link_id, clean)
        if critical:
            item = next(i for i in instrument.items if i.link_id == link_id)
            alert_raise_for_response(response=response, items=[item.number], risk_level="", actor=actor)
    resources = resources_for_client(response.client) if critical else []
    return AnswerResult(response=response, critical=critical, resources=resources)


def _scoring_answers(instrument: Any, answers: Mapping[str, int | None]) -> dict[str, int | None]:
    enabled = {i.link_id for i in instrument.enabled_items(answers)}
    return {i.link_id: (answers.get(i.link_id) if i.link_id in enabled else None) for i in instrument.items}


def _numbers(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keep numbers, booleans and band-like tokens only: scores never hold free text."""
    kept: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, bool | int | float) or value is None or (isinstance(value, str) and _TOKEN.match(value)):
            kept[str(key)] = value
        elif isinstance(value, Mapping):
            kept[str(key)] = _numbers(value)
    return kept


@service
def response_submit(
    *,
    actor: Actor,
    response_id: uuid.UUID | str,
    idempotency_key: str | None = None,
    answers: Mapping[str, int | None] | None = None,
    context: Mapping[str, Any] | None = None,
) -> SubmitResult:
    """Score and submit a response; create the critical alert in the same transaction.

    Submitting again (a retry) returns the stored result and changes nothing.
    """
    fresh: tuple[MeasureScore, CriticalAlert | None] | None = None
    with transaction.atomic():
        response = _response_for_update(actor, response_id)
        if idempotency_key is not None and idempotency_key != response.idempotency_key:
            raise ValidationError(_("The idempotency key does not match this response."))
        payload = {"answers": dict(answers) if answers else None, "context": dict(context) if context else None}
        owner = response.client.user_id
        if response.status == ResponseStatus.SUBMITTED:
            replay = True
            if idempotency_key is not None:  # submitted before fingerprints (no record): accepted as before
                idempotency.replay_check(user_id=owner, scope=SUBMIT_SCOPE, key=idempotency_key, payload=payload)
        else:
            replay = False
            fresh = _submit(actor=actor, response=response, answers=answers, context=context)
            if idempotency_key is not None:
                idempotency.remember(user_id=owner, scope=SUBMIT_SCOPE, key=idempotency_key, payload=payload)
    # A fresh submission answers with the score it saved (a replay reads it). Without an alert raised now, one
    # raised while the client was answering (response_save_answer) is looked for, as before.
    score, alert = fresh if fresh is not None else (MeasureScore.objects.get(response=response), None)
    if alert is None:
        alert = CriticalAlert.objects.filter(response=response).first()
    resources = resources_for_client(response.client) if alert is not None else []
    return SubmitResult(response=response, score=score, alert=alert, resources=resources, replayed=replay)


def _homework_done(response: MeasureResponse, now: Any) -> None:
    # Self-care (above measures) registers here to mark questionnaire homework done.
    for hook in hooks.RESPONSE_SUBMITTED:
        hook(response, now)


def _submit(
    *,
    actor: Actor,
    response: MeasureResponse,
    answers: Mapping[str, int | None] | None,
    context: Mapping[str, Any] | None,
) -> tuple[MeasureScore, CriticalAlert | None]:
    """Score and save the submission; return the score and the alert it raised (None when it raised none)."""
    instrument = _instrument(response.instrument, response.client.practice_id)
    merged = answers_of(response)
    for link_id, value in (answers or {}).items():
        clean = _validate_answer(instrument, merged, str(link_id), value)
        if clean is None:
            merged.pop(str(link_id), None)
        else:
            merged[str(link_id)] = clean
    scoring = _scoring_answers(instrument, merged)
    try:
        result = _score(instrument, scoring, context)
    except library.AnswerError as error:
        raise ValidationError(str(error)) from None
    now = timezone.now()
    _set_answers(response, {k: v for k, v in scoring.items() if v is not None})
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.updated_at = now
    response.save(update_fields=["answers_sealed", "status", "submitted_at", "updated_at"])
    extra = _numbers(getattr(result, "extra", None))
    critical_items = sorted({int(n) for n in (result.critical_items or [])})
    for item in instrument.items:
        value = scoring.get(item.link_id)
        if value is not None and _is_critical(instrument, item.link_id, value):
            critical_items = sorted({*critical_items, int(item.number)})
    score = MeasureScore.objects.create(
        response=response,
        client_id=response.client_id,
        instrument=response.instrument,
        scored_at=now,
        total=None if result.total is None else float(result.total),
        severity=str(result.severity or "")[:64],
        caseness=result.caseness,
        subscales=_numbers(result.subscales),
        critical_items=critical_items,
        extra=extra,
    )
    score_summary_record(score=score)
    if response.request_id is not None:
        MeasureRequest.objects.filter(pk=response.request_id, status=RequestStatus.PENDING).update(
            status=RequestStatus.COMPLETED, completed_at=now
        )
    record(
        MeasureAuditAction.RESPONSE_SUBMITTED,
        actor=actor,
        obj=response,
        client_id=response.client_id,
        detail={"instrument": response.instrument},
    )
    _homework_done(response, now)
    risk = str(extra.get("risk_level") or extra.get("risk") or "")
    if critical_items or risk in RISK_LEVELS_CRITICAL:
        return score, alert_raise_for_response(response=response, items=critical_items, risk_level=risk, actor=actor)
    return score, None
