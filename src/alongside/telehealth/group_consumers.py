"""Signalling for one group session's call: ``ws/telehealth/group/<group_id>/``.

Media goes through Janus; this socket carries the waiting room, the Janus keys and an unstored chat.
Invited clients and staff guests wait until the clinician lets them in; only then is their Janus
token (tied to this group's room) sent to them. The chat is relayed to the admitted pages and never
written to the database or to a log.

Client -> server frames (JSON):
    {"type": "admit", "user": id} · {"type": "admit_all"}   clinician: let one or everyone waiting in
    {"type": "remove", "user": id}                          clinician: send someone out of the call
    {"type": "end"}                                         clinician: end the call for everyone
    {"type": "connected", "up": b}                          my Janus connection is up (or down)
    {"type": "ticket"}                                      admitted: fresh Janus keys (after a drop)
    {"type": "chat", "text": T}                             admitted: relayed, never stored
Server -> client frames:
    {"type": "welcome", "role", "user", "admitted"} · {"type": "ticket", "config"}
    {"type": "presence", "user", "name", "role", "state": "waiting" | "joined" | "left"} (to the clinician)
    {"type": "removed"} · {"type": "ended"} · {"type": "replaced"} · {"type": "chat", "name", "text"}
    {"type": "error", "message"}
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alongside.runtime import database_sync_to_async
from alongside.telehealth import groups, janus
from alongside.telehealth.consumers import CLOSE_REFUSED, MAX_CHAT, BoundedJsonConsumer, check_session
from alongside.telehealth.group_call_models import GroupPresence
from alongside.telehealth.models import Role
from alongside.telehealth.services import group_calls
from alongside.telehealth.services import groups as group_services

logger = logging.getLogger("alongside.telehealth")
REFUSED = (Http404, PermissionDenied, ValidationError, ValueError)


def channel_group(group_id: str) -> str:
    return "telehealth.group." + group_id.replace("-", "")


class GroupCallConsumer(BoundedJsonConsumer):
    """One person's page in one group's call."""

    group_id: str
    channel: str = ""
    role: str = ""
    identity: str = ""
    name: str = ""
    admitted: bool = False
    replaced: bool = False

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.group_id = str(self.scope["url_route"]["kwargs"]["group_id"])
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        try:
            await database_sync_to_async(self._enter)()
        except REFUSED:
            await self.close(code=CLOSE_REFUSED)
            return
        self.channel = channel_group(self.group_id)
        await self.channel_layer.group_add(self.channel, self.channel_name)
        await self.accept()
        await self.send_json({"type": "welcome", "role": self.role, "user": self.identity, "admitted": self.admitted})
        if self.role == Role.CLINICIAN:
            for person in await database_sync_to_async(self._people)():
                await self.send_json({"type": "presence", **person})
        await self._broadcast("group.presence", state="joined" if self.admitted else "waiting")
        if self.admitted:
            await self._send_ticket()

    def _enter(self) -> None:
        if self.user is None or not getattr(self.user, "is_authenticated", False):
            raise PermissionDenied("Sign in first.")
        check_session(self.user, self.session_key)
        presence = group_calls.group_call_enter(actor=self.user, group_id=self.group_id)
        entry = groups.group_access(actor=self.user, group_id=self.group_id)
        self.role, self.name, self.identity = str(entry.role), entry.display_name, str(self.user.pk)
        self.admitted = presence.admitted_at is not None

    def _people(self) -> list[dict[str, str]]:
        """Who is waiting or in the call now, for a clinician's page that (re)connects."""

        rows = (
            GroupPresence.objects.filter(group_id=uuid.UUID(self.group_id))
            .exclude(user=self.user)
            .select_related("user")
        )
        people = []
        for row in rows:
            state = "joined" if row.admitted_at and row.in_call else "waiting" if row.waiting_since else ""
            if state:
                name = self._name_of(row)
                people.append({"user": str(row.user_id), "name": name, "role": row.role, "state": state})
        return people

    @staticmethod
    def _name_of(row: Any) -> str:
        if row.role == Role.CLIENT:
            profile = getattr(row.user, "client_profile", None)
            return str(getattr(profile, "preferred_name", "") or "")
        return str(getattr(row.user, "display_name", ""))

    async def disconnect(self, code: int) -> None:
        if not self.channel:
            return
        await self.channel_layer.group_discard(self.channel, self.channel_name)
        if self.replaced:
            return
        try:
            await database_sync_to_async(group_calls.group_call_leave)(actor=self.user, group_id=self.group_id)
        except REFUSED:
            logger.info("telehealth: group leave not recorded for a socket that lost access")
        await self._broadcast("group.presence", state="left")

    async def _broadcast(self, kind: str, **event: Any) -> None:
        event.update(type=kind, sender=self.channel_name, user=self.identity, name=self.name, role=self.role)
        await self.channel_layer.group_send(self.channel, event)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind in ("admit", "admit_all", "remove", "end"):
                await self._clinician_action(str(kind), str(content.get("user") or ""))
            elif kind == "connected":
                await self._checked(group_calls.group_call_connected, up=bool(content.get("up")))
            elif kind == "ticket" and self.admitted:
                await self._send_ticket()
            elif kind == "chat" and self.admitted:
                text = str(content.get("text") or "")[:MAX_CHAT]
                if text.strip():
                    await self._broadcast("group.chat", text=text)  # relayed only: never stored, never logged
            else:
                await self._error("Unknown frame type, or wait until the clinician lets you in.")
        except PermissionDenied as error:
            await self._error(str(error) or "Not allowed.")
        except ValidationError as error:
            await self._error(" ".join(error.messages))
        except Http404:
            await self.close(code=CLOSE_REFUSED)

    async def _checked(self, action: Any, **extra: Any) -> Any:
        def run() -> Any:
            check_session(self.user, self.session_key)
            return action(actor=self.user, group_id=self.group_id, **extra)

        return await database_sync_to_async(run)()

    async def _clinician_action(self, kind: str, user: str) -> None:
        if self.role != Role.CLINICIAN:
            raise PermissionDenied("Only the clinician who runs the group can do this.")
        if kind == "end":
            await self._checked(group_services.group_room_close)
            await self._broadcast("group.ended")
        elif kind == "remove":
            try:
                await self._checked(group_calls.group_call_remove, user_id=user)
            except janus.JanusError:
                await self._error("The video service is not reachable.")
            await self._broadcast("group.removed", target=user)
        else:
            wanted = await database_sync_to_async(self._waiting_ids)() if kind == "admit_all" else [user]
            let_in = await self._checked(group_calls.group_call_admit, user_ids=wanted)
            if let_in:
                await self._broadcast("group.admitted", targets=let_in)

    def _waiting_ids(self) -> list[str]:

        rows = GroupPresence.objects.filter(
            group_id=uuid.UUID(self.group_id), admitted_at__isnull=True, waiting_since__isnull=False
        )
        return [str(u) for u in rows.values_list("user_id", flat=True)]

    async def _send_ticket(self) -> None:
        try:
            ticket = await self._checked(group_services.group_join)
        except janus.JanusError:
            await self._error("The video service is not reachable.")
            return
        await self.send_json({"type": "ticket", "config": ticket.config})

    # Channel-layer events
    async def group_presence(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        if event["user"] == self.identity and event["state"] != "left":
            self.replaced = True  # the same person opened the call again (another tab or device): the newest wins
            await self.send_json({"type": "replaced"})
            await self.close()
            return
        if self.role == Role.CLINICIAN:
            keys = ("user", "name", "role", "state")
            await self.send_json({"type": "presence", **{key: event[key] for key in keys}})

    async def group_admitted(self, event: dict[str, Any]) -> None:
        if self.identity in event["targets"]:
            self.admitted = True
            await self.send_json({"type": "admitted"})
            await self._send_ticket()
        elif self.role == Role.CLINICIAN:
            for target in event["targets"]:
                await self.send_json({"type": "presence", "user": target, "state": "admitted"})

    async def group_removed(self, event: dict[str, Any]) -> None:
        if event["target"] == self.identity:
            self.admitted = False
            await self.send_json({"type": "removed"})
            await self.close()
        elif self.role == Role.CLINICIAN:
            await self.send_json({"type": "presence", "user": event["target"], "state": "left"})

    async def group_chat(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name and self.admitted:
            await self.send_json({"type": "chat", "name": event["name"], "text": event["text"]})

    async def group_ended(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "ended"})
        if event["sender"] != self.channel_name:
            await self.close()
