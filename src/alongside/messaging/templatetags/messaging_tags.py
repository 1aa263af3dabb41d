"""Template helpers: the unread-message count in the navigation."""

from __future__ import annotations

import logging
from typing import Any

from django import template

register = template.Library()
logger = logging.getLogger("alongside.messaging")


@register.simple_tag(takes_context=True)
def unread_message_count(context: dict[str, Any]) -> int:
    """Return the signed-in person's unread messages; 0 if it cannot be worked out (never breaks a page)."""
    from alongside.messaging.selectors import unread_total

    request = context.get("request")
    try:
        return unread_total(getattr(request, "user", None))
    except Exception:
        logger.exception("messaging: unread count failed")
        return 0
