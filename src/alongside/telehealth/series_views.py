"""Pages for recurring sessions (clinicians on the care team): make a series, change or cancel its sessions."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.core.time import zone_or_utc
from alongside.sessions import selectors as session_selectors
from alongside.sessions.forms import local_moment
from alongside.telehealth.forms import SeriesChangeForm, SeriesForm
from alongside.telehealth.models import SeriesOccurrence
from alongside.telehealth.services import series as series_services


def _page(request: HttpRequest, membership: Membership, template: str, context: dict[str, object]) -> HttpResponse:
    return render(request, template, {"base": "web/layout_staff.html", "membership": membership, **context})


@staff_required
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Schedule weekly or fortnightly sessions for a client of the clinician's care team."""
    client, _rows = session_selectors.appointments_for_client(actor=signed_in(request.user), client_id=client_id)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        zone = zone_or_utc(membership.practice.time_zone)
        try:
            series = series_services.series_create(
                actor=signed_in(request.user),
                client_id=client.pk,
                first_starts_at=form.starts_at(zone),
                duration_minutes=form.cleaned_data["duration_minutes"],
                interval_weeks=form.cleaned_data["interval_weeks"],
                count=form.cleaned_data["count"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            count = series.occurrences.count()
            messages.success(request, _("%(count)d sessions scheduled.") % {"count": count})
            return redirect("sessions:client", client_id=client.pk)
    return _page(request, membership, "telehealth/series_new.html", {"client": client, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def series_change(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Move or cancel one session of a series, this and the following ones, or all still to come."""
    appointment, client = session_selectors.appointment_for_clinician(
        actor=signed_in(request.user), appointment_id=appointment_id
    )
    in_series = SeriesOccurrence.objects.filter(appointment=appointment).exists()
    form = SeriesChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, signed_in(request.user)
        try:
            if data["action"] == "cancel":
                count = series_services.series_cancel(actor=actor, appointment_id=appointment.pk, scope=data["scope"])
            else:
                if not data["date"] or not data["time"]:
                    raise ValidationError(_("Give the new date and time."))
                moment = local_moment(data["date"], data["time"], zone_or_utc(membership.practice.time_zone))
                count = series_services.series_move(
                    actor=actor, appointment_id=appointment.pk, scope=data["scope"], starts_at=moment
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(count)d sessions changed.") % {"count": count})
            return redirect("sessions:client", client_id=client.pk)
    context = {"client": client, "appointment": appointment, "form": form, "in_series": in_series}
    return _page(request, membership, "telehealth/series_change.html", context)
