"""Group video session pages: the list, scheduling, one group's page and its call. Thin views."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside import access
from alongside.core.actor import signed_in
from alongside.sessions.forms import AppointmentForm
from alongside.telehealth import groups, janus
from alongside.telehealth.availability import clinician_zone
from alongside.telehealth.services import groups as group_services
from alongside.telehealth.views import ROOM_FEATURES, _layout


class GroupForm(AppointmentForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=80,
        help_text=_("Every member sees it: a name such as “Tuesday skills group”, never a diagnosis."),
    )
    clients = forms.MultipleChoiceField(
        label=_("Clients (2 to 9)"),
        help_text=_("A group holds at most 10 people, you included: invite fewer clients if colleagues join."),
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("Co-therapists or interpreters (optional)"),
        required=False,
        help_text=_("Sign-in emails of colleagues in your practice, separated by commas."),
    )
    field_order = ["title", "date", "time", "duration_minutes", "clients", "guests"]

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["clients"].choices = choices  # type: ignore[attr-defined]
        self.fields["duration_minutes"].initial = 90


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """The person's group sessions still to come, each with its page, and Join on those open now."""
    actor = signed_in(request.user)
    rows = groups.groups_for(actor=actor)
    joinable = groups.groups_open_now(actor=actor, rows=rows) if janus.enabled() else set()
    context = {**_layout(request), "rows": rows, "enabled": janus.enabled(), "joinable": joinable}
    return render(request, "telehealth/group_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    """Schedule a group session for clients of the clinician's own caseload."""
    actor = signed_in(request.user)
    if getattr(actor, "is_client", True):
        raise PermissionDenied
    clients = sorted(access.care_team_clients(actor), key=lambda c: (c.preferred_name or "").lower())
    choices = [(str(c.pk), c.preferred_name or "") for c in clients]
    form = GroupForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = group_services.group_create(
                actor=actor,
                title=data["title"],
                starts_at=form.starts_at(clinician_zone(actor)),
                duration_minutes=data["duration_minutes"],
                client_ids=data["clients"],
                guest_emails=tuple(data["guests"].split(",")),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("telehealth:group", group_id=group.pk)
    return render(
        request, "telehealth/group_new.html", {**_layout(request), "form": form, "has_clients": bool(choices)}
    )


@login_required
@require_GET
def group_detail(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """One group session: its time, who is invited (for its clinician) and the Join button when open."""
    entry = groups.group_access(actor=signed_in(request.user), group_id=group_id)
    context = {**_layout(request), "entry": entry, "enabled": janus.enabled(), "members": []}
    if entry.runs_it:
        context["members"] = groups.attendance_of(entry.group)
    return render(request, "telehealth/group.html", context)


@never_cache
@login_required
@require_POST
def group_join(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """The group's call page: the device check, then the waiting room; Janus keys come over the socket on admission."""
    actor = signed_in(request.user)
    entry = groups.group_access(actor=actor, group_id=group_id)
    refusal = groups.join_refusal(entry)
    if refusal:
        context = {**_layout(request), "entry": entry, "enabled": janus.enabled(), "members": [], "error": refusal}
        return render(request, "telehealth/group.html", context, status=409)
    context = {**_layout(request), "entry": entry, "ws_path": f"/ws/telehealth/group/{entry.group.pk}/"}
    response = render(request, "telehealth/group_call.html", context)
    response.permissions_policy = ROOM_FEATURES  # type: ignore[attr-defined]
    # The browser talks to Janus over its WebSocket: allow that one origin besides our own.
    public = urlsplit(str(settings.TELEHEALTH_JANUS_PUBLIC_URL))
    policy = dict(settings.SECURE_CSP)
    policy["connect-src"] = [CSP.SELF, f"{public.scheme}://{public.netloc}"] if public.netloc else [CSP.SELF]
    response._csp_config = policy  # type: ignore[attr-defined]  # read by Django's CSP middleware
    return response


@login_required
@require_POST
def group_end(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """End the call for everyone (the clinician who runs the group): its Janus room is destroyed."""
    group_services.group_room_close(actor=signed_in(request.user), group_id=group_id)
    return redirect("telehealth:group", group_id=group_id)


@login_required
@require_POST
def group_cancel(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """Cancel the group session (the clinician who runs it)."""
    group_services.group_cancel(actor=signed_in(request.user), group_id=group_id)
    return redirect("telehealth:groups")


urlpatterns = [
    path("", group_list, name="groups"),
    path("new/", group_new, name="group_new"),
    path("<uuid:group_id>/", group_detail, name="group"),
    path("<uuid:group_id>/join/", group_join, name="group_join"),
    path("<uuid:group_id>/end/", group_end, name="group_end"),
    path("<uuid:group_id>/cancel/", group_cancel, name="group_cancel"),
]
