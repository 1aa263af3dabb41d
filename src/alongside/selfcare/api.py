"""API routes for self-care (/api/v1/selfcare/… and /api/v1/clients/{id}/…), one section per area.

Routes call :mod:`alongside.selfcare.services` and :mod:`alongside.selfcare.selectors`, which
apply the access layer (404 for anyone without access) and audit reads by staff. Every create
takes an idempotency key chosen by the caller, so a retry never duplicates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from alongside.api.urls import api
from alongside.selfcare import selectors, services

router = Router(tags=["selfcare"])  # /api/v1/selfcare/…: the signed-in client's own records
clients_router = Router(tags=["selfcare"])  # /api/v1/clients/{client_id}/…: a care team's view


def _refusal(error: Exception) -> HttpError:
    """Turn a service refusal into an API answer: 422 with the message, or 403."""
    if isinstance(error, ValidationError):
        return HttpError(422, " ".join(error.messages))
    return HttpError(403, str(error) or "Not allowed.")


# --- Check-ins -------------------------------------------------------------------------


class EmotionSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    intensity: int = Field(5, ge=0, le=10)


class CheckInIn(Schema):
    """A check-in; give the idempotency key here or in the ``Idempotency-Key`` header."""

    model_config = ConfigDict(extra="forbid")

    mood: int = Field(..., ge=0, le=10)
    emotions: list[EmotionSchema] | None = None
    sleep_quality: int | None = Field(None, ge=0, le=10)
    sleep_hours: Decimal | None = Field(None, ge=0, le=24)
    activities: list[str] | None = None
    note: str | None = Field(None, max_length=2000)
    idempotency_key: str | None = Field(None, min_length=8, max_length=64)


class CheckInOut(Schema):
    id: uuid.UUID
    at: dt.datetime
    local_date: dt.date
    mood: int
    sleep_quality: int | None
    sleep_hours: Decimal | None
    emotions: list[dict[str, Any]]
    activities: list[str]
    note: str | None = Field(None, description="Left out (null) unless the reader may see journal text.")


def _checkin_out(view: selectors.CheckInView) -> CheckInOut:
    return CheckInOut(
        id=view.id,
        at=view.at,
        local_date=view.local_date,
        mood=view.mood,
        sleep_quality=view.sleep_quality,
        sleep_hours=view.sleep_hours,
        emotions=view.emotions,
        activities=view.activities,
        note=view.note,
    )


@router.post("/checkins", response={201: CheckInOut})
def checkin_create(
    request: HttpRequest,
    payload: CheckInIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Save a check-in for the signed-in client; the same idempotency key returns the same check-in."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client can check in.")
    data = payload.model_dump(exclude_unset=True, exclude={"idempotency_key"})
    key = idempotency_key or payload.idempotency_key
    if not key:
        raise HttpError(422, "An idempotency key is required (Idempotency-Key header or idempotency_key field).")
    if data.get("sleep_hours") is not None:
        data["sleep_hours"] = str(data["sleep_hours"])
    try:
        checkin = services.checkin_create(actor=request.user, client=request.user.pk, idempotency_key=key, **data)
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return Status(201, _checkin_out(selectors.checkin_own(user=request.user, checkin_id=checkin.pk)))


@router.get("/checkins", response=list[CheckInOut])
def checkins_own(request: HttpRequest, since: dt.date | None = None, limit: int = 200) -> list[CheckInOut]:
    """List the signed-in client's own check-ins, newest first."""
    rows = selectors.checkins_own(user=request.user, since=since, limit=max(1, min(limit, 1000)))
    return [_checkin_out(v) for v in rows]


@clients_router.get("/{client_id}/checkins", response=list[CheckInOut])
def client_checkins(
    request: HttpRequest, client_id: uuid.UUID, since: dt.date | None = None, limit: int = 200
) -> list[CheckInOut]:
    """List a client's check-ins for their care team while the client shares MOOD (404 otherwise)."""
    rows = selectors.checkins_for(user=request.user, client_id=client_id, since=since, limit=max(1, min(limit, 1000)))
    return [_checkin_out(v) for v in rows]


# --- Mounting (keep last) --------------------------------------------------------------

api.add_router("/selfcare", router)
api.add_router("/clients", clients_router)
