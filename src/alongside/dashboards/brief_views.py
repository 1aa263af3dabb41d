"""The session brief page for staff. Thin: the brief is gathered (and audited) by :func:`brief.brief_for`."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.dashboards.brief import brief_for
from alongside.dashboards.contributions import brief_extra


@staff_required
@require_GET
def brief(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Show a client's one-page brief: what changed since their last session (care team only; 404 otherwise)."""
    data = brief_for(actor=signed_in(request.user), client_id=client_id)
    context = {
        "membership": membership,
        "practice": membership.practice,
        "brief": data,
        "client": data.client,
        "extra_sections": brief_extra(data.client, data.since, data.generated_at),
    }
    return render(request, "sessions/brief.html", context)


# Appended to the sessions namespace by alongside.urls.
urlpatterns = [
    path("clients/<uuid:client_id>/brief/", brief, name="brief"),
]
