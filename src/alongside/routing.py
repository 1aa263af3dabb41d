"""WebSocket routes. Each consumer checks access through alongside.access like any view."""

from __future__ import annotations

from typing import Any

from django.urls import path

from alongside.messaging.consumers import ThreadConsumer
from alongside.messaging.inbox_live import InboxConsumer
from alongside.notify.consumers import NotificationConsumer
from alongside.telehealth.consumers import RoomConsumer
from alongside.telehealth.group_consumers import GroupCallConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/messages/<uuid:client_id>/", ThreadConsumer.as_asgi()),
    path("ws/inbox/", InboxConsumer.as_asgi()),
    path("ws/telehealth/<uuid:appointment_id>/", RoomConsumer.as_asgi()),
    path("ws/telehealth/group/<uuid:group_id>/", GroupCallConsumer.as_asgi()),
]
