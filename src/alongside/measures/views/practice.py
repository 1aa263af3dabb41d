"""Practice measure pages: settings, crisis lines and imported questionnaires (admins); instruments (staff).

Thin views: reads through selectors, writes through services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.models import Membership
from alongside.care.views import admin_required, staff_required
from alongside.core.actor import signed_in
from alongside.measures import practice_selectors, services
from alongside.measures.practice_forms import CrisisRowFormSet, ImportForm, PracticeSettingsForm
from alongside.measures.services.custom import MAX_UPLOAD_BYTES

CRISIS_FIELDS = ("country", "name", "phone", "text", "url", "description")


def _render(request: HttpRequest, membership: Membership, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"membership": membership, "practice": membership.practice, **context})


def _instrument_choices(membership: Membership) -> list[tuple[str, str]]:
    return [(i.code, f"{i.short_name}: {i.name}") for i in practice_selectors.practice_instruments(membership.practice)]


@admin_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Edit the practice's escalation time, quiet hours, result sharing and default schedule."""
    current = services.practice_settings(membership.practice_id)
    initial = {
        "escalation_minutes": current.escalation_minutes,
        "quiet_start": current.quiet_start,
        "quiet_end": current.quiet_end,
        "clients_see_results": current.clients_see_results,
        "default_instrument": current.default_instrument,
        "default_rule": current.default_rule,
        "default_interval_days": current.default_interval_days,
    }
    form = PracticeSettingsForm(request.POST or None, initial=initial, instruments=_instrument_choices(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.practice_settings_set(
                actor=signed_in(request.user),
                practice=membership.practice,
                escalation_minutes=data["escalation_minutes"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
                clients_see_results=data["clients_see_results"],
                default_instrument=data["default_instrument"] or "",
                default_rule=data["default_rule"] or None,
                default_interval_days=data["default_interval_days"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The practice settings are saved."))
            return redirect("measures:practice_settings")
    return _render(request, membership, "measures/practice/settings.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def crisis_lines(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Edit the practice's own crisis lines; the built-in defaults are shown for reference."""
    current = services.practice_settings(membership.practice_id)
    errors: list[str] = []
    initial = [{k: row.get(k, "") for k in CRISIS_FIELDS} for row in (current.crisis_resources or [])]
    # Always offer two blank rows to add lines.
    formset = CrisisRowFormSet(request.POST or None, initial=[*initial, {}, {}][: CrisisRowFormSet.max_num])
    if request.method == "POST":
        if formset.is_valid():
            rows = [
                {k: v for k, v in form.cleaned_data.items() if k in CRISIS_FIELDS}
                for form in formset.forms
                if any((form.cleaned_data or {}).get(k) for k in CRISIS_FIELDS)
            ]
            try:
                services.practice_crisis_resources_set(
                    actor=signed_in(request.user), practice=membership.practice, rows=rows
                )
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, _("The crisis lines are saved."))
                return redirect("measures:practice_crisis")
        else:
            errors = [_("Check the lines marked below.")]
    return _render(
        request,
        membership,
        "measures/practice/crisis.html",
        {"formset": formset, "errors": errors, **_reference_lines()},
    )


def _reference_lines() -> dict[str, Any]:
    """The built-in lines by country in the admin's language, and how many are not verified yet."""
    from django.utils.translation import get_language

    from alongside.safety.resources import reference

    defaults = reference(get_language() or "en")
    every = [line for _country, lines in defaults for line in lines]
    return {"defaults": defaults, "unverified": sum(1 for line in every if not line.verified), "total": len(every)}


@staff_required
def instruments(request: HttpRequest, membership: Membership) -> HttpResponse:
    """List every questionnaire the practice can use, with licence, citation and whether it is validated."""
    return _render(
        request,
        membership,
        "measures/practice/instruments.html",
        {"instruments": practice_selectors.practice_instruments(membership.practice)},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def instrument_import(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Import a FHIR Questionnaire as the practice's own (sum-scored, not validated)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["questionnaire"]
        if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            form.add_error(
                "questionnaire",
                _("The file is larger than %(kb)s KB. Import a single Questionnaire.")
                % {"kb": MAX_UPLOAD_BYTES // 1024},
            )
        else:
            try:
                row = services.custom_instrument_import(
                    actor=signed_in(request.user), practice=membership.practice, raw=upload.read(MAX_UPLOAD_BYTES + 1)
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("questionnaire", message)
            else:
                messages.success(request, _("%(name)s is imported, labelled not validated.") % {"name": row.name})
                return redirect("measures:instruments")
    return _render(request, membership, "measures/practice/import.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("practice/settings/", settings, name="practice_settings"),
    path("practice/crisis-lines/", crisis_lines, name="practice_crisis"),
    path("instruments/", instruments, name="instruments"),
    path("instruments/import/", instrument_import, name="instrument_import"),
]
