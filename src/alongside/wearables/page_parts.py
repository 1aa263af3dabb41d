"""What the wearables app adds to the session brief and the caseload: sustained changes, never alerts, and
the patterns between mood and body data that pass the insight tests (see insights).

Both show only the streams (sleep, heart, activity) the client shares; the pages that show them already
limit the clients to the clinician's care team. Each costs a fixed number of queries, whatever the caseload.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.access import Action, client_and_grant_or_404
from alongside.care.models import ClientProfile
from alongside.consent.models import WEARABLE_SCOPES, Scope, ScopeGrant
from alongside.core import page_parts
from alongside.core.formatting import fmt_date
from alongside.wearables.baselines import Deviation
from alongside.wearables.metrics import Metric
from alongside.wearables.models import DailyFeature
from alongside.wearables.selectors import deviations
from alongside.wearables.streams import metrics_of

RECENT_DAYS = 28  # a change is shown while it ended within the last four weeks
_LOOKBACK = RECENT_DAYS + 31


def _sharing(client_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Return, per client sharing any wearable stream, the metrics of the streams they share."""
    granted = ScopeGrant.objects.filter(client_id__in=client_ids, scope__in=WEARABLE_SCOPES, granted=True)
    scopes: dict[uuid.UUID, set[str]] = defaultdict(set)
    for client_id, scope in granted.values_list("client_id", "scope"):
        scopes[client_id].add(scope)
    return {client_id: metrics_of(shared) for client_id, shared in scopes.items()}


def recent_changes(client_ids: Sequence[uuid.UUID], today: dt.date) -> dict[uuid.UUID, list[Deviation]]:
    """Return each sharing client's sustained deviations that ended in the last 28 days."""
    sharing = _sharing(client_ids)
    if not sharing:
        return {}
    rows = DailyFeature.objects.filter(client_id__in=sharing, day__gte=today - dt.timedelta(days=_LOOKBACK))
    by_client: dict[uuid.UUID, list[DailyFeature]] = defaultdict(list)
    for feature in rows.order_by("client_id", "day"):
        if feature.metric in sharing[feature.client_id]:
            by_client[feature.client_id].append(feature)
    since = today - dt.timedelta(days=RECENT_DAYS)
    found = {
        client: [run for run in deviations(features) if run.last >= since] for client, features in by_client.items()
    }
    return {client: runs for client, runs in found.items() if runs}


def describe(run: Deviation) -> str:
    """Say a change in words: 'Steps lower than usual on 4 days in a row (3 Mar to 6 Mar)'."""
    label = Metric(run.metric).label
    text = _("%(measure)s higher than usual") if run.direction > 0 else _("%(measure)s lower than usual")
    return _("%(change)s on %(days)s days in a row (%(first)s to %(last)s)") % {
        "change": text % {"measure": label},
        "days": run.days,
        "first": fmt_date(run.first, "day_month"),
        "last": fmt_date(run.last, "day_month"),
    }


def brief_section(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[str] | None:
    """The brief's 'Changes worth asking about' lines, or None to leave the section out."""
    runs = recent_changes([client.pk], now.date()).get(client.pk)
    return [describe(run) for run in runs] if runs else None


INSIGHT_DAYS = 180  # the brief tests the last six months, so a pattern it names is a current one
INSIGHT_LINES = 3


def brief_insights(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> dict[str, Any] | None:
    """The brief's mood patterns: only while the client shares mood and the stream compared with it."""
    from alongside.wearables import insights

    granted = set(
        ScopeGrant.objects.filter(
            client_id=client.pk, granted=True, scope__in=[Scope.MOOD, *WEARABLE_SCOPES]
        ).values_list("scope", flat=True)
    )
    visible = metrics_of(granted) & set(insights.TESTED)
    if Scope.MOOD not in granted or not visible:
        return None
    moods = insights.daily_mood(client.pk)
    if len(moods) < insights.MIN_PAIRED_DAYS:
        return None
    rows = DailyFeature.objects.filter(
        client=client, metric__in=visible, day__gte=now.date() - dt.timedelta(days=INSIGHT_DAYS)
    ).values_list("day", "metric", "value")
    found = insights.mood_insights(rows, moods)
    if not found:
        return None
    return {
        "lines": [insights.say(insight, to_clinician=True) for insight in found[:INSIGHT_LINES]],
        "caution": insights.CAUTION_CLINICIAN,
        "days": INSIGHT_DAYS,
    }


def caseload_values(clients: Sequence[ClientProfile], now: dt.datetime) -> Mapping[uuid.UUID, str]:
    """The caseload cell: the measures with a recent sustained change, e.g. 'Steps lower, Sleep (minutes) lower'."""
    changes = recent_changes([client.pk for client in clients], now.date())
    cells: dict[uuid.UUID, str] = {}
    for client, runs in changes.items():
        named = {f"{Metric(run.metric).label} {_('higher') if run.direction > 0 else _('lower')}": None for run in runs}
        cells[client] = ", ".join(named)
    return cells


def shares_body_data(user: Any, client_id: uuid.UUID | str) -> bool:
    """Whether ``user`` is on the client's care team and the client shares any wearables stream with it
    (the client record's "Body data" tab shows then)."""
    try:
        _client, grant = client_and_grant_or_404(user, client_id, Action.VIEW_CLINICAL)
    except Http404:
        return False
    return any(scope in grant.scopes for scope in WEARABLE_SCOPES)


def register() -> None:
    """Register the brief section and the caseload column (from WearablesConfig.ready)."""
    title: Any = gettext_lazy("Body data: changes worth asking about")
    page_parts.register_brief_section(
        page_parts.BriefSection("wearables_changes", title, "wearables/_brief_changes.html", brief_section)
    )
    patterns: Any = gettext_lazy("Body data and mood: patterns worth asking about")
    page_parts.register_brief_section(
        page_parts.BriefSection("wearables_insights", patterns, "wearables/_brief_insights.html", brief_insights)
    )
    page_parts.register_caseload_column(
        page_parts.CaseloadColumn("wearables_changes", gettext_lazy("Body data changes"), caseload_values)
    )
