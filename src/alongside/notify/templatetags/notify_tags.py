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
