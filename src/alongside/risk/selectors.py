"""Reads of the risk app, limited to the clinician's care team."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from alongside.access import care_team_clients
from alongside.risk.models import ClientRisk


def flagged_for(*, user: Any) -> list[ClientRisk]:
    """The stored warnings that are on, for the clients on ``user``'s care team, highest dropout risk first."""
    rows = ClientRisk.objects.filter(client__in=care_team_clients(user)).filter(
        Q(not_on_track=True) | Q(dropout_flag=True)
    )
    return list(rows.select_related("client", "reviewed_by").order_by("-not_on_track", "-dropout"))
