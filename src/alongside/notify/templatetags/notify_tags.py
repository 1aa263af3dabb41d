"""Template helpers for the notification bell in both layouts."""

from __future__ import annotations

from typing import Any

from django import template

from alongside.notify.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context: dict[str, Any]) -> int:
    """Return the signed-in person's unread notifications (one query)."""
    request = context.get("request")
    return unread_count(user=getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def notify_live_available(context: dict[str, Any]) -> bool:
    """Whether this page is served over ASGI, so its WebSocket route exists (under WSGI it does not)."""
    return hasattr(context.get("request"), "scope")
