"""The front door: send each person to their own home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from alongside.care import selectors
from alongside.consent.selectors import current_document, scopes_for
from alongside.dashboards.contributions import home_extra
from alongside.selfcare.selectors import checkin_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send staff to their caseload and show clients their own home page."""
    if not getattr(request.user, "is_client", False):
        return redirect("care:caseload")
    client = selectors.own_client_profile(user=request.user)
    shared = [scope for scope, granted in scopes_for(client_id=client.pk).items() if granted]
    document = current_document(practice_id=client.practice_id)
    cards = home_extra(request, client)  # what the apps registered (measures: the questionnaires due)
    return render(
        request,
        "web/client_home.html",
        {
            "client": client,
            "preferred_name": client.preferred_name,
            "shared_count": len(shared),
            "practice_name": client.practice.name,
            "document": document,
            "checkin_days": checkin_summary(user=request.user),
            "task_cards": [card for card in cards if card.place == "tasks"],
            "home_cards": [card for card in cards if card.place != "tasks"],
        },
    )
