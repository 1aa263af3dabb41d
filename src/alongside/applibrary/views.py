"""App library pages (clinicians) and the digital readiness check (client, or clinician with the client)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alongside.applibrary import import_views, mode_views, recommend_views, selectors, services, vocab
from alongside.applibrary.forms import LibraryFilterForm, ReadinessForm
from alongside.applibrary.readiness import PROMPT_SOURCES, RULE_SOURCES, Prompt, eheals_scale
from alongside.care.models import Membership
from alongside.care.views import client_required, practice_render, staff_required
from alongside.core.actor import signed_in

app_name = "applibrary"


@staff_required
@require_GET
def library_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    filters = selectors.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            target=data["target"],
            platform=data["platform"],
            language=data["language"],
            cost=data["cost"],
            evidence=data["evidence"],
            privacy_yes=tuple(data["privacy"]),
            include_withdrawn=data["withdrawn"],
        )
    views = selectors.library(filters=filters)
    context = {"form": form, "views": views, "today": timezone.localdate(), "vocab": vocab}
    return practice_render(request, membership, "applibrary/library.html", context)


@staff_required
@require_GET
def app_page(request: HttpRequest, membership: Membership, app_slug: str) -> HttpResponse:
    view = selectors.app_view(slug=app_slug)
    context = {
        "view": view,
        "views": [view],
        "today": timezone.localdate(),
        "levels": _levels([view]),
        "vocab": vocab,
    }
    return practice_render(request, membership, "applibrary/app.html", context)


def _levels(views: list[selectors.AppView]) -> list[tuple[Any, list[tuple[Any, list[Any]]]]]:
    rows = selectors.question_rows(views)
    return [(label, [(q, answers) for q, answers in rows if q.level == code]) for code, label in vocab.LEVELS.items()]


@staff_required
@require_GET
def compare_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    views = selectors.compare(slugs=request.GET.getlist("apps"))
    context = {"views": views, "levels": _levels(views), "today": timezone.localdate(), "vocab": vocab}
    if not 2 <= len(views) <= 3:
        messages.info(request, _("Choose two or three apps to compare."))
    return practice_render(request, membership, "applibrary/compare.html", context)


SETTING_LABELS = {
    "low_bandwidth": gettext_lazy("Low-bandwidth mode"),
    "discreet": gettext_lazy("Discreet mode"),
    "reminders": gettext_lazy("Reminders"),
    "large_text": gettext_lazy("Large text"),
    "paper_pack": gettext_lazy("Paper pack"),
}


def _readiness_context(check: Any) -> dict[str, Any]:
    rows, prompts = [], []
    if check is not None:
        config, labels = check.configuration or {}, dict(Prompt.choices)
        reasons = config.get("reasons", {})
        rows = [(label, bool(config.get(name)), reasons.get(name, "")) for name, label in SETTING_LABELS.items()]
        prompts = [labels[code] for code in (check.answers or {}).get("prompts", []) if code in labels]
    sources = [(dict(Prompt.choices)[code], found) for code, found in PROMPT_SOURCES.items()]
    return {
        "check": check,
        "rows": rows,
        "prompts": prompts,
        "eheals": eheals_scale(),
        "prompt_sources": sources,
        "rule_sources": RULE_SOURCES,
    }


@client_required
@require_http_methods(["GET", "POST"])
def own_readiness(request: HttpRequest) -> HttpResponse:
    client, check = selectors.latest_readiness(actor=signed_in(request.user), client_id=str(request.user.pk))
    form = ReadinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.readiness_record(actor=signed_in(request.user), client=client, answers=form.to_answers())
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect("applibrary:own_readiness")
    context = {"form": form, "client": client, **_readiness_context(check)}
    return render(request, "applibrary/readiness_client.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def client_readiness(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    client, check = selectors.latest_readiness(actor=signed_in(request.user), client_id=client_id)
    form = ReadinessForm(request.POST or None, clinician=True)
    if request.method == "POST" and form.is_valid():
        services.readiness_record(actor=signed_in(request.user), client=client, answers=form.to_answers())
        messages.success(request, _("Readiness check saved."))
        return redirect("applibrary:client_readiness", client_id=client.pk)
    dates = selectors.readiness_dates(client=client)
    _client, modes = selectors.modes_for(actor=signed_in(request.user), client_id=client.pk)
    context = {"form": form, "client": client, "dates": dates, "modes": modes, **_readiness_context(check)}
    return practice_render(request, membership, "applibrary/readiness_staff.html", context)


urlpatterns: list[URLPattern] = [
    path("library/", library_page, name="library"),
    path("library/compare/", compare_page, name="compare"),
    path("library/<slug:app_slug>/", app_page, name="app"),
    path("readiness/", own_readiness, name="own_readiness"),
    path("clients/<uuid:client_id>/readiness/", client_readiness, name="client_readiness"),
    *recommend_views.urlpatterns,
    *mode_views.urlpatterns,
    *import_views.urlpatterns,
]
