"""API routes for measures: what is due, answering, scores, and critical alerts.

Routes call :mod:`alongside.measures.services` and :mod:`alongside.measures.selectors`,
which apply the access layer (404 for anyone without access) and audit reads by staff.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictInt

from alongside.core.actor import signed_in
from alongside.core.idempotency import IdempotencyConflict
from alongside.measures import selectors, services
from alongside.measures.models import MeasureRequest, MeasureResponse, MeasureScore
from alongside.safety.models import CriticalAlert
from alongside.safety.resources import CrisisResource
from alongside.safety.services import alerts as alert_services

router = Router()  # mounted at /api/v1 by alongside.api.routes


@contextmanager
def _errors() -> Iterator[None]:
    """Turn service refusals into API answers: 409 for a reused idempotency key, 422 with the message, or 403."""
    try:
        yield
    except IdempotencyConflict as error:
        raise HttpError(409, " ".join(error.messages)) from None
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "Not allowed.") from None


def _call[T](fn: Callable[..., T], **kwargs: Any) -> T:
    with _errors():
        return fn(**kwargs)


class DueOut(Schema):
    id: uuid.UUID
    instrument: str
    due_at: dt.datetime
    expires_at: dt.datetime


class CrisisOut(Schema):
    name: str
    phone: str
    text: str
    url: str
    description: str
    emergency: bool


class ResponseIn(Schema):
    instrument: str = Field(..., max_length=32)
    idempotency_key: str = Field(..., min_length=8, max_length=64)
    request_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = Field(None, description="Whose questionnaire; defaults to the signed-in client.")


class ResponseOut(Schema):
    id: uuid.UUID
    instrument: str
    status: str
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    answers: dict[str, int]


class AnswerIn(Schema):
    value: StrictInt | None


class AnswerOut(Schema):
    response: ResponseOut
    critical: bool
    crisis_resources: list[CrisisOut]


class SubmitIn(Schema):
    idempotency_key: str = Field(..., min_length=8, max_length=64)
    answers: dict[str, StrictInt | None] | None = None
    context: dict[str, str | int | bool] | None = None


class ScoreOut(Schema):
    response_id: uuid.UUID
    instrument: str
    scored_at: dt.datetime
    total: float | None
    severity: str
    caseness: bool | None
    subscales: dict[str, Any]
    critical_items: list[int]
    extra: dict[str, Any]


class SubmitOut(Schema):
    response: ResponseOut
    score: ScoreOut
    critical: bool
    crisis_resources: list[CrisisOut]
    replayed: bool


class AlertOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    instrument: str
    items: list[int]
    risk_level: str
    status: str
    created_at: dt.datetime
    escalated_at: dt.datetime | None
    acknowledged_at: dt.datetime | None


class AcknowledgeIn(Schema):
    note: str = Field(..., max_length=5000)


def _response_out(response: MeasureResponse) -> ResponseOut:
    answers = {k: v for k, v in services.answers_of(response).items() if v is not None}
    return ResponseOut(
        id=response.pk,
        instrument=response.instrument,
        status=response.status,
        started_at=response.started_at,
        submitted_at=response.submitted_at,
        answers=answers,
    )


def _crisis_out(resources: list[CrisisResource]) -> list[CrisisOut]:
    return [
        CrisisOut(name=r.name, phone=r.phone, text=r.text, url=r.url, description=r.description, emergency=r.emergency)
        for r in resources
    ]


def _score_out(score: MeasureScore) -> ScoreOut:
    return ScoreOut(
        response_id=score.response_id,
        instrument=score.instrument,
        scored_at=score.scored_at,
        total=score.total,
        severity=score.severity,
        caseness=score.caseness,
        subscales=score.subscales,
        critical_items=score.critical_items,
        extra=score.extra,
    )


def _alert_out(alert: CriticalAlert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        client_id=alert.client_id,
        instrument=alert.instrument,
        items=alert.items,
        risk_level=alert.risk_level,
        status=alert.status,
        created_at=alert.created_at,
        escalated_at=alert.escalated_at,
        acknowledged_at=alert.acknowledged_at,
    )


@router.get("/measures/due", response=list[DueOut], tags=["measures"])
def measures_due(request: HttpRequest) -> list[DueOut]:
    """List the signed-in client's questionnaires that are due now; records that they were seen."""
    due: list[MeasureRequest] = selectors.due_requests(user=request.user)
    services.request_mark_seen(actor=signed_in(request.user), request_ids=[r.pk for r in due])
    return [DueOut(id=r.pk, instrument=r.instrument, due_at=r.due_at, expires_at=r.expires_at) for r in due]


@router.post("/measures/responses", response=ResponseOut, tags=["measures"])
def measures_response_start(request: HttpRequest, payload: ResponseIn) -> ResponseOut:
    """Start answering a questionnaire. A retry with the same key and body returns the same response; another body, 409.

    Returning a response that holds answers needs the right to read the client's measures (404 otherwise).
    """
    client_id = payload.client_id or request.user.pk
    response = _call(
        services.response_start,
        actor=request.user,
        client_id=client_id,
        instrument=payload.instrument,
        idempotency_key=payload.idempotency_key,
        request_id=payload.request_id,
    )
    return _response_out(response)


@router.put("/measures/responses/{response_id}/answers/{link_id}", response=AnswerOut, tags=["measures"])
def measures_answer_save(request: HttpRequest, response_id: uuid.UUID, link_id: str, payload: AnswerIn) -> AnswerOut:
    """Save one answer (null clears it). A critical answer returns crisis resources at once."""
    result = _call(
        services.response_save_answer,
        actor=request.user,
        response_id=response_id,
        link_id=link_id,
        value=payload.value,
    )
    return AnswerOut(
        response=_response_out(result.response),
        critical=result.critical,
        crisis_resources=_crisis_out(result.resources),
    )


@router.post("/measures/responses/{response_id}/submit", response=SubmitOut, tags=["measures"])
def measures_response_submit(request: HttpRequest, response_id: uuid.UUID, payload: SubmitIn) -> SubmitOut:
    """Score and submit; a retry with the same key and body returns the stored result, other answers get 409."""
    result = _call(
        services.response_submit,
        actor=request.user,
        response_id=response_id,
        idempotency_key=payload.idempotency_key,
        answers=payload.answers,
        context=payload.context,
    )
    return SubmitOut(
        response=_response_out(result.response),
        score=_score_out(result.score),
        critical=result.critical,
        crisis_resources=_crisis_out(result.resources),
        replayed=result.replayed,
    )


@router.get("/clients/{client_id}/scores", response=list[ScoreOut], tags=["measures"])
def client_scores(request: HttpRequest, client_id: uuid.UUID, instrument: str | None = None) -> list[ScoreOut]:
    """A client's scores, oldest first: for the client, or their care team when measures are shared."""
    return [_score_out(s) for s in selectors.scores_for(user=request.user, client_id=client_id, instrument=instrument)]


@router.get("/alerts", response=list[AlertOut], tags=["measures"])
def alerts_open(request: HttpRequest) -> list[AlertOut]:
    """Open critical alerts for the signed-in clinician (and escalated ones for practice admins)."""
    return [_alert_out(a) for a in selectors.open_alerts_for(user=request.user)]


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut, tags=["measures"])
def alert_acknowledge(request: HttpRequest, alert_id: uuid.UUID, payload: AcknowledgeIn) -> AlertOut:
    """Acknowledge an alert with a note (required). Only a clinician on the client's care team may."""
    alert = _call(alert_services.alert_acknowledge, actor=request.user, alert_id=alert_id, note=payload.note)
    return _alert_out(alert)
