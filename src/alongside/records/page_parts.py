"""What clinical records add to composed pages: the treatment plan in the session brief, a plan-review reminder."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.care.models import ClientProfile
from alongside.core import page_parts
from alongside.core.formatting import fmt_date
from alongside.records.models import Disclosure, DisclosureStatus, PlanReview, TreatmentPlan
from alongside.records.selectors import plan_for_brief


def _brief(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Any:
    return plan_for_brief(client)


def reviews_due(clients: Sequence[ClientProfile], now: dt.datetime) -> Mapping[uuid.UUID, str]:
    """Clients whose current treatment plan is due for review (by its date or its last review's next date)."""
    ids = [c.pk for c in clients]
    latest = TreatmentPlan.objects.filter(client=OuterRef("client")).order_by("-version").values("pk")[:1]
    plans = list(
        TreatmentPlan.objects.filter(client_id__in=ids, pk=Subquery(latest)).values_list("pk", "client_id", "review_on")
    )
    reviews = PlanReview.objects.filter(plan_id__in=[p[0] for p in plans]).order_by("reviewed_at")
    next_dates = dict(reviews.values_list("plan_id", "next_review_on"))  # the last review of each plan wins
    today = now.date()
    due: dict[uuid.UUID, str] = {}
    for plan_id, client_id, review_on in plans:
        on = next_dates.get(plan_id, review_on)
        if on <= today:
            due[client_id] = _("Treatment plan review was due on %(date)s.") % {"date": fmt_date(on)}
    return due


def _disclosure_card(request: HttpRequest, client: ClientProfile) -> Any:
    """The client's disclosure register, with the requests waiting for a signature (shown once there is any)."""
    if request.user.pk != client.pk:
        return None
    statuses = list(Disclosure.objects.filter(client=client).values_list("status", flat=True))
    if not statuses:
        return None
    return {"pending": statuses.count(DisclosureStatus.REQUESTED)}


def register() -> None:
    """Register the brief section and the attention reason (from RecordsConfig.ready)."""
    page_parts.register_brief_section(
        page_parts.BriefSection("records_plan", gettext_lazy("Treatment plan"), "records/_brief.html", _brief)
    )
    page_parts.register_home_card(
        page_parts.HomeCard(key="records_disclosures", template="records/_home_card.html", build=_disclosure_card)
    )
    page_parts.register_attention_reason(
        page_parts.AttentionReason("records_plan_review", gettext_lazy("Plan review due"), reviews_due, rank=200)
    )
