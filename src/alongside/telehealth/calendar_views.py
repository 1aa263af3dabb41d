"""Calendar pages: a clinician's week and day, their availability, the practice's booking rules,
a client's booking page, an appointment's invitation file and its guests. Thin views."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.care.models import ClientProfile, Membership
from alongside.care.views import admin_required, staff_required
from alongside.core.actor import SignedIn, signed_in
from alongside.core.formatting import current_zone
from alongside.sessions.forms import local_moment
from alongside.sessions.models import AppointmentStatus
from alongside.telehealth import calendar_selectors, invitations, selectors
from alongside.telehealth.availability import clinician_zone, policy_for
from alongside.telehealth.calendar_forms import (
    BlockForm,
    BookingPolicyForm,
    DayExceptionForm,
    GuestForm,
    WeekHoursForm,
)
from alongside.telehealth.calendar_models import AppointmentInvitation, DayException, WeeklyHours
from alongside.telehealth.services import availability as availability_services
from alongside.telehealth.services import booking as booking_services
from alongside.telehealth.services import guests as guest_services


def _staff_page(
    request: HttpRequest, membership: Membership, template: str, context: dict[str, object]
) -> HttpResponse:
    return render(request, template, {"base": "web/layout_staff.html", "membership": membership, **context})


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
@require_GET
def calendar_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The clinician's week (or one day) in the reader's zone: sessions, blocked time and free slots."""
    zone = current_zone()
    today = timezone.now().astimezone(zone).date()
    view = "day" if request.GET.get("view") == "day" else "week"
    chosen = _date(request.GET.get("date"), today)
    first = chosen if view == "day" else chosen - dt.timedelta(days=chosen.weekday())
    count = 1 if view == "day" else 7
    page = calendar_selectors.clinician_calendar(
        actor=signed_in(request.user), membership=membership, first=first, count=count, zone=zone
    )
    step = dt.timedelta(days=count)
    context = {
        "page": page,
        "view": view,
        "first": first,
        "last": first + dt.timedelta(days=count - 1),
        "today": today,
        "previous": (first - step).isoformat(),
        "next": (first + step).isoformat(),
        "here": f"{reverse('telehealth:calendar_page')}?view={view}&date={first.isoformat()}",
        "days": list(zip(page.days, page.entries, strict=True)),
    }
    return _staff_page(request, membership, "telehealth/calendar_page.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith("/"):
        target = reverse("telehealth:calendar_page")
    return redirect(target)


@staff_required
@require_POST
def block_slot(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Block one free slot of the calendar (its start and end come from the slot's button)."""
    try:
        starts_at = dt.datetime.fromisoformat(request.POST.get("starts_at", ""))
        ends_at = dt.datetime.fromisoformat(request.POST.get("ends_at", ""))
        availability_services.block_add(actor=signed_in(request.user), starts_at=starts_at, ends_at=ends_at)
    except ValueError:
        messages.error(request, _("That time could not be read. Try again from the calendar."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The time is blocked."))
    return _back(request)


@staff_required
@require_POST
def block_remove(request: HttpRequest, membership: Membership, block_id: uuid.UUID) -> HttpResponse:
    """Free blocked time again (the clinician's own only)."""
    availability_services.block_remove(actor=signed_in(request.user), block_id=block_id)
    messages.success(request, _("The time is free again."))
    return _back(request)


def _week_initial(user: SignedIn) -> dict[str, dt.time]:
    initial: dict[str, dt.time] = {}
    for row in WeeklyHours.objects.filter(clinician=user).order_by("weekday", "start"):
        initial.setdefault(f"start_{row.weekday}", row.start)
        initial.setdefault(f"end_{row.weekday}", row.end)
    return initial


@staff_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The clinician's usual week, days with other hours, and a form to block time."""
    actor = signed_in(request.user)
    zone = clinician_zone(actor)
    action = request.POST.get("action") if request.method == "POST" else None
    week = WeekHoursForm(request.POST if action == "week" else None, initial=_week_initial(actor))
    day = DayExceptionForm(request.POST if action == "day" else None, prefix="day")
    block = BlockForm(request.POST if action == "block" else None, prefix="block")
    try:
        if action == "week" and week.is_valid():
            rows = week.rows()
            if not week.errors:
                availability_services.hours_set(actor=actor, rows=rows, time_zone=str(zone))
                messages.success(request, _("Your working hours are saved."))
                return redirect("telehealth:availability")
        elif action == "day" and day.is_valid():
            data = day.cleaned_data
            availability_services.day_exception_set(
                actor=actor, date=data["date"], start=data["start"], end=data["end"]
            )
            messages.success(request, _("The day's hours are saved."))
            return redirect("telehealth:availability")
        elif action == "clear":
            availability_services.day_exception_clear(actor=actor, date=_date(request.POST.get("date"), dt.date.min))
            return redirect("telehealth:availability")
        elif action == "block" and block.is_valid():
            data = block.cleaned_data
            availability_services.block_add(
                actor=actor,
                starts_at=local_moment(data["date"], data["start"], zone),
                ends_at=local_moment(data["date"], data["end"], zone),
            )
            messages.success(request, _("The time is blocked."))
            return redirect("telehealth:availability")
    except ValidationError as error:
        form = {"week": week, "day": day, "block": block}.get(action or "", week)
        for message in error.messages:
            form.add_error(None, message)
    exceptions = DayException.objects.filter(clinician=actor, date__gte=timezone.now().astimezone(zone).date())
    context = {"week": week, "day": day, "block": block, "zone": zone, "exceptions": list(exceptions[:50])}
    return _staff_page(request, membership, "telehealth/availability.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def booking_rules(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The practice's self-booking rules (admins only)."""
    policy = policy_for(membership.practice)
    initial = {
        "allow_self_booking": policy.allow_self_booking,
        "notice_hours": policy.notice_hours,
        "cancel_hours": policy.cancel_hours,
        "horizon_days": policy.horizon_days,
        "duration_minutes": policy.duration_minutes,
    }
    form = BookingPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            availability_services.booking_policy_set(actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The booking rules are saved."))
            return redirect("telehealth:booking_rules")
    return _staff_page(request, membership, "telehealth/booking_rules.html", {"form": form})


def _own_profile(request: HttpRequest) -> ClientProfile:
    if not getattr(request.user, "is_client", False):
        raise PermissionDenied(_("This page is for clients."))
    profile = ClientProfile.objects.filter(user=signed_in(request.user)).select_related("practice").first()
    if profile is None:
        raise Http404("No client record.")
    return profile


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """The client's booking page: free times of their clinicians, and their sessions to come."""
    client = _own_profile(request)
    if request.method == "POST":
        try:
            starts_at = dt.datetime.fromisoformat(request.POST.get("starts_at", ""))
            clinician_id = uuid.UUID(request.POST.get("clinician", ""))
            booking_services.booking_create(
                actor=signed_in(request.user), clinician_id=clinician_id, starts_at=starts_at
            )
        except ValueError:
            messages.error(request, _("That time could not be read. Choose one of the times offered."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Your session is booked. You will find it below."))
        return redirect("telehealth:book")
    zone = current_zone()
    policy, choices = calendar_selectors.booking_choices(client=client, zone=zone)
    upcoming = calendar_selectors.upcoming_for_client(client=client)
    latest_cancel = {a.pk: a.starts_at - policy.cancel_window for a in upcoming}
    now = timezone.now()
    rows = [(a, policy.allow_self_booking and now <= latest_cancel[a.pk], latest_cancel[a.pk]) for a in upcoming]
    context = {"base": "web/layout_client.html", "policy": policy, "choices": choices, "upcoming": rows}
    return render(request, "telehealth/book.html", context)


@login_required
@require_POST
def book_cancel(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """The client cancels one of their own sessions, within the practice's cancellation window."""
    _own_profile(request)
    try:
        booking_services.booking_cancel(actor=signed_in(request.user), appointment_id=appointment_id)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your session is cancelled."))
    return redirect("telehealth:book")


@never_cache
@login_required
@require_GET
def invitation_file(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """The appointment's invitation as an .ics file, for its client, its clinicians and its guests (404 otherwise)."""
    entry = selectors.room_access(actor=signed_in(request.user), appointment_id=appointment_id)
    invitation = AppointmentInvitation.objects.filter(appointment=entry.appointment).first()
    body = invitations.invitation_ics(
        appointment=entry.appointment, invitation=invitation, base_url=request.build_absolute_uri("/")
    )
    method = "CANCEL" if entry.appointment.status == AppointmentStatus.CANCELLED else "REQUEST"
    response = HttpResponse(body, content_type=f"text/calendar; charset=utf-8; method={method}")
    response["Content-Disposition"] = 'attachment; filename="alongside-session.ics"'
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def guests(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Invite an interpreter or a co-therapist into this session's room, or withdraw an invitation."""
    actor = signed_in(request.user)
    appointment, rows = guest_services.guests_of(actor=actor, appointment_id=appointment_id)
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guest_services.guest_invite(
                actor=actor,
                appointment_id=appointment.pk,
                guest_email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your colleague is invited. They will find the session under Video sessions."))
            return redirect("telehealth:guests", appointment_id=appointment.pk)
    now = timezone.now()
    context = {"appointment": appointment, "rows": [(r, r.is_live(now)) for r in rows], "form": form}
    return _staff_page(request, membership, "telehealth/guests.html", context)


@staff_required
@require_POST
def guest_revoke(request: HttpRequest, membership: Membership, guest_id: uuid.UUID) -> HttpResponse:
    """Withdraw a guest's invitation."""
    row = guest_services.guest_revoke(actor=signed_in(request.user), guest_id=guest_id)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("telehealth:guests", appointment_id=row.appointment_id)
