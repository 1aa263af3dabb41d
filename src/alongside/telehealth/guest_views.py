"""Outside guests' join links: the clinician's page that makes and revokes them, and the guest's own page.

The guest's page needs no account: the link's token lets the first browser in and binds it
with a cookie. The guest sees the device check, the waiting room, the call and its chat,
and nothing else of the site.
"""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.telehealth.calendar_models import GuestRole
from alongside.telehealth.consumers import group_name
from alongside.telehealth.models import Role
from alongside.telehealth.selectors import RoomAccess
from alongside.telehealth.services import guest_links
from alongside.telehealth.services.guest_links import Refusal
from alongside.telehealth.views import ROOM_FEATURES

# What each refusal tells the person holding the link (in plain words; the reason is audited).
REFUSALS = {
    Refusal.UNKNOWN: gettext_lazy("This join link does not work. Ask the person who sent it for a new one."),
    Refusal.OTHER_SESSION: gettext_lazy("This join link belongs to another session."),
    Refusal.REVOKED: gettext_lazy("This join link was withdrawn. Ask the person who sent it for a new one."),
    Refusal.EXPIRED: gettext_lazy("This join link has expired: the session is over."),
    Refusal.EARLY: gettext_lazy("This session has not opened yet. Come back 15 minutes before it starts."),
    Refusal.USED: gettext_lazy(
        "This join link was already used in another browser. It works once, in one browser. "
        "Ask the person who sent it for a new one."
    ),
}


class GuestLinkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Guest's name"), max_length=120)
    role = forms.ChoiceField(label=gettext_lazy("Joins as"), choices=GuestRole.choices)
    email = forms.EmailField(
        label=gettext_lazy("Email (optional)"),
        required=False,
        help_text=gettext_lazy("Leave empty to copy the link and give it yourself, for example by phone."),
    )
    show_first_name = forms.BooleanField(
        label=gettext_lazy("Show the guest the client's first name"),
        required=False,
        help_text=gettext_lazy("Off: the guest sees no name of the client."),
    )


def _base_url(request: HttpRequest) -> str:
    return str(settings.ALONGSIDE_PUBLIC_URL) or request.build_absolute_uri("/").rstrip("/")


@staff_required
@require_http_methods(["GET", "POST"])
def guest_links_page(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    """Make a join link for a guest without an account (shown once), and see or revoke the session's links."""
    actor = signed_in(request.user)
    links = guest_links.links_of(actor=actor, appointment_id=appointment_id)
    form = GuestLinkForm(request.POST or None)
    url = ""
    if request.method == "POST" and form.is_valid():
        try:
            _link, url = guest_links.guest_link_create(
                actor=actor,
                appointment_id=appointment_id,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                show_first_name=form.cleaned_data["show_first_name"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            links = guest_links.links_of(actor=actor, appointment_id=appointment_id)
            form = GuestLinkForm()
    context = {"base": "web/layout_staff.html", "membership": membership, "appointment_id": appointment_id}
    context.update(links=links, form=form, url=url)
    return render(request, "telehealth/guest_links.html", context)


@staff_required
@require_POST
def guest_link_revoke(request: HttpRequest, membership: Membership, guest_link_id: uuid.UUID) -> HttpResponse:
    """Revoke a join link; a guest in the call with it leaves at once."""
    link = guest_links.guest_link_revoke(actor=signed_in(request.user), link_id=guest_link_id)
    layer = get_channel_layer()
    if layer is not None:
        group = group_name(str(link.appointment_id))
        event = {"type": "room.kick", "link": str(link.pk), "sender": "", "user": ""}
        async_to_sync(layer.group_send)(group, event)
    messages.success(request, _("The join link is revoked."))
    return redirect("telehealth:guest_links", appointment_id=link.appointment_id)


@never_cache
@require_http_methods(["GET", "POST"])
def guest_join(request: HttpRequest, appointment_id: uuid.UUID, token: str) -> HttpResponse:
    """The page behind a guest's join link: the room for the browser it is bound to, or why not.

    An unused link first shows a button: only that click (a POST) binds the link to the browser,
    so a mail scanner or a link preview fetching the address does not use it up.
    """
    if request.method == "GET" and guest_links.link_unused(appointment_id=appointment_id, token=token):
        return render(request, "telehealth/guest_start.html", {})
    opened = guest_links.guest_link_open(
        appointment_id=appointment_id, token=token, cookie=request.COOKIES.get(guest_links.COOKIE, "")
    )
    if opened.refused or opened.link is None:
        message = REFUSALS.get(opened.refused, REFUSALS[Refusal.UNKNOWN])
        status = 404 if opened.refused == Refusal.UNKNOWN else 403
        return render(request, "telehealth/guest_refused.html", {"message": message}, status=status)
    link = opened.link
    appointment = link.appointment
    opens, closes = guest_links.window(link)
    if request.method == "POST":
        moved = redirect(request.path)  # the room is shown to the GET that carries the cookie
        if opened.cookie:
            # Lax, not Strict: the guest comes back through the emailed link, a top-level visit from another site.
            max_age = int((closes - appointment.starts_at).total_seconds()) + 3600
            moved.set_cookie(
                guest_links.COOKIE,
                opened.cookie,
                max_age=max_age,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return moved
    entry = RoomAccess(
        appointment=appointment, client=appointment.client, role=Role.GUEST, opens_at=opens, closes_at=closes
    )
    first_name = (appointment.client.preferred_name or "").split(" ")[0] if link.show_first_name else ""
    context = {
        "base": "web/base.html",
        "entry": entry,
        "is_clinician": False,
        "is_guest": True,
        "client_label": first_name,
        "ws_path": f"/ws/telehealth/{appointment.pk}/",
    }
    response = render(request, "telehealth/room.html", context)
    response.permissions_policy = ROOM_FEATURES  # type: ignore[attr-defined]
    return response
