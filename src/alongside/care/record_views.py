"""Actions on a client's record: edit details, discharge (ending the episode) and re-open."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.access import Action
from alongside.care import selectors
from alongside.care.forms import ClientDetailsForm, ClientDischargeForm, ClientReopenForm
from alongside.care.models import EpisodeEndReason, Membership
from alongside.care.services import (
    ClientDetails,
    care_team_add,
    care_team_remove,
    client_details_update,
    client_discharge,
    client_reopen,
)
from alongside.care.views import practice_render, staff_required
from alongside.core.actor import signed_in
from alongside.core.time import local_date


@staff_required
@require_http_methods(["GET", "POST"])
def client_edit_view(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Edit the client's names, phone and emergency contact (care team or admin)."""
    client = selectors.client_for_staff(user=request.user, client_id=client_id, action=Action.MANAGE)
    initial = {name: getattr(client, name) for name in ClientDetailsForm.base_fields}
    form = ClientDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            client_details_update(
                actor=signed_in(request.user), client=client, details=ClientDetails(**form.cleaned_data)
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The client's details are saved."))
            return redirect("care:client_detail", client.pk)
    return practice_render(request, membership, "care/client_edit.html", {"client": client, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def client_discharge_view(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """End the episode of care with a reason and discharge the client."""
    client = selectors.client_for_staff(user=request.user, client_id=client_id, action=Action.MANAGE)
    today = local_date(timezone.now(), membership.practice.time_zone)
    form = ClientDischargeForm(request.POST or None, initial={"ended_on": today, "reason": EpisodeEndReason.COMPLETED})
    if request.method == "POST" and form.is_valid():
        try:
            client_discharge(
                actor=signed_in(request.user),
                client=client,
                ended_on=form.cleaned_data["ended_on"],
                reason=EpisodeEndReason(form.cleaned_data["reason"]),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The client is discharged. They are listed under Discharged in the caseload."))
            return redirect("care:client_detail", client.pk)
    return practice_render(request, membership, "care/client_discharge.html", {"client": client, "form": form})


@staff_required
@require_http_methods(["POST"])
def client_reopen_view(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Start a new episode of care for a discharged client."""
    client = selectors.client_for_staff(user=request.user, client_id=client_id, action=Action.MANAGE)
    form = ClientReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the first day of the new episode."))
        client_reopen(actor=signed_in(request.user), client=client, started_on=form.cleaned_data["started_on"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Care is re-opened with a new episode."))
    return redirect("care:client_detail", client.pk)


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/edit/", client_edit_view, name="client_edit"),
    path("clients/<uuid:client_id>/discharge/", client_discharge_view, name="client_discharge"),
    path("clients/<uuid:client_id>/reopen/", client_reopen_view, name="client_reopen"),
]


@staff_required
@require_http_methods(["POST"])
def client_team_view(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Add a clinician of the practice to the care team (optionally as primary), or take one off it."""
    client = selectors.client_for_staff(user=request.user, client_id=client_id, action=Action.MANAGE)
    clinician = selectors.practice_staff_member(
        practice_id=client.practice_id, user_id=request.POST.get("clinician", "")
    )
    actor = signed_in(request.user)
    try:
        if clinician is None:
            raise ValidationError(_("Choose a clinician of this practice."))
        if request.POST.get("action") == "remove":
            care_team_remove(actor=actor, client=client, clinician=clinician)
            messages.success(request, _("%(name)s is no longer on the care team.") % {"name": clinician.display_name})
        else:
            care_team_add(actor=actor, client=client, clinician=clinician, primary=request.POST.get("primary") == "on")
            messages.success(request, _("%(name)s is on the care team.") % {"name": clinician.display_name})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("care:client_detail", client.pk)


urlpatterns.append(path("clients/<uuid:client_id>/team/", client_team_view, name="client_team"))
