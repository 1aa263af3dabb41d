"""Self-care pages: the reading library. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.care import selectors as care_selectors
from alongside.care.views import client_required
from alongside.core.actor import signed_in
from alongside.selfcare import library
from alongside.selfcare.selectors.tools import modules_read
from alongside.selfcare.services.practice_tools import module_mark_read


def _module(slug: str) -> library.Module:
    try:
        return library.get(slug)
    except library.ModuleError:
        raise Http404("No such reading.") from None


@client_required
@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    client = care_selectors.own_client_profile(user=request.user)
    read = modules_read(actor=signed_in(request.user), client=client)
    items = [(module, read.get(module.slug)) for module in library.all_modules()]
    return render(request, "selfcare/learn/index.html", {"items": items})


@client_required
@require_GET
def module_page(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module(slug)
    client = care_selectors.own_client_profile(user=request.user)
    read_at = modules_read(actor=signed_in(request.user), client=client).get(slug)
    return render(request, "selfcare/learn/module.html", {"module": module, "read_at": read_at})


@client_required
@require_POST
def module_read(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module(slug)
    client = care_selectors.own_client_profile(user=request.user)
    try:
        module_mark_read(actor=signed_in(request.user), client=client, module=module.slug)
    except ValidationError:
        raise Http404("No such reading.") from None
    messages.success(request, _("Marked as read. Thank you."))
    return redirect("selfcare:module", slug=module.slug)


urlpatterns: list[URLPattern] = [
    path("learn/", learn_index, name="learn"),
    path("learn/<slug:slug>/", module_page, name="module"),
    path("learn/<slug:slug>/read/", module_read, name="module_read"),
]
