"""Signalling for one appointment's video room: ``ws/telehealth/<appointment_id>/``.

The socket only relays what two browsers need to find each other (SDP offers and answers,
ICE candidates) and a chat that is never stored; media flows peer to peer (DTLS-SRTP), or
through the practice's own TURN relay. The clinician is always the one who makes offers,
so the two sides never offer at once.

Client -> server frames (JSON):
    {"type": "admit"}                       clinician: let the waiting client in
    {"type": "end"}                         clinician: end the call for everyone
    {"type": "connected"}                   either side: the peer connection is up
    {"type": "hello" | "ready" | "restart"} relayed: (re)start negotiation
    {"type": "signal", "data": {...}}       relayed: an SDP description or an ICE candidate
    {"type": "chat", "text": T}             relayed, never stored
    {"type": "media", "audio": b, "video": b} relayed: what the sender is sending
Server -> client frames:
    {"type": "welcome", "role", "admitted", "waiting", "ice": RTCConfiguration fields}
    {"type": "presence", "role", "state": "waiting" | "joined" | "left"}
    {"type": "admitted"} · {"type": "ended"} · {"type": "replaced"} · {"type": "error", "message"}
    relayed frames, with "from": the sender's role
"""

from __future__ import annotations

import logging
import time
from importlib import import_module
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alongside.accounts.middleware import SESSION_MFA_OK, staff_session_expired
from alongside.runtime import database_sync_to_async  # closes the connections each call opens (issue #19)
from alongside.telehealth import services
from alongside.telehealth.ice import ice_config
from alongside.telehealth.models import Role

logger = logging.getLogger("alongside.telehealth")

CLOSE_REFUSED = 4403
RELAYED = frozenset({"hello", "ready", "restart", "signal", "chat", "media"})
MAX_FRAME = 64 * 1024  # an SDP with many candidates stays well under this
MAX_CHAT = 2000
GUEST_FRAMES = frozenset({"chat", "media"})  # an invited guest joins the room's chat and presence, not the media


def group_name(appointment_id: str) -> str:
    return "telehealth." + appointment_id.replace("-", "")


class RoomConsumer(AsyncJsonWebsocketConsumer):
    """One person in one appointment's room: the client, or a clinician on the care team."""

    appointment_id: str
    group: str = ""
    role: str = ""
    admitted: bool = False
    replaced: bool = False

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.appointment_id = str(self.scope["url_route"]["kwargs"]["appointment_id"])
        try:
            welcome = await database_sync_to_async(self._join)()
        except (Http404, PermissionDenied, ValidationError, ValueError):
            await self.close(code=CLOSE_REFUSED)
            return
        self.group = group_name(self.appointment_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(welcome)
        await self._broadcast(
            {"type": "room.presence", "role": self.role, "state": "waiting" if self._waiting() else "joined"}
        )

    def _waiting(self) -> bool:
        return self.role == Role.CLIENT and not self.admitted

    def _join(self) -> dict[str, Any]:
        if self.user is None or not getattr(self.user, "is_authenticated", False):
            raise PermissionDenied("Sign in first.")
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self._check_session()
        room, entry = services.room_join(actor=self.user, appointment_id=self.appointment_id)
        self.role = str(entry.role)
        self.admitted = room.admitted_at is not None
        return {
            "type": "welcome",
            "role": self.role,
            "admitted": self.admitted,
            "waiting": room.client_waiting_since is not None,
            "connected": room.both_connected_at is not None,
            "ice": ice_config(user_id=str(self.user.pk)),
        }

    def _check_session(self) -> None:
        """The socket lives only as long as the session (sign-out, expiry, staff timeout)."""
        store = import_module(settings.SESSION_ENGINE).SessionStore
        data = store(session_key=self.session_key).load() if self.session_key else {}
        if str(data.get("_auth_user_id", "")) != str(self.user.pk):
            raise PermissionDenied("The session has ended.")
        if not getattr(self.user, "is_client", False):
            if not data.get(SESSION_MFA_OK):
                raise PermissionDenied("Staff need their second factor first.")
            if staff_session_expired(data, now=time.time(), last_activity=None):
                raise PermissionDenied("The session timed out.")

    async def disconnect(self, code: int) -> None:
        if not self.group:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.replaced:
            return
        try:
            await database_sync_to_async(services.room_leave)(actor=self.user, appointment_id=self.appointment_id)
        except (Http404, PermissionDenied, ValidationError):
            logger.info("telehealth: leave not recorded for a socket that lost access")
        await self._broadcast({"type": "room.presence", "role": self.role, "state": "left"})

    async def _broadcast(self, event: dict[str, Any]) -> None:
        event["sender"] = self.channel_name
        event["user"] = str(self.user.pk)
        await self.channel_layer.group_send(self.group, event)

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("Frames must be JSON text under 64 KiB.")
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind in ("admit", "end", "connected"):
            await self._act(str(kind))
        elif kind in RELAYED:
            if self.role == Role.GUEST and kind not in GUEST_FRAMES:
                await self._error("Guests take part by chat; video between three people is not supported yet.")
                return
            if self._waiting():
                await self._error("Wait until the clinician lets you in.")
                return
            frame = {"type": "room.relay", "frame": self._clean(content)}
            await self._broadcast(frame)
        else:
            await self._error("Unknown frame type.")

    def _clean(self, content: dict[str, Any]) -> dict[str, Any]:
        kind = content["type"]
        frame: dict[str, Any] = {"type": kind, "from": self.role}
        if kind == "signal":
            frame["data"] = content.get("data") if isinstance(content.get("data"), dict) else {}
        elif kind == "chat":
            frame["text"] = str(content.get("text") or "")[:MAX_CHAT]
        elif kind in ("hello", "ready"):
            frame["fresh"] = bool(content.get("fresh"))
        elif kind == "media":
            frame["audio"] = bool(content.get("audio"))
            frame["video"] = bool(content.get("video"))
        return frame

    async def _act(self, kind: str) -> None:
        action = {"admit": services.room_admit, "end": services.room_end, "connected": services.room_connected}[kind]
        try:
            await database_sync_to_async(self._checked)(action)
        except PermissionDenied as error:
            await self._error(str(error) or "Not allowed.")
            return
        except ValidationError as error:
            await self._error(" ".join(error.messages))
            return
        except Http404:
            await self.close(code=CLOSE_REFUSED)
            return
        if kind == "admit":
            await self._broadcast({"type": "room.admitted"})
        elif kind == "end":
            await self._broadcast({"type": "room.ended"})

    def _checked(self, action: Any) -> Any:
        self._check_session()
        return action(actor=self.user, appointment_id=self.appointment_id)

    # Channel-layer events
    async def room_presence(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        if event["user"] == str(self.user.pk) and event["state"] != "left":
            # The same person opened the room again (another tab or device): the newest wins.
            self.replaced = True
            await self.send_json({"type": "replaced"})
            await self.close()
            return
        await self.send_json({"type": "presence", "role": event["role"], "state": event["state"]})

    async def room_relay(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name or self._waiting():
            return
        if self.role == Role.GUEST and event["frame"]["type"] not in GUEST_FRAMES:
            return  # the one-to-one call's negotiation is not the guest's: answering it would break the call
        await self.send_json(event["frame"])

    async def room_admitted(self, event: dict[str, Any]) -> None:
        if self.role == Role.CLIENT:
            self.admitted = True
        await self.send_json({"type": "admitted"})

    async def room_ended(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "ended"})
        if event["sender"] != self.channel_name:
            await self.close()
