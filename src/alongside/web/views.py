"""The front door: send each person to their own home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control

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


@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that its scope is the whole site (see static web/sw.js)."""
    path = finders.find("web/sw.js")
    if not isinstance(path, str):
        raise Http404
    with open(path, encoding="utf-8") as handle:
        return HttpResponse(handle.read(), content_type="text/javascript; charset=utf-8")


def offline(request: HttpRequest) -> HttpResponse:
    """What the installed app shows for a page it has not kept when there is no connection."""
    return render(request, "web/offline.html")
