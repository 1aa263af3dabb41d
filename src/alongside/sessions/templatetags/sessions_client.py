"""The client's next session on their home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from alongside.sessions import selectors

register = template.Library()


@register.inclusion_tag("sessions/_next_session.html", takes_context=True)
def next_session_card(context: dict[str, Any]) -> dict[str, Any]:
    """Show the signed-in client their next scheduled session, in their own time zone."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_client", False):
        return {"next_session": None}
    profile = getattr(user, "client_profile", None)
    if profile is None:
        return {"next_session": None}
    return {
        "next_session": selectors.next_session(client=profile, after=timezone.now()),
        "zone": profile.time_zone or "UTC",
    }
