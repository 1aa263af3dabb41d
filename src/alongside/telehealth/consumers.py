"""Signalling for one appointment's video room: ``ws/telehealth/<appointment_id>/``.

The socket only relays what browsers need to find each other (SDP offers and answers,
ICE candidates) and a chat that is never stored; media flows peer to peer (DTLS-SRTP), or
through the practice's own TURN relay. Between the client and the clinician the clinician
always makes the offers, so the two never offer at once. A guest (an invited colleague, or an
outside interpreter holding a join link's cookie) makes the call a small full mesh: one peer
connection per pair that includes a guest, negotiated with "mesh" frames addressed to one
participant id and the perfect negotiation pattern (the polite side rolls back on glare).

Client -> server frames (JSON):
    {"type": "admit"}                       clinician: let the waiting client in
    {"type": "admit", "guest": link id}     clinician: let a waiting outside guest in
    {"type": "end"}                         clinician: end the call for everyone
    {"type": "connected"}                   either side: the peer connection is up
    {"type": "hello" | "ready" | "restart"} relayed: (re)start negotiation
    {"type": "signal", "data": {...}}       relayed: an SDP description or an ICE candidate
    {"type": "chat", "text": T}             relayed, never stored
    {"type": "media", "audio": b, "video": b} relayed: what the sender is sending
    {"type": "announce", "to"?, "reply"?}   relayed: I am in the call (mesh peers connect)
    {"type": "mesh", "to": pid, "data"}     relayed to one participant: SDP or ICE of a mesh pair
Server -> client frames:
    {"type": "welcome", "role", "pid", "admitted", "waiting", "ice": RTCConfiguration fields}
    {"type": "presence", "role", "pid", "state": "waiting" | "joined" | "left", guests: "guest_role", "name"}
    {"type": "admitted", "pid"?} · {"type": "ended"} · {"type": "replaced"} · {"type": "error", "message"}
    relayed frames, with "from": the sender's role and "pid": the sender's participant id
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
from alongside.telehealth.link_models import GuestLink
from alongside.telehealth.models import Role
from alongside.telehealth.services import guest_links
from alongside.telehealth.services.guests import live_guest as guests_live

logger = logging.getLogger("alongside.telehealth")

CLOSE_REFUSED = 4403
RELAYED = frozenset({"hello", "ready", "restart", "signal", "chat", "media", "announce", "mesh"})
MAX_FRAME = 64 * 1024  # an SDP with many candidates stays well under this
MAX_CHAT = 2000
# A guest takes part through the mesh frames; the client-clinician pair's own negotiation is not theirs.
GUEST_FRAMES = frozenset({"chat", "media", "announce", "mesh"})


def check_session(user: Any, session_key: str | None) -> None:
    """A socket lives only as long as its session (sign-out, expiry, staff timeout); also the group call's."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    data = store(session_key=session_key).load() if session_key else {}
    if str(data.get("_auth_user_id", "")) != str(user.pk):
        raise PermissionDenied("The session has ended.")
    if not getattr(user, "is_client", False):
        if not data.get(SESSION_MFA_OK):
            raise PermissionDenied("Staff need their second factor first.")
        if staff_session_expired(data, now=time.time(), last_activity=None):
            raise PermissionDenied("The session timed out.")


class BoundedJsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON socket that answers frames over :data:`MAX_FRAME` or in binary with an error frame, not a parse."""

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("Frames must be JSON text under 64 KiB.")
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)


def group_name(appointment_id: str) -> str:
    return "telehealth." + appointment_id.replace("-", "")


class RoomConsumer(BoundedJsonConsumer):
    """One person in one appointment's room: the client, or a clinician on the care team."""

    appointment_id: str
    group: str = ""
    role: str = ""
    admitted: bool = False
    replaced: bool = False
    link: GuestLink | None = None  # an outside guest's join link (no account)
    pid: str = ""  # this participant's id in the room: what mesh frames are addressed to
    identity: str = ""  # one person: a newer socket of the same identity replaces this one
    guest_role: str = ""
    name: str = ""

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.appointment_id = str(self.scope["url_route"]["kwargs"]["appointment_id"])
        try:
            welcome = await database_sync_to_async(self._join)()
        except (Http404, PermissionDenied, ValidationError, ValueError, guest_links.LinkRefused):
            await self.close(code=CLOSE_REFUSED)
            return
        self.group = group_name(self.appointment_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(welcome)
        await self._broadcast({"type": "room.presence", "state": "waiting" if self._waiting() else "joined"})

    def _waiting(self) -> bool:
        return self.role in (Role.CLIENT, Role.GUEST) and not self.admitted

    def _signed_in(self) -> bool:
        return self.user is not None and bool(getattr(self.user, "is_authenticated", False))

    def _join(self) -> dict[str, Any]:
        if not self._signed_in():
            return self._join_by_link()
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self._check_session()
        room, entry = services.room_join(actor=self.user, appointment_id=self.appointment_id)
        self.role = str(entry.role)
        self.identity = str(self.user.pk)
        self.pid = (
            {Role.CLIENT: "client", Role.CLINICIAN: "clinician"}.get(entry.role, "staff") + "-" + self.identity[:8]
        )
        # The client waits for admission; an invited colleague enters the call at once, as before.
        self.admitted = room.admitted_at is not None or self.role == Role.GUEST
        if self.role == Role.GUEST:
            self.name = str(getattr(self.user, "display_name", ""))
            invitation = guests_live(actor=self.user, appointment_id=self.appointment_id)
            self.guest_role = str(invitation.role) if invitation else ""
        return {
            "type": "welcome",
            "role": self.role,
            "pid": self.pid,
            "admitted": self.admitted,
            "waiting": room.client_waiting_since is not None,
            "connected": room.both_connected_at is not None,
            "ice": ice_config(user_id=str(self.user.pk)),
        }

    def _join_by_link(self) -> dict[str, Any]:
        """An outside guest: the browser holds the cookie its join link set on first use."""
        cookie = str((self.scope.get("cookies") or {}).get(guest_links.COOKIE, ""))
        if not cookie:
            raise PermissionDenied("Sign in first.")
        self.link = guest_links.link_for_cookie(appointment_id=self.appointment_id, cookie=cookie)
        guest_links.guest_link_presence(link=self.link, joined=True)
        self.role, self.guest_role, self.name = str(Role.GUEST), str(self.link.role), self.link.name
        self.identity = "link:" + str(self.link.pk)
        self.pid = "link-" + str(self.link.pk)[:8]
        self.admitted = self.link.admitted_at is not None
        return {
            "type": "welcome",
            "role": self.role,
            "pid": self.pid,
            "admitted": self.admitted,
            "waiting": False,
            "connected": False,
            "ice": ice_config(user_id="guest-" + str(self.link.pk)),
        }

    def _check_session(self) -> None:
        check_session(self.user, self.session_key)

    async def disconnect(self, code: int) -> None:
        if not self.group:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.replaced:
            return
        try:
            if self.link is not None:
                await database_sync_to_async(guest_links.guest_link_presence)(link=self.link, joined=False)
            else:
                await database_sync_to_async(services.room_leave)(actor=self.user, appointment_id=self.appointment_id)
        except (Http404, PermissionDenied, ValidationError):
            logger.info("telehealth: leave not recorded for a socket that lost access")
        await self._broadcast({"type": "room.presence", "state": "left"})

    async def _broadcast(self, event: dict[str, Any]) -> None:
        event["sender"] = self.channel_name
        event["user"] = self.identity
        if event["type"] == "room.presence":
            event.update(role=self.role, pid=self.pid, guest_role=self.guest_role, name=self.name)
            event["guest"] = str(self.link.pk) if self.link is not None else ""
        await self.channel_layer.group_send(self.group, event)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "admit" and content.get("guest") and self.role == Role.CLINICIAN:
            await self._admit_guest(str(content["guest"]))
        elif kind in ("admit", "end", "connected"):
            if self.link is not None:
                await self._error("Only the clinician can do this.")
                return
            await self._act(str(kind))
        elif kind in RELAYED:
            if self.role == Role.GUEST and kind not in GUEST_FRAMES:
                await self._error("Guests negotiate their own connections with mesh frames.")
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
        if self.role == Role.GUEST or kind in ("mesh", "announce"):
            frame["pid"] = self.pid  # the one-to-one pair's own frames stay as they were
        if self.role == Role.GUEST:
            frame.update(guest_role=self.guest_role, name=self.name)
        if kind in ("mesh", "announce") and isinstance(content.get("to"), str):
            frame["to"] = content["to"][:40]
        if kind == "mesh":
            frame["data"] = content.get("data") if isinstance(content.get("data"), dict) else {}
        elif kind == "announce":
            frame["reply"] = bool(content.get("reply"))
        elif kind == "signal":
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

    async def _admit_guest(self, link_id: str) -> None:
        try:
            link = await database_sync_to_async(self._checked)(guest_links.guest_link_admit, link_id=link_id)
        except (PermissionDenied, ValidationError, Http404, ValueError, guest_links.LinkRefused):
            await self._error("This guest cannot be let in.")
            return
        await self._broadcast({"type": "room.admitted", "pid": "link-" + str(link.pk)[:8]})

    def _checked(self, action: Any, **extra: Any) -> Any:
        self._check_session()
        return action(actor=self.user, appointment_id=self.appointment_id, **extra)

    # Channel-layer events
    async def room_presence(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        if event["user"] == self.identity and event["state"] != "left":
            # The same person opened the room again (another tab or device): the newest wins.
            self.replaced = True
            await self.send_json({"type": "replaced"})
            await self.close()
            return
        if self.link is not None and event["role"] == Role.CLIENT and event["state"] == "waiting":
            return  # an outside guest is not told who waits
        keys = ("role", "pid", "state", "guest_role", "name", "guest")
        frame = {key: event[key] for key in keys if event.get(key)}
        if self.role != Role.CLINICIAN:
            frame.pop("guest", None)  # only the clinician admits guests
        await self.send_json({"type": "presence", **frame})

    async def room_relay(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if event["sender"] == self.channel_name or self._waiting():
            return
        if frame.get("to") and frame["to"] != self.pid:
            return  # a mesh frame for another participant
        if self.role == Role.GUEST and frame["type"] not in GUEST_FRAMES:
            return  # the one-to-one call's negotiation is not the guest's: answering it would break the call
        await self.send_json(frame)

    async def room_admitted(self, event: dict[str, Any]) -> None:
        pid = event.get("pid")
        if pid:  # an outside guest was let in: they enter; the clinicians' pages update
            if pid == self.pid:
                self.admitted = True
                await self.send_json({"type": "admitted"})
            elif self.role == Role.CLINICIAN:
                await self.send_json({"type": "admitted", "pid": pid})
            return
        if self.role == Role.CLIENT:
            self.admitted = True
        if self.role != Role.GUEST:
            await self.send_json({"type": "admitted"})

    async def room_kick(self, event: dict[str, Any]) -> None:
        """A revoked join link: its guest leaves the call at once."""
        if self.link is not None and str(self.link.pk) == event.get("link"):
            await self.send_json({"type": "ended"})
            await self.close()

    async def room_ended(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "ended"})
        if event["sender"] != self.channel_name:
            await self.close()
