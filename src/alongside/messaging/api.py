"""API routes for messages: /api/v1/messages/{client_id}/… for the client and their care team.

The same services and selectors as the pages and the socket: access through the access
layer (404 for outsiders), staff reads audited, sends idempotent by a caller-chosen key
and rate-limited. Attachments are sent through the page for now; the API lists them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from alongside.core.actor import signed_in
from alongside.core.idempotency import IdempotencyConflict
from alongside.messaging import selectors, services

router = Router(tags=["messages"])


class AttachmentOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: uuid.UUID
    seq: int = Field(..., description="Position in the thread; ask for messages after the last one you have.")
    from_client: bool
    mine: bool
    sender_name: str
    body: str
    created_at: dt.datetime
    entry_kind: str
    attachment: AttachmentOut | None


class ThreadOut(Schema):
    client_id: uuid.UUID
    last_seq: int
    other_read_seq: int = Field(..., description="How far the other side has read (read receipts).")
    can_send: bool
    messages: list[MessageOut]


class MessageIn(Schema):
    """A message; give the idempotency key here or in the ``Idempotency-Key`` header."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field("", max_length=20000)
    entry_kind: str = ""
    entry_id: uuid.UUID | None = None
    idempotency_key: str | None = Field(None, min_length=8, max_length=64)


class ReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(..., ge=0)


def _refusal(error: Exception) -> HttpError:
    if isinstance(error, services.RateLimited):
        return HttpError(429, " ".join(error.messages))
    if isinstance(error, IdempotencyConflict):
        return HttpError(409, " ".join(error.messages))
    if isinstance(error, ValidationError):
        return HttpError(422, " ".join(error.messages))
    return HttpError(403, str(error) or "Not allowed.")


def _message_out(m: selectors.MessageView) -> MessageOut:
    return MessageOut(
        id=m.id,
        seq=m.seq,
        from_client=m.from_client,
        mine=m.mine,
        sender_name=m.sender_name,
        body=m.body,
        created_at=m.created_at,
        entry_kind=m.entry_kind,
        attachment=AttachmentOut(**vars(m.attachment)) if m.attachment else None,
    )


def _out(view: selectors.ThreadView) -> ThreadOut:
    return ThreadOut(
        client_id=view.client.pk,
        last_seq=view.thread.last_seq if view.thread else 0,
        other_read_seq=view.other_read_seq,
        can_send=view.can_send,
        messages=[_message_out(m) for m in view.messages],
    )


@router.get("/{client_id}", response=ThreadOut)
def thread_get(request: HttpRequest, client_id: uuid.UUID, after: int = 0) -> ThreadOut:
    """Return the thread's messages after ``after`` (the latest 200 when 0)."""
    try:
        view = selectors.thread_view(actor=signed_in(request.user), client_id=client_id, after_seq=max(0, after))
    except PermissionDenied as error:
        raise _refusal(error) from None
    return _out(view)


@router.post("/{client_id}", response={201: MessageOut, 200: MessageOut})
def message_create(
    request: HttpRequest,
    client_id: uuid.UUID,
    payload: MessageIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Send a message; a retry with the same key and body returns the first message (200), another body gets 409."""
    key = idempotency_key or payload.idempotency_key
    if not key:
        raise HttpError(422, "An idempotency key is required (Idempotency-Key header or idempotency_key field).")
    try:
        result = services.message_send(
            actor=signed_in(request.user),
            client_id=client_id,
            body=payload.body,
            idempotency_key=key,
            entry_kind=payload.entry_kind,
            entry_id=payload.entry_id,
        )
        actor = signed_in(request.user)
        message = (
            selectors.sent_message_view(actor=actor, message=result.message)
            if result.created
            else selectors.message_view(actor=actor, client_id=client_id, seq=result.message.seq)
        )
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return Status(201 if result.created else 200, _message_out(message))


@router.post("/{client_id}/read", response=ReadIn)
def thread_read(request: HttpRequest, client_id: uuid.UUID, payload: ReadIn) -> ReadIn:
    """Record how far the caller has read; positions only move forward."""
    try:
        seq = services.thread_mark_read(actor=signed_in(request.user), client_id=client_id, seq=payload.seq)
    except (ValidationError, PermissionDenied) as error:
        raise _refusal(error) from None
    return ReadIn(seq=seq)
