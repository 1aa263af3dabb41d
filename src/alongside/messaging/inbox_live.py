"""The live inbox: every open page of a person hears that their messages changed, with the unread count only.

A new message is announced to each recipient's own inbox group through the live-push task
(:func:`alongside.notify.live.live_push`). The socket then counts that person's unread messages through the
same selector as the navigation, so no name or text passes through the channel layer; the inbox page fetches
its own rows again, through the access-checked view.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from alongside.core.session_keys import SESSION_MFA_OK
from alongside.messaging.selectors import unread_total
from alongside.notify.live import live_push
from alongside.runtime import database_sync_to_async

CLOSE_UNAUTHENTICATED = 4401


def inbox_group(user_id: uuid.UUID | str) -> str:
    """The channel-layer group of one person's open pages, for inbox changes."""
    return f"inbox.{uuid.UUID(str(user_id)).hex}"


def inbox_changed(user_ids: Iterable[uuid.UUID | str]) -> None:
    """Tell each person's open pages that their messages changed (after commit; best effort, as every push)."""
    live_push([(inbox_group(user_id), {"type": "inbox.changed"}) for user_id in user_ids])


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """Join the person's inbox group; forward ``{type: "inbox", unread}``. Anonymous sockets close."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not self._second_factor_ok(user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group = inbox_group(user.pk)
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

    async def inbox_changed(self, event: dict[str, Any]) -> None:
        unread = await database_sync_to_async(unread_total)(self.user)
        await self.send_json({"type": "inbox", "unread": int(unread)})
