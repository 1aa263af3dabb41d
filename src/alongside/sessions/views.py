"""Appointment pages for staff. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.sessions import selectors, services
from alongside.sessions.forms import AppointmentForm, MarkForm, zone_of
from alongside.sessions.models import AppointmentStatus

UPCOMING_DAYS = 14


def _render(request: HttpRequest, membership: Membership, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"membership": membership, "practice": membership.practice, **context})


def _errors(form: AppointmentForm, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@staff_required
@require_GET
def upcoming(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The clinician's sessions of the next 14 days, grouped by day in the practice's local time."""
    zone = zone_of(membership.practice.time_zone)
    now = timezone.now()
    today = now.astimezone(zone).date()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=UPCOMING_DAYS), dt.time.min, tzinfo=zone)
    rows = selectors.appointments_for_clinician(clinician=request.user, start=start, end=end)
    days = [(day, list(items)) for day, items in groupby(rows, key=lambda a: a.starts_at.astimezone(zone).date())]
    return _render(request, membership, "sessions/upcoming.html", {"days": days, "today": today, "now": now})


@staff_required
@require_http_methods(["GET", "POST"])
def client_sessions(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """A client's sessions with a form to schedule one; each session can be moved, cancelled or marked."""
    client, rows = selectors.appointments_for_client(actor=signed_in(request.user), client_id=client_id)
    zone = zone_of(membership.practice.time_zone)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(
                actor=signed_in(request.user),
                client_id=client.pk,
                starts_at=form.starts_at(zone),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect("sessions:client", client_id=client.pk)
    now = timezone.now()
    return _render(
        request,
        membership,
        "sessions/client.html",
        {
            "client": client,
            "form": form,
            "upcoming": [a for a in reversed(rows) if a.starts_at >= now and a.status == AppointmentStatus.SCHEDULED],
            "past": [a for a in rows if not (a.starts_at >= now and a.status == AppointmentStatus.SCHEDULED)],
            "now": now,
            "client_zone": client.time_zone if client.time_zone != membership.practice.time_zone else "",
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Move a session that has not started to another time."""
    appointment, client = selectors.appointment_for_clinician(
        actor=signed_in(request.user), appointment_id=appointment_id
    )
    zone = zone_of(membership.practice.time_zone)
    local = appointment.starts_at.astimezone(zone)
    form = AppointmentForm(
        request.POST or None,
        initial={"date": local.date(), "time": local.time(), "duration_minutes": appointment.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_reschedule(
                actor=signed_in(request.user),
                appointment_id=appointment.pk,
                starts_at=form.starts_at(zone),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The session is moved."))
            return redirect("sessions:client", client_id=client.pk)
    return _render(
        request, membership, "sessions/reschedule.html", {"client": client, "appointment": appointment, "form": form}
    )


def _done(request: HttpRequest, error: ValidationError | None, ok: str) -> None:
    if error is not None:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, ok)


@staff_required
@require_POST
def cancel(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Cancel a scheduled session."""
    appointment, client = selectors.appointment_for_clinician(
        actor=signed_in(request.user), appointment_id=appointment_id
    )
    try:
        services.appointment_cancel(actor=signed_in(request.user), appointment_id=appointment.pk)
    except ValidationError as error:
        _done(request, error, "")
    else:
        _done(request, None, _("The session is cancelled."))
    return redirect("sessions:client", client_id=client.pk)


@staff_required
@require_POST
def mark(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Mark a session that has started as attended or not attended."""
    appointment, client = selectors.appointment_for_clinician(
        actor=signed_in(request.user), appointment_id=appointment_id
    )
    form = MarkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Mark the session as attended or not attended."))
        services.appointment_mark(
            actor=signed_in(request.user), appointment_id=appointment.pk, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        _done(request, error, "")
    else:
        _done(request, None, _("The session is marked."))
    return redirect("sessions:client", client_id=client.pk)
