"""Display modes (discreet, low-bandwidth, large text, paper), the paper pack PDF, and the discreet mode's exits."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.applibrary import paper, selectors, services
from alongside.applibrary.models import ClientModes
from alongside.care.models import ClientProfile, Membership
from alongside.care.views import client_required, staff_required
from alongside.core.actor import signed_in


class ModesForm(forms.Form):
    discreet = forms.BooleanField(
        label=gettext_lazy("Discreet mode"),
        required=False,
        help_text=gettext_lazy("A plain name and icon, no health words in the page title, and a quick exit button."),
    )
    low_bandwidth = forms.BooleanField(
        label=gettext_lazy("Low-bandwidth mode"),
        required=False,
        help_text=gettext_lazy("Charts and pictures only when you ask for them; lighter pages."),
    )
    large_text = forms.BooleanField(label=gettext_lazy("Large text"), required=False)
    paper_pack = forms.BooleanField(
        label=gettext_lazy("Paper pack"),
        required=False,
        help_text=gettext_lazy("A sheet to print for check-ins and exercises, for days without a device."),
    )


def _initial(modes: ClientModes | None) -> dict[str, bool]:
    names = ("discreet", "low_bandwidth", "large_text", "paper_pack")
    return {name: bool(modes and getattr(modes, name)) for name in names}


@client_required
@require_http_methods(["GET", "POST"])
def own_modes(request: HttpRequest) -> HttpResponse:
    client, modes = selectors.modes_for(actor=signed_in(request.user), client_id=str(request.user.pk))
    _client, check = selectors.latest_readiness(actor=signed_in(request.user), client_id=client.pk)
    form = ModesForm(request.POST or None, initial=_initial(modes))
    if request.method == "POST":
        if "apply_check" in request.POST and check is not None:
            services.modes_apply_check(actor=signed_in(request.user), client=client, check_id=check.pk)
            messages.success(request, _("The suggested set-up is on."))
            return redirect("applibrary:own_modes")
        if form.is_valid():
            services.modes_set(actor=signed_in(request.user), client=client, **form.cleaned_data)
            messages.success(request, _("Your display settings are saved."))
            return redirect("applibrary:own_modes")
    context = {"form": form, "check": check, "modes": modes}
    return render(request, "applibrary/modes_client.html", context)


@staff_required
@require_POST
def client_modes_apply(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    client, check = selectors.latest_readiness(actor=signed_in(request.user), client_id=client_id)
    if check is None:
        messages.error(request, _("No readiness check yet."))
    else:
        services.modes_apply_check(actor=signed_in(request.user), client=client, check_id=check.pk)
        messages.success(request, _("The suggested set-up is applied to the client's pages."))
    return redirect("applibrary:client_readiness", client_id=client_id)


def _pdf(request: HttpRequest, client: ClientProfile, rows: list[Any]) -> HttpResponse:
    html = render_to_string("applibrary/paper_pack.html", paper.context(client=client, rows=rows), request=request)
    response = HttpResponse(
        paper.to_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="sheet-{timezone.localdate():%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@client_required
@require_GET
def own_paper(request: HttpRequest) -> HttpResponse:
    client, rows = selectors.recommendations_for(actor=signed_in(request.user), client_id=str(request.user.pk))
    return _pdf(request, client, rows)


@staff_required
@require_GET
def client_paper(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    client, rows = selectors.recommendations_for(actor=signed_in(request.user), client_id=client_id)
    return _pdf(request, client, rows)


@require_GET
def neutral(request: HttpRequest) -> HttpResponse:
    """The quick exit's landing page: plain, with nothing about care (it also works signed out)."""
    return render(request, "applibrary/neutral.html")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The installable app's manifest: a plain name and icon for a client in discreet mode."""
    modes = selectors.own_modes(user=request.user) if getattr(request.user, "is_client", False) else None
    discreet = bool(modes and modes.discreet)
    name = _("Notes") if discreet else "Alongside"
    icon = static("applibrary/neutral.svg" if discreet else "web/favicon.svg")
    data = {
        "name": name,
        "short_name": name,
        "start_url": "/",
        "display": "standalone",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("display/", own_modes, name="own_modes"),
    path("display/paper.pdf", own_paper, name="own_paper"),
    path("clients/<uuid:client_id>/display/apply/", client_modes_apply, name="client_modes_apply"),
    path("clients/<uuid:client_id>/paper.pdf", client_paper, name="client_paper"),
    path("notes/", neutral, name="neutral"),
    path("manifest.webmanifest", manifest, name="manifest"),
]
