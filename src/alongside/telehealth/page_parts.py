"""What video sessions add to the shell: a "Video sessions" link for both sides, a Join card on the client's home
(for their one-to-one sessions and group sessions whose room is open)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from alongside.care.models import ClientProfile
from alongside.core import page_parts
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth import groups
from alongside.telehealth.selectors import CLIENT_EARLY, LATE


def _joinable(user: Any, now: dt.datetime) -> Any:
    """The user's scheduled sessions whose room is open now (a client's own, or a clinician's)."""
    rows = Appointment.objects.filter(
        status=AppointmentStatus.SCHEDULED,
        starts_at__lte=now + CLIENT_EARLY,
        starts_at__gte=now - dt.timedelta(minutes=8 * 60) - LATE,  # the longest session, plus the grace
    )
    rows = rows.filter(client__user=user) if getattr(user, "is_client", False) else rows.filter(clinician=user)
    return [a for a in rows.select_related("clinician").order_by("starts_at") if now < a.ends_at + LATE]


def _home_card(request: HttpRequest, client: ClientProfile) -> Any:
    """The client's sessions and group sessions they may join now (None hides the card)."""
    now = timezone.now()
    sessions = _joinable(request.user, now)
    rows = groups.groups_for(actor=request.user, now=now)  # type: ignore[arg-type]
    open_ids = groups.groups_open_now(actor=request.user, rows=rows, now=now)  # type: ignore[arg-type]
    group_rows = [g for g in rows if g.pk in open_ids]
    return {"sessions": sessions, "groups": group_rows} if sessions or group_rows else None


def register() -> None:
    page_parts.register_home_card(
        page_parts.HomeCard(
            key="telehealth", template="telehealth/_home_card.html", build=_home_card, place="tasks", framed=False
        )
    )
    for audience in ("client", "staff"):
        page_parts.register_badge(
            page_parts.Badge(
                key=f"telehealth-{audience}",
                label=gettext_lazy("Video sessions"),
                url_name="telehealth:list",
                audience=audience,
                count=lambda user: len(_joinable(user, timezone.now())),
            )
        )
