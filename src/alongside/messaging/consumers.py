"""The live thread: a WebSocket per open thread page.

Broadcasts carry a sequence number only. Each socket then loads what it has not yet
sent through the same access-checked selector as the page, so a socket whose access
ends (a revoked scope, a care-team change) stops receiving at the next event, and no
message text ever passes through the channel layer (Redis).

Client -> server frames (JSON):
    {"type": "send", "key": K, "body": B, "entry_kind": ..., "entry_id": ...}
    {"type": "read", "seq": N}
    {"type": "catch_up", "after": N}
Server -> client frames:
    {"type": "message", "seq": N, "id": ..., "html": ...}
    {"type": "ack", "key": K, "seq": N, "created": bool, "crisis": bool}
    {"type": "error", "key": K, "message": text}
    {"type": "read", "seq": N, "by_client": bool}
"""

from __future__ import annotations

import logging
import time
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation

from alongside.accounts.middleware import SESSION_MFA_OK, staff_session_expired
from alongside.messaging import selectors, services
from alongside.runtime import database_sync_to_async  # closes the connections each call opens (issue #19)

logger = logging.getLogger("alongside.messaging")

CLOSE_REFUSED = 4403


class SessionEnded(PermissionDenied):
    """The socket's session was signed out, expired or timed out."""


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    """One open thread page, for the client or a clinician on their care team."""

    client_id: str
    group: str
    sent_seq: int

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.client_id = str(self.scope["url_route"]["kwargs"]["client_id"])
        self.sent_seq = 0
        self.last_activity: float | None = None
        self.language = translation.get_language() or "en"
        try:
            group = await database_sync_to_async(self._open)()
        except (Http404, PermissionDenied, ValidationError, ValueError):
            await self.close(code=CLOSE_REFUSED)
            return
        self.group = group
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    def _open(self) -> str:
        if self.user is None or not getattr(self.user, "is_authenticated", False):
            raise PermissionDenied("Sign in first.")
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self._check_session()
        cookies = self.scope.get("cookies") or {}
        self.language = cookies.get(settings.LANGUAGE_COOKIE_NAME) or getattr(self.user, "locale", "") or "en"
        thread = services.thread_open(actor=self.user, client_id=self.client_id)
        # Start from the newest message: the page rendered what came before, and asks
        # with "catch_up" for anything it missed (each push is audited for staff).
        self.sent_seq = thread.last_seq
        return thread.group_name

    def _check_session(self) -> None:
        """The socket lives only as long as the session: signing out, expiry or a staff timeout end it.

        Reads the session afresh from its store (one query), so a sign-out in another tab
        stops this socket at its next event.
        """
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore
        data = store(session_key=self.session_key).load() if self.session_key else {}
        if str(data.get("_auth_user_id", "")) != str(self.user.pk):
            raise SessionEnded("The session has ended.")
        if not getattr(self.user, "is_client", False):
            if not data.get(SESSION_MFA_OK):
                raise SessionEnded("Staff need their second factor first.")
            if staff_session_expired(data, now=time.time(), last_activity=self.last_activity):
                raise SessionEnded("The session timed out.")

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "key": "", "message": "Frames must be JSON objects."})
            return
        kind = content.get("type")
        if kind == "send":
            await self._send_message(content)
        elif kind == "read":
            await self._mark_read(content.get("seq"))
        elif kind == "catch_up":
            try:
                self.sent_seq = min(self.sent_seq, max(0, int(content.get("after", 0))))
            except (TypeError, ValueError):
                await self.send_json({"type": "error", "key": "", "message": "after must be a whole number."})
                return
            await self._push_new()
        else:
            await self.send_json({"type": "error", "key": "", "message": "Unknown frame type."})

    async def _send_message(self, content: dict[str, Any]) -> None:
        key = str(content.get("key") or "")[:64]
        try:
            result = await database_sync_to_async(self._send_sync)(content, key)
        except SessionEnded:
            await self.close(code=CLOSE_REFUSED)
            return
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            await self.send_json({"type": "error", "key": key, "message": " ".join(str(m) for m in messages)})
            return
        except Http404:
            await self.close(code=CLOSE_REFUSED)
            return
        await self.send_json(
            {
                "type": "ack",
                "key": key,
                "seq": result.message.seq,
                "id": str(result.message.pk),
                "created": result.created,
                "crisis": result.crisis,
            }
        )
        await self._push_new()

    def _send_sync(self, content: dict[str, Any], key: str) -> services.SendResult:
        self._check_session()
        self.last_activity = time.time()
        with translation.override(self.language):
            return services.message_send(
                actor=self.user,
                client_id=self.client_id,
                body=str(content.get("body") or ""),
                idempotency_key=key,
                entry_kind=str(content.get("entry_kind") or ""),
                entry_id=content.get("entry_id") or None,
            )

    async def _mark_read(self, seq: Any) -> None:
        try:
            await database_sync_to_async(services.thread_mark_read)(actor=self.user, client_id=self.client_id, seq=seq)
        except (ValidationError, PermissionDenied, Http404):
            await self.send_json({"type": "error", "key": "", "message": "Could not mark as read."})

    async def _push_new(self) -> None:
        try:
            frames = await database_sync_to_async(self._frames_after)(self.sent_seq)
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_REFUSED)  # access ended while the page was open
            return
        for frame in frames:
            if frame["seq"] > self.sent_seq:
                self.sent_seq = frame["seq"]
                await self.send_json(frame)

    def _frames_after(self, after: int) -> list[dict[str, Any]]:
        self._check_session()
        with translation.override(self.language):
            view = selectors.messages_after(actor=self.user, client_id=self.client_id, after_seq=after)
            return [
                {
                    "type": "message",
                    "seq": m.seq,
                    "id": str(m.id),
                    "mine": m.mine,
                    "html": render_to_string("messaging/_message.html", {"m": m, "view": view}),
                }
                for m in view.messages
            ]

    # Channel-layer events, pushed by the live-push task (alongside.notify.live.push_live)
    async def thread_message(self, event: dict[str, Any]) -> None:
        if int(event.get("seq", 0)) > self.sent_seq:
            await self._push_new()

    async def thread_read(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {"type": "read", "seq": int(event.get("seq", 0)), "by_client": bool(event.get("by_client"))}
        )
