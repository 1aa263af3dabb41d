"""Reads of the safety app: the crisis-language flags a staff member's alert list shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside import access
from alongside.audit.log import Entry, record_many
from alongside.safety.models import SafetyAuditAction, SafetyFlag

LIST_DAYS = 14  # flags have no acknowledgement yet, so the list shows the recent ones


def recent_flags_for(*, user: Any, now: dt.datetime | None = None) -> list[SafetyFlag]:
    """Flags without a critical alert on the free text of the staff member's care-team clients, last 14 days.

    Check-in notes, exercise entries and topics raise flags rather than measures alerts; this
    puts them in the same alert list. Urgent first, then newest. The read is audited per client.
    """
    if user is None or not user.is_authenticated or getattr(user, "is_client", False):
        return []
    since = (now or timezone.now()) - dt.timedelta(days=LIST_DAYS)
    flags = list(
        SafetyFlag.objects.filter(client__in=access.care_team_clients(user).values("pk"), created_at__gte=since)
        # A flag with a critical alert (urgent) is listed with the alerts, to be acknowledged there:
        # listing it here too showed the same text twice.
        .filter(alert__isnull=True)
        .select_related("client")
        .order_by("-created_at")
    )
    flags.sort(key=lambda f: f.level != "urgent")  # stable: urgent first, each group newest first
    if flags:
        entries = [Entry(action=SafetyAuditAction.FLAGS_LISTED, client_id=c) for c in {f.client_id for f in flags}]
        record_many(entries, actor=user)
    return flags
