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

from alongside.messaging.selectors import unread_total
from alongside.notify.consumers import PersonalConsumer
from alongside.notify.live import live_push
from alongside.runtime import database_sync_to_async


def inbox_group(user_id: uuid.UUID | str) -> str:
    """The channel-layer group of one person's open pages, for inbox changes."""
    return f"inbox.{uuid.UUID(str(user_id)).hex}"


def inbox_changed(user_ids: Iterable[uuid.UUID | str]) -> None:
    """Tell each person's open pages that their messages changed (after commit; best effort, as every push)."""
    live_push([(inbox_group(user_id), {"type": "inbox.changed"}) for user_id in user_ids])


class InboxConsumer(PersonalConsumer):
    """Join the person's inbox group; forward ``{type: "inbox", unread}``. Anonymous sockets close."""

    def group_for(self, user: Any) -> str:
        return inbox_group(user.pk)

    async def inbox_changed(self, event: dict[str, Any]) -> None:
        unread = await database_sync_to_async(unread_total)(self.user)
        await self.send_json({"type": "inbox", "unread": int(unread)})
