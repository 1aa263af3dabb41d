"""Template helpers for the staff measures pages and the staff navigation."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from alongside.core.formatting import fmt_number
from alongside.notify.selectors import unread_about_count
from alongside.safety.models import alert_topic

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_alert_count(context: dict[str, Any]) -> int:
    """Return the signed-in staff member's unread alert notices (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_client", False):
        return 0
    return unread_about_count(user=user, topic_prefix=alert_topic(""))


@register.filter
def score(value: float | None) -> str:
    """Show a score as published: whole numbers without a decimal point, others to one decimal."""
    if value is None:
        return "—"
    return fmt_number(value, 1)


@register.filter
def signed(value: float | None) -> str:
    """Show a change with its sign (a true minus sign for falls)."""
    if value is None:
        return "—"
    text = score(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return "0"


@register.filter
def instrument_name(code: str) -> str:
    """Return an instrument's short name (PHQ-9) from its code (phq9)."""
    from alongside.measures import library
    from alongside.safety.models import FLAG_ALERT_INSTRUMENT, MESSAGE_ALERT_INSTRUMENT

    if code == MESSAGE_ALERT_INSTRUMENT:
        return str(_("Crisis language in a message"))
    if code == FLAG_ALERT_INSTRUMENT:
        return str(_("Crisis language in other free text"))
    try:
        return library.get(code).short_name
    except KeyError:
        return code
