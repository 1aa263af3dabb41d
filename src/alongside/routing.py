"""WebSocket routes. Each consumer checks access through alongside.access like any view."""

from __future__ import annotations

from typing import Any

websocket_urlpatterns: list[Any] = []
