"""Practice pages: caseload, client record, invitations, staff, consent editor, erasure.

Views stay thin: reads go through :mod:`alongside.care.selectors` (which call the
access layer and audit staff reads), writes through the services.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.access import Action
from alongside.accounts.services import session_start
from alongside.care import selectors
from alongside.care.erasure import client_erase
from alongside.care.forms import (
    ClientEraseForm,
    ClientInviteForm,
    InvitationAcceptForm,
    StaffInviteForm,
)
from alongside.care.models import InvitationRole, Membership
from alongside.care.services import (
    InvitationProblem,
    client_invite,
    invitation_accept,
    invitation_check,
    staff_invite,
)
from alongside.core.actor import signed_in
from alongside.crypto.keys import KeyProblem

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Let in signed-in staff with an active membership; refuse clients and strangers (403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = selectors.membership_for(user=request.user)
        if membership is None:
            raise PermissionDenied(_("This page is for practice staff."))
        return view(request, membership, *args, **kwargs)

    return wrapped


def admin_required(view: View) -> View:
    """Let in practice owners and admins only (403 for everyone else)."""

    @staff_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, membership: Membership, *args: Any, **kwargs: Any) -> HttpResponse:
        if not membership.is_admin:
            raise PermissionDenied(_("Only practice admins can use this page."))
        return view(request, membership, *args, **kwargs)

    return wrapped


def client_required(view: View) -> View:
    """Let in signed-in clients only; anyone else gets a 404 (these pages are a client's own)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_client", False):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def practice_render(
    request: HttpRequest, membership: Membership, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request, template, {"membership": membership, "practice": membership.practice, **context}, status=status
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _form_errors(form: Any, error: ValidationError, field: str | None = None) -> None:
    for message in error.messages:
        form.add_error(field, message)


@staff_required
@require_http_methods(["GET", "POST"])
def client_invite_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Invite a client: create their record on your care team and send them a link."""
    form = ClientInviteForm(request.POST or None, default_time_zone=membership.practice.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            issued = client_invite(
                actor=signed_in(request.user),
                practice=membership.practice,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_errors(form, error, "email")
        else:
            return practice_render(
                request,
                membership,
                "care/invitation_sent.html",
                {
                    "link": request.build_absolute_uri(issued.path),
                    "email": issued.invitation.email,
                    "expires_at": issued.invitation.expires_at,
                    "is_client": True,
                },
            )
    return practice_render(request, membership, "care/client_invite.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def staff_invite_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Invite a clinician or an admin (admins only)."""
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = staff_invite(
                actor=signed_in(request.user),
                practice=membership.practice,
                email=form.cleaned_data["email"],
                role=InvitationRole(form.cleaned_data["role"]),
                base_url=_base_url(request),
            )
        except ValidationError as error:
            _form_errors(form, error, "email")
        else:
            return practice_render(
                request,
                membership,
                "care/invitation_sent.html",
                {
                    "link": request.build_absolute_uri(issued.path),
                    "email": issued.invitation.email,
                    "expires_at": issued.invitation.expires_at,
                    "is_client": False,
                },
            )
    return practice_render(request, membership, "care/staff_invite.html", {"form": form})


@admin_required
def staff_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    """List the practice's staff and pending staff invitations (admins only)."""
    return practice_render(
        request,
        membership,
        "care/staff_list.html",
        {
            "members": selectors.staff_of(practice=membership.practice),
            "pending": selectors.staff_invitations_pending(practice=membership.practice),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def client_erase_view(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Erase a client after the admin types their email address (admins only; 404 otherwise)."""
    client = selectors.client_for_staff(user=request.user, client_id=client_id, action=Action.ERASE)
    form = ClientEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_erase(actor=signed_in(request.user), client=client, confirm_email=form.cleaned_data["confirm_email"])
        except ValidationError as error:
            _form_errors(form, error, "confirm_email")
        else:
            messages.success(
                request, _("The client was erased. Their data key is destroyed and their records deleted.")
            )
            return redirect("care:caseload")
    return practice_render(
        request,
        membership,
        "care/client_erase.html",
        {"client": client, "preferred_name": _name_or_unreadable(client), "email": client.user.email, "form": form},
    )


def _name_or_unreadable(client: Any) -> str:
    # A client half-erased before issue #11 has no data key left; the admin must still reach this page.
    try:
        return str(client.preferred_name)
    except KeyProblem:
        return _("this client (their name is unreadable: the data key is gone)")


# --- Invitation links (no sign-in needed) -------------------------------------------------


def _invitation_problem(request: HttpRequest, token: str, problem: ValidationError) -> HttpResponse:
    # 404 for a link that never existed; 410 Gone for one that was used, withdrawn or expired.
    status = 410 if selectors.invitation_known(token=token) else 404
    return render(request, "care/invitation_problem.html", {"message": problem.messages[0]}, status=status)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password with an invitation link, sign in, then sign consent (clients) or enrol MFA (staff)."""
    try:
        invitation = invitation_check(token=token)
    except InvitationProblem as problem:
        return _invitation_problem(request, token, problem)
    is_client = invitation.role == InvitationRole.CLIENT
    form = InvitationAcceptForm(request.POST or None, needs_name=not is_client)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token, password=form.cleaned_data["password"], name=form.cleaned_data.get("name", "")
            )
        except InvitationProblem as problem:
            return _invitation_problem(request, token, problem)
        except ValidationError as error:
            # Password validators give coded errors; the service's own (email taken) are not coded.
            is_password = any((e.code or "").startswith("password") for e in error.error_list)
            _form_errors(form, error, "password" if is_password else None)
        else:
            session_start(request=request, user=user, mfa_verified=False)
            if user.is_client:
                return redirect("consent:sign")
            messages.info(request, _("Welcome. Set up a second factor to protect your clients' data."))
            return redirect("accounts:mfa_enrol")
    return render(
        request,
        "care/invitation_accept.html",
        {"form": form, "invitation": invitation, "is_client": is_client, "practice_name": invitation.practice.name},
    )
