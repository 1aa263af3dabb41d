"""API routes for self-care (/api/v1/selfcare/… and /api/v1/clients/{id}/…), one section per area.

Routes call :mod:`alongside.selfcare.services` and :mod:`alongside.selfcare.selectors`, which
apply the access layer (404 for anyone without access) and audit reads by staff. Every create
takes an idempotency key chosen by the caller, so a retry never duplicates.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from alongside.core.actor import signed_in
from alongside.core.idempotency import IdempotencyConflict
from alongside.selfcare import selectors, services

router = Router(tags=["selfcare"])  # /api/v1/selfcare/…: the signed-in client's own records
clients_router = Router(tags=["selfcare"])  # /api/v1/clients/{client_id}/…: a care team's view


def _refusal(error: Exception) -> HttpError:
    """Turn a service refusal into an API answer: 409 for a reused idempotency key, 422 with the message, or 403."""
    if isinstance(error, IdempotencyConflict):
        return HttpError(409, " ".join(error.messages))
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


def _checkin_out(view: selectors.CheckInView) -> dict[str, Any]:
    """The fields of :class:`CheckInOut`, left to the route's response schema to check once.

    Building the schema here as well ran Django Ninja's validation twice for every check-in of a page (issue #19).
    """
    return {
        "id": view.id,
        "at": view.at,
        "local_date": view.local_date,
        "mood": view.mood,
        "sleep_quality": view.sleep_quality,
        "sleep_hours": view.sleep_hours,
        "emotions": view.emotions,
        "activities": view.activities,
        "note": view.note,
    }


@router.post("/checkins", response={201: CheckInOut})
def checkin_create(
    request: HttpRequest,
    payload: CheckInIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Save a check-in for the signed-in client; a retry (same key, same body) returns it, another body gets 409."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client can check in.")
    # A null optional field means "not given", as the schema says (the service refuses null lists and notes).
    given = payload.model_dump(exclude_unset=True, exclude={"idempotency_key"})
    data = {k: v for k, v in given.items() if v is not None}
    key = idempotency_key or payload.idempotency_key
    if not key:
        raise HttpError(422, "An idempotency key is required (Idempotency-Key header or idempotency_key field).")
    if data.get("sleep_hours") is not None:
        data["sleep_hours"] = str(data["sleep_hours"])
    try:
        checkin = services.checkin_create(
            actor=signed_in(request.user), client=request.user.pk, idempotency_key=key, **data
        )
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return Status(201, _checkin_out(selectors.checkin_saved(user=request.user, checkin=checkin)))


PAGE_DEFAULT = 50  # check-ins per page unless ``limit`` says otherwise
PAGE_MAX = 200
NEXT_CURSOR = "X-Next-Cursor"
PAGED = {
    "responses": {
        "200": {
            "description": "A page of check-ins, newest first.",
            "headers": {
                NEXT_CURSOR: {
                    "description": "Pass as ``cursor`` to get the next (older) page; absent on the last page.",
                    "schema": {"type": "string"},
                },
                "Link": {
                    "description": 'The next page\'s URL, ``rel="next"`` (RFC 8288).',
                    "schema": {"type": "string"},
                },
            },
        }
    }
}


def _cursor_of(view: selectors.CheckInView) -> str:
    return base64.urlsafe_b64encode(f"{view.at.isoformat()}|{view.id}".encode()).decode().rstrip("=")


def _after_cursor(cursor: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    """Decode a cursor this API handed out (422 for anything else)."""
    if not cursor:
        return None
    try:
        at, _bar, last_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        return dt.datetime.fromisoformat(at), uuid.UUID(last_id)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(422, "This cursor is not one the API gave; start again without it.") from None


def _page(
    request: HttpRequest, response: HttpResponse, rows: list[selectors.CheckInView], limit: int
) -> list[dict[str, Any]]:
    """Serialise a page and, when it is full, point at the next one (a cursor header and a Link header)."""
    if len(rows) == limit:
        cursor = _cursor_of(rows[-1])
        query = request.GET.copy()
        query["cursor"] = cursor
        response[NEXT_CURSOR] = cursor
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return [_checkin_out(v) for v in rows]


@router.get("/checkins", response=list[CheckInOut], openapi_extra=PAGED)
def checkins_own(
    request: HttpRequest,
    response: HttpResponse,
    since: dt.date | None = None,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """List the signed-in client's own check-ins, newest first, a page at a time (``limit`` up to 200)."""
    limit = max(1, min(limit, PAGE_MAX))
    rows = selectors.checkins_own(user=request.user, since=since, limit=limit, before=_after_cursor(cursor))
    return _page(request, response, rows, limit)


@clients_router.get("/{client_id}/checkins", response=list[CheckInOut], openapi_extra=PAGED)
def client_checkins(
    request: HttpRequest,
    response: HttpResponse,
    client_id: uuid.UUID,
    since: dt.date | None = None,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """List a client's check-ins for their care team while the client shares MOOD (404 otherwise), paged."""
    limit = max(1, min(limit, PAGE_MAX))
    before = _after_cursor(cursor)
    rows = selectors.checkins_for(user=request.user, client_id=client_id, since=since, limit=limit, before=before)
    return _page(request, response, rows, limit)


# --- Exercises and practice logs (CBT exercises engineer) ------------------------------


class EntryIn(Schema):
    """A new exercise; ``data`` is checked by the schema of its ``kind``. ``complete`` finishes it at once."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=32)
    data: dict[str, Any] = Field(default_factory=dict)
    complete: bool = False
    idempotency_key: str | None = Field(None, min_length=8, max_length=64)


class PracticeLogIn(Schema):
    """An exposure practice (SUDS before, peak, after 0-100) or a planned activity (done, mastery, pleasure 0-10)."""

    model_config = ConfigDict(extra="forbid")

    entry_id: uuid.UUID
    kind: str = Field(..., pattern="^(exposure|activity)$")
    step_id: str = Field(..., max_length=64)
    rating_before: int | None = None
    rating_peak: int | None = None
    rating_after: int | None = None
    done: bool = True
    mastery: int | None = None
    pleasure: int | None = None
    note: str = Field("", max_length=4000)
    idempotency_key: str | None = Field(None, min_length=8, max_length=64)


class PracticeLogOut(Schema):
    id: uuid.UUID
    entry_id: uuid.UUID | None
    kind: str
    step_id: str
    at: dt.datetime
    rating_before: int | None
    rating_peak: int | None
    rating_after: int | None
    done: bool
    mastery: int | None
    pleasure: int | None


class EntryOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    data: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    practice_logs: list[PracticeLogOut] = Field(default_factory=list)


def _log_out(log: Any) -> PracticeLogOut:
    return PracticeLogOut(
        id=log.pk,
        entry_id=log.entry_id,
        kind=log.kind,
        step_id=log.step_id,
        at=log.at,
        rating_before=log.rating_before,
        rating_peak=log.rating_peak,
        rating_after=log.rating_after,
        done=log.done,
        mastery=log.mastery,
        pleasure=log.pleasure,
    )


def _entry_out(entry: Any, logs: list[Any] | None = None) -> EntryOut:
    return EntryOut(
        id=entry.pk,
        kind=entry.kind,
        status=entry.status,
        data=dict(entry.data or {}),
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        completed_at=entry.completed_at,
        practice_logs=[_log_out(log) for log in logs or []],
    )


def _key_of(header: str | None, body: str | None) -> str:
    key = header or body
    if not key:
        raise HttpError(422, "An idempotency key is required (Idempotency-Key header or idempotency_key field).")
    return key


@router.post("/entries", response={201: EntryOut})
def entry_create(
    request: HttpRequest,
    payload: EntryIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Start (or, with ``complete``, finish) an exercise; a retry returns it again, the key with another body gets 409."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client can write exercises.")
    key = _key_of(idempotency_key, payload.idempotency_key)
    try:
        entry = services.entry_create(
            actor=signed_in(request.user),
            kind=payload.kind,
            idempotency_key=key,
            data=payload.data,
            complete=payload.complete,
        )
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return Status(201, _entry_out(entry))


@router.get("/entries", response=list[EntryOut])
def entries_own(request: HttpRequest, kind: str | None = None) -> list[EntryOut]:
    """List the signed-in client's own exercises with their practice logs, newest first."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client has exercises.")
    view = selectors.exercises_for(user=request.user, client_id=str(request.user.pk))
    return [_entry_out(e, view.logs.get(e.pk)) for e in view.entries if kind is None or e.kind == kind]


@router.post("/practice-logs", response={201: PracticeLogOut})
def practice_log_create(
    request: HttpRequest,
    payload: PracticeLogIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Log an exposure practice or a planned activity of one of the client's exercises; idempotent by key (409 if reused)."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client can log practice.")
    key = _key_of(idempotency_key, payload.idempotency_key)
    try:
        if payload.kind == "exposure":
            log = services.exposure_log_create(
                actor=signed_in(request.user),
                entry_id=payload.entry_id,
                step_id=payload.step_id,
                rating_before=payload.rating_before,
                rating_peak=payload.rating_peak,
                rating_after=payload.rating_after,
                note=payload.note,
                idempotency_key=key,
            )
        else:
            log = services.activity_log_create(
                actor=signed_in(request.user),
                entry_id=payload.entry_id,
                step_id=payload.step_id,
                done=payload.done,
                mastery=payload.mastery,
                pleasure=payload.pleasure,
                note=payload.note,
                idempotency_key=key,
            )
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return Status(201, _log_out(log))


@clients_router.get("/{client_id}/entries", response=list[EntryOut])
def client_entries(request: HttpRequest, client_id: uuid.UUID) -> list[EntryOut]:
    """List a client's exercises and practice logs for their care team while EXERCISES is shared (404 otherwise)."""
    view = selectors.staff_exercises(user=request.user, client_id=client_id)
    if not view.shares:
        raise HttpError(404, "Not found.")
    return [_entry_out(e, view.logs.get(e.pk)) for e in view.entries]


# --- Homework -------------------------------------------------------------------------


class HomeworkTodayOut(Schema):
    task_id: uuid.UUID
    assignment_id: uuid.UUID
    kind: str
    target: str
    label: str
    due_on: dt.date
    remaining_this_week: int | None = Field(None, description="Open slots this week (N times a week only).")


class TaskCompleteIn(Schema):
    """Give the idempotency key here or in the ``Idempotency-Key`` header."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str | None = Field(None, min_length=8, max_length=64)


class TaskOut(Schema):
    id: uuid.UUID
    assignment_id: uuid.UUID
    due_on: dt.date
    status: str
    completed_at: dt.datetime | None
    completion_type: str = Field(..., description='What completed it: a record\'s model label, or "api".')


class TallyOut(Schema):
    expected: int
    completed: int
    percent: int | None


class WeekTallyOut(TallyOut):
    week_of: dt.date


class AdherenceOut(Schema):
    assignment_id: uuid.UUID
    kind: str
    target: str
    label: str
    frequency: str
    is_current: bool
    total: TallyOut
    weeks: list[WeekTallyOut]


def _tally_out(tally: Any) -> TallyOut:
    return TallyOut(expected=tally.expected, completed=tally.completed, percent=tally.percent)


@router.get("/homework/today", response=list[HomeworkTodayOut])
def homework_today(request: HttpRequest) -> list[HomeworkTodayOut]:
    """List the signed-in client's homework due now, one line per assignment; finished work is left out."""
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client has homework.")
    return [
        HomeworkTodayOut(
            task_id=item.task.pk,
            assignment_id=item.task.assignment_id,
            kind=item.kind,
            target=item.task.assignment.target,
            label=item.label,
            due_on=item.due_on,
            remaining_this_week=item.remaining_this_week,
        )
        for item in selectors.today_for(user=request.user)
    ]


@router.post("/homework/tasks/{task_id}/complete", response=TaskOut)
def homework_task_complete(
    request: HttpRequest,
    task_id: uuid.UUID,
    payload: TaskCompleteIn | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> TaskOut:
    """Mark one of the signed-in client's tasks as done; a task already done stays as it is (404 for others')."""
    key = _key_of(idempotency_key, payload.idempotency_key if payload else None)
    try:
        task = services.task_complete(actor=signed_in(request.user), task_id=task_id, idempotency_key=key)
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return TaskOut(
        id=task.pk,
        assignment_id=task.assignment_id,
        due_on=task.due_on,
        status=task.status,
        completed_at=task.completed_at,
        completion_type=task.completion_type,
    )


@clients_router.get("/{client_id}/adherence", response=list[AdherenceOut])
def client_adherence(request: HttpRequest, client_id: uuid.UUID) -> list[AdherenceOut]:
    """List a client's homework with adherence (completed / expected) for their care team while EXERCISES is shared."""
    if not selectors.homework_client(user=request.user, client_id=client_id).shares_adherence:
        raise HttpError(404, "Not found.")
    return [
        AdherenceOut(
            assignment_id=row.assignment.pk,
            kind=row.assignment.kind,
            target=row.assignment.target,
            label=row.label,
            frequency=row.assignment.frequency,
            is_current=row.is_current,
            total=_tally_out(row.total),
            weeks=[
                WeekTallyOut(week_of=monday, expected=t.expected, completed=t.completed, percent=t.percent)
                for monday, t in row.weeks
            ],
        )
        for row in selectors.assignments_for(user=request.user, client_id=client_id)
    ]


# --- Mounting (keep last) --------------------------------------------------------------
