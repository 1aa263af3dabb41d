"""The page where the clinician who runs a group changes it: title and time, clients, staff guests, cancel.

One page, one form per change (each posts an ``action``), every change through a service of
``services.group_members``; the page then shows itself again with what happened. Thin views.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.core.actor import SignedIn, signed_in
from alongside.sessions.forms import AppointmentForm
from alongside.telehealth import groups
from alongside.telehealth.availability import clinician_zone
from alongside.telehealth.group_models import MAX_PARTICIPANTS, GroupSession
from alongside.telehealth.services import group_members as member_services
from alongside.telehealth.views import _layout


class GroupChangeForm(AppointmentForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=80,
        help_text=gettext_lazy("Every member sees it: a name such as “Tuesday skills group”, never a diagnosis."),
    )
    field_order = ["title", "date", "time", "duration_minutes"]


class AddClientForm(forms.Form):
    client = forms.ChoiceField(label=gettext_lazy("Client to add"))


class AddGuestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Sign-in email of a co-therapist or interpreter"),
        help_text=gettext_lazy("A colleague in your practice."),
    )


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError(_("That choice could not be read. Try again from the page.")) from None


def _change(request: HttpRequest, actor: SignedIn, group: GroupSession, form: GroupChangeForm) -> bool:
    if not form.is_valid():
        return False
    member_services.group_change(
        actor=actor,
        group_id=group.pk,
        title=form.cleaned_data["title"],
        starts_at=form.starts_at(clinician_zone(actor)),
        duration_minutes=form.cleaned_data["duration_minutes"],
    )
    messages.success(request, _("The group session is saved."))
    return True


def _act(request: HttpRequest, actor: SignedIn, group: GroupSession, pending: dict[str, forms.Form]) -> bool:
    """Run the posted change; True when it was made (the page redirects), False to show the forms' errors."""
    action = request.POST.get("action", "")
    if action == "change":
        change_form = pending["change"]
        assert isinstance(change_form, GroupChangeForm)
        return _change(request, actor, group, change_form)
    if action == "add_client" and pending["client"].is_valid():
        client_id = _uuid(pending["client"].cleaned_data["client"])
        member_services.group_member_add(actor=actor, group_id=group.pk, client_id=client_id)
        messages.success(request, _("The client is invited. The group is in their calendar and reminders."))
        return True
    if action == "remove_client":
        client_id = _uuid(request.POST.get("client", ""))
        member_services.group_member_remove(actor=actor, group_id=group.pk, client_id=client_id)
        messages.success(request, _("The client is no longer invited."))
        return True
    if action == "add_guest" and pending["guest"].is_valid():
        member_services.group_guest_add(actor=actor, group_id=group.pk, email=pending["guest"].cleaned_data["email"])
        messages.success(request, _("Your colleague is invited. The group is in their calendar and reminders."))
        return True
    if action == "remove_guest":
        guest_id = _uuid(request.POST.get("guest", ""))
        member_services.group_guest_remove(actor=actor, group_id=group.pk, guest_id=guest_id)
        messages.success(request, _("Your colleague is no longer invited."))
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """Change a group session (its clinician only; everyone else gets the same 404 as for no group)."""
    actor = signed_in(request.user)
    entry = groups.group_access(actor=actor, group_id=group_id)
    if not entry.runs_it:
        raise Http404("No such group session.")
    group = entry.group
    members = sorted(group.members.select_related("client"), key=lambda m: (m.client.preferred_name or "").lower())
    invited = {m.client_id for m in members}
    caseload = sorted(access.care_team_clients(actor), key=lambda c: (c.preferred_name or "").lower())
    choices = [(str(c.pk), c.preferred_name or "") for c in caseload if c.pk not in invited]
    zone = clinician_zone(actor)
    local = timezone.localtime(group.starts_at, zone)
    initial = {
        "title": group.title,
        "date": local.date(),
        "time": local.time(),
        "duration_minutes": group.duration_minutes,
    }
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if posted else ""
    change_form = GroupChangeForm(posted if action == "change" else None, initial=initial)
    client_form = AddClientForm(posted if action == "add_client" else None)
    client_form.fields["client"].choices = choices  # type: ignore[attr-defined]
    guest_form = AddGuestForm(posted if action == "add_guest" else None)
    pending: dict[str, forms.Form] = {"change": change_form, "client": client_form, "guest": guest_form}
    if posted is not None:
        target = {"change": change_form, "add_client": client_form, "add_guest": guest_form}.get(action)
        try:
            if _act(request, actor, group, pending):
                return redirect("telehealth:group_edit", group_id=group.pk)
        except ValidationError as error:
            if target is not None:
                target.add_error(None, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
    guests = sorted(group.guests.select_related("guest"), key=lambda g: g.guest.display_name.lower())
    context = {
        **_layout(request),
        "group": group,
        "members": members,
        "guests": guests,
        "people": len(members) + len(guests) + 1,
        "max_people": MAX_PARTICIPANTS,
        "zone": zone,
        "change_form": change_form,
        "client_form": client_form,
        "guest_form": guest_form,
        "has_choices": bool(choices),
        "editable": group.cancelled_at is None and entry.closes_at > timezone.now(),
    }
    return render(request, "telehealth/group_edit.html", context)
