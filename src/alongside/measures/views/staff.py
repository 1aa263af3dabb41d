"""Measures pages for staff: alerts, a client's progress and schedules, practice outcomes.

Thin views: reads through selectors, writes through services.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import admin_required, staff_required
from alongside.core.actor import signed_in
from alongside.measures import selectors, services
from alongside.measures.library import localized
from alongside.measures.outcome_charts import outcome_charts
from alongside.measures.practice_outcomes import outcome_report
from alongside.measures.progress import progress_build
from alongside.measures.staff_forms import AcknowledgeForm, ScheduleForm
from alongside.safety.services import alerts as alert_services


def _render(request: HttpRequest, membership: Membership, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"membership": membership, "practice": membership.practice, **context})


@staff_required
def alerts(request: HttpRequest, membership: Membership) -> HttpResponse:
    """List open critical alerts of the clinician's clients, and escalated ones for admins."""
    from alongside.safety.selectors import recent_flags_for

    return _render(
        request,
        membership,
        "measures/staff/alerts.html",
        {"alerts": selectors.open_alerts_for(user=request.user), "flags": recent_flags_for(user=request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, membership: Membership, alert_id: uuid.UUID) -> HttpResponse:
    """Show one alert and acknowledge it with a note (care team only)."""
    alert = selectors.alert_for(user=request.user, alert_id=alert_id)
    alert_services.notifications_mark_read(
        actor=signed_in(request.user), notification_ids=selectors.alert_notices_of(user=request.user, alert_id=alert.pk)
    )
    can_acknowledge = selectors.may_acknowledge(user=request.user, alert=alert)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST":
        if not can_acknowledge:
            raise PermissionDenied(_("Only a clinician on the client's care team can acknowledge this alert."))
        if form.is_valid():
            try:
                alert_services.alert_acknowledge(
                    actor=signed_in(request.user), alert_id=alert.pk, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("note", message)
            else:
                messages.success(request, _("The alert is acknowledged and your note is saved."))
                return redirect("measures:alerts")
    instrument = _alert_instrument(alert)
    return _render(
        request,
        membership,
        "measures/staff/alert_detail.html",
        {
            "alert": alert,
            "instrument": instrument,
            "items": _alert_items(alert, instrument),
            "form": form,
            "can_acknowledge": can_acknowledge,
        },
    )


def _alert_instrument(alert: Any) -> Any:
    """The alert's questionnaire: shipped, or the practice's own; None if it is gone."""
    from alongside.measures.practice_selectors import instrument_for

    try:
        return instrument_for(alert.client.practice_id, alert.instrument)
    except LookupError:
        return None


def _alert_items(alert: Any, instrument: Any) -> list[tuple[int, str]]:
    if instrument is None:
        return [(n, "") for n in alert.items]
    by_number = {i.number: i.text for i in localized(instrument, get_language()).items}  # a published form's wording
    return [(n, by_number.get(n, "")) for n in alert.items]


@staff_required
def progress(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Show a client's scores per instrument over time, with item answers, to their care team."""
    team = selectors.team_client(user=request.user, client_id=client_id)
    instruments = []
    if team.shares_measures:
        instruments = progress_build(
            scores=selectors.scores_for(user=request.user, client_id=client_id),
            responses=selectors.responses_for(user=request.user, client_id=client_id),
            practice=team.client.practice_id,
        )
    return _render(
        request,
        membership,
        "measures/staff/progress.html",
        {"client": team.client, "shares": team.shares_measures, "instruments": instruments},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def schedules(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Set questionnaire schedules for a client; list the current ones and completion rates."""
    team = selectors.team_client(user=request.user, client_id=client_id)
    form = ScheduleForm(request.POST or None, practice=membership.practice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedules_set(
                actor=signed_in(request.user),
                client_id=team.client.pk,
                instruments=data["instruments"],
                rule=data["rule"],
                interval_days=data.get("interval_days"),
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The schedule is set."))
            return redirect("measures:schedules", client_id=team.client.pk)
    rates = selectors.completion_rates(user=request.user, client_id=client_id) if team.shares_measures else None
    return _render(
        request,
        membership,
        "measures/staff/schedules.html",
        {
            "client": team.client,
            "shares": team.shares_measures,
            "form": form,
            "schedules": selectors.schedules_current(user=request.user, client_id=client_id),
            "rates": rates,
        },
    )


@staff_required
@require_POST
def schedule_end(request: HttpRequest, membership: Membership, schedule_id: uuid.UUID) -> HttpResponse:
    """End one schedule version; requests already made stay as they are."""
    schedule = services.schedule_end(actor=signed_in(request.user), schedule_id=schedule_id)
    messages.success(request, _("The schedule is ended. No new requests will be made."))
    return redirect("measures:schedules", client_id=schedule.client_id)


@admin_required
def outcomes(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Show the practice's outcome rates over finished episodes, by clinician and by quarter (admins only)."""
    report = outcome_report(practice=membership.practice)
    tables = [
        (_("Whole practice"), [report.practice] if report.practice.episodes else [], "practice"),
        (_("By primary clinician"), report.by_clinician, "by-clinician"),
        (_("By quarter"), report.by_quarter, "by-quarter"),
    ]
    charts = outcome_charts(report.by_quarter)
    context = {"report": report, "tables": tables, "charts": charts}
    return _render(request, membership, "measures/staff/outcomes.html", context)


urlpatterns: list[URLPattern] = [
    path("alerts/", alerts, name="alerts"),
    path("alerts/<uuid:alert_id>/", alert_detail, name="alert_detail"),
    path("clients/<uuid:client_id>/progress/", progress, name="progress"),
    path("clients/<uuid:client_id>/schedules/", schedules, name="schedules"),
    path("schedules/<uuid:schedule_id>/end/", schedule_end, name="schedule_end"),
    path("outcomes/", outcomes, name="outcomes"),
]
