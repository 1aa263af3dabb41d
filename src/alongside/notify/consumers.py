"""Live notifications: each signed-in person's pages hear of new notices for them (kind and unread count only)."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from alongside.core.session_keys import SESSION_MFA_OK
from alongside.notify.services import group_name

CLOSE_UNAUTHENTICATED = 4401


class PersonalConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    """A signed-in person's own listening socket: it joins :meth:`group_for` the person and sends nothing back.

    Anonymous sockets close, and so do staff whose session has not passed the second factor. Subclasses
    name the group and handle its events (the notification badge here, the live inbox in messaging).
    """

    group: str | None = None
    user: Any = None

    def group_for(self, user: Any) -> str:
        raise NotImplementedError

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not self._second_factor_ok(user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group = self.group_for(user)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    def _second_factor_ok(self, user: Any) -> bool:
        """Staff hear nothing until their session has passed the second factor, as for pages."""
        if getattr(user, "is_client", False):
            return True
        session = self.scope.get("session")
        return bool(session is not None and session.get(SESSION_MFA_OK))

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The socket only listens; anything sent to it is ignored."""


class NotificationConsumer(PersonalConsumer):
    """Join the person's own group; forward ``{type: "notification", kind, unread}``. Anonymous sockets close."""

    def group_for(self, user: Any) -> str:
        return group_name(user.pk)

    async def notify_event(self, event: dict[str, Any]) -> None:
        kind, unread = str(event.get("kind", "")), int(event.get("count", 0))
        await self.send_json({"type": "notification", "kind": kind, "unread": unread})
