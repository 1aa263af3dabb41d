"""What safety adds to the composed pages: the client's crisis-language flags in the session brief."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from alongside.core import page_parts
from alongside.safety.models import SafetyFlag

BRIEF_DAYS = 30  # flags have no acknowledgement yet: the brief shows the last 30 days (at least since the last session)


def brief_section(client: Any, since: dt.datetime, now: dt.datetime) -> list[SafetyFlag] | None:
    """The client's flags (check-in notes, exercise entries, topics) since the earlier of ``since`` and 30 days ago."""
    start = min(since, now - dt.timedelta(days=BRIEF_DAYS))
    flags = list(SafetyFlag.objects.filter(client_id=client.pk, created_at__gte=start).order_by("-created_at"))
    return flags or None


def register() -> None:
    """Register the brief section (from SafetyConfig.ready)."""
    title: Any = gettext_lazy("Crisis language in check-ins, exercises and topics")
    page_parts.register_brief_section(
        page_parts.BriefSection("safety_flags", title, "safety/_brief_flags.html", brief_section)
    )
