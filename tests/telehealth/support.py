"""Shared helpers for the telehealth tests: appointments at a chosen moment and signed-in sockets."""

from __future__ import annotations

import datetime as dt
import time

from channels.routing import URLRouter
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
from alongside.routing import websocket_urlpatterns
from alongside.sessions.models import Appointment
from alongside.sessions.services import appointment_create
from tests.notify.ws import WebsocketCommunicator


def appointment(world, *, starts_in: dt.timedelta = dt.timedelta(minutes=10)) -> Appointment:
    """Book Sam with Alice; a start in the past is made by booking ahead and moving the row back."""
    ahead = timezone.now() + dt.timedelta(days=3)
    booked = appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=ahead.replace(microsecond=0))
    Appointment.objects.filter(pk=booked.pk).update(starts_at=timezone.now() + starts_in)
    booked.refresh_from_db()
    return booked


def session_for(user, *, mfa: bool = True) -> SessionStore:
    """A real stored session for ``user``, as signing in (and the second factor) leaves it."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store[SESSION_MFA_OK] = mfa
    store[SESSION_AUTH_AT] = time.time()
    store[SESSION_SEEN_AT] = time.time()
    store.create()
    return store


def room_socket(user, appointment_id) -> WebsocketCommunicator:
    """A socket into the appointment's room, signed in as ``user`` (None: anonymous)."""
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/telehealth/{appointment_id}/")
    communicator.scope["user"] = user if user is not None else AnonymousUser()
    communicator.scope["session"] = session_for(user) if user is not None else SessionStore()
    return communicator


async def frames_until(communicator, kind: str, limit: int = 10) -> list[dict]:
    """Read frames until one of type ``kind`` arrives; return all of them."""
    frames = []
    for _ in range(limit):
        frame = await communicator.receive_json_from(timeout=5)
        frames.append(frame)
        if frame["type"] == kind:
            return frames
    raise AssertionError(f"no {kind} frame in {frames}")
