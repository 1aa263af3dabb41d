"""Pages of the risk app: everyone flagged on the clinician's care team (with "reviewed"), and the model cards."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from alongside.access import Action, client_or_404
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.risk.page_parts import explain, headline
from alongside.risk.selectors import flagged_for
from alongside.risk.services import client_risk_review

app_name = "risk"


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


@staff_required
@require_GET
def flagged(request: HttpRequest, membership: Any) -> HttpResponse:
    rows = [
        {"risk": risk, "headline": headline(risk), "why": explain(risk), "form": ReviewForm(prefix=str(risk.client_id))}
        for risk in flagged_for(user=request.user)
    ]
    from alongside.risk.active import models_in_use

    in_use = models_in_use(membership.practice_id)
    context = {"rows": rows, "in_use": in_use, **_rate_context(request.user)}
    return render(request, "risk/flagged.html", context)


def _rate_context(user: Any) -> dict[str, Any]:
    """The flag rate over the last weeks, as a chart and its table."""
    from alongside.measures.charts.rate import rate_chart, rate_table
    from alongside.risk.flag_rate import flag_rate

    shares = flag_rate(user=user, now=timezone.now())
    if not any(share.total for share in shares):
        return {"rate_chart": None}
    title = _("Share of your clients in care with a warning, by week")
    return {
        "rate_chart": rate_chart(shares, title=str(title), what=str(_("clients with a warning"))),
        "rate_table": rate_table(
            shares,
            caption=str(title),
            count_heading=str(_("With a warning")),
            total_heading=str(_("Clients in care")),
        ),
    }


@staff_required
@require_POST
def review(request: HttpRequest, membership: Any, client_id: uuid.UUID) -> HttpResponse:
    client = client_or_404(request.user, client_id, Action.CARE_TEAM)
    form = ReviewForm(request.POST, prefix=str(client.pk))
    if form.is_valid():
        try:
            client_risk_review(
                actor=signed_in(request.user), client=client, note=form.cleaned_data["note"], now=timezone.now()
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect("risk:flagged")


@staff_required
@require_GET
def model_cards(request: HttpRequest, membership: Any) -> HttpResponse:
    from alongside.risk.active import models_in_use
    from alongside.risk.models import ModelSource, PracticeModel

    in_use = models_in_use(membership.practice_id)
    own = {row.kind: row for row in PracticeModel.objects.filter(practice_id=membership.practice_id, active=True)}
    latest = PracticeModel.objects.filter(practice_id=membership.practice_id).order_by("-fitted_at").first()
    cards = [
        {
            "name": name,
            "model": getattr(in_use, name),
            "evaluation": in_use.evaluations[name],
            "card": own[name].card if in_use.source == ModelSource.PRACTICE and name in own else "",
        }
        for name in ("not_on_track", "dropout")
    ]
    context = {
        "cards": cards,
        "practice_fitted": in_use.source == ModelSource.PRACTICE,
        "fitted_at": in_use.fitted_at,
        "latest_failed": latest is not None and not latest.active and not latest.evaluation.get("passed"),
        "latest": latest,
    }
    return render(request, "risk/model_cards.html", context)


urlpatterns = [
    path("", flagged, name="flagged"),
    path("<uuid:client_id>/review/", review, name="review"),
    path("models/", model_cards, name="model_cards"),
]
