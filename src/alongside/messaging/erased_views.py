"""Pages for what stays of erased clients' conversations: a list and one conversation, read-only."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.messaging import erased


@staff_required
def erased_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = erased.erased_threads_for(actor=request.user, membership=membership)  # type: ignore[arg-type]
    return render(request, "messaging/erased_list.html", {"rows": rows})


@staff_required
def erased_thread(request: HttpRequest, membership: Membership, thread_id: uuid.UUID) -> HttpResponse:
    messages = erased.erased_thread_open(actor=request.user, membership=membership, thread_id=thread_id)  # type: ignore[arg-type]
    return render(request, "messaging/erased_thread.html", {"messages": messages})


urlpatterns: list[URLPattern] = [
    path("erased/", erased_list, name="erased_list"),
    path("erased/<uuid:thread_id>/", erased_thread, name="erased_thread"),
]
