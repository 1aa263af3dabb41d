"""The client's consent pages: sign the current document, choose what to share, see who looked."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care import selectors as care_selectors
from alongside.care.access_summary import access_summary
from alongside.care.models import ClientProfile
from alongside.consent.forms import ConsentSignForm, SharingForm, scope_field_name
from alongside.consent.selectors import consent_outstanding, current_document, scopes_for
from alongside.consent.services import consent_sign_with_scopes, scopes_set
from alongside.core.actor import signed_in

View = Callable[..., HttpResponse]


def client_required(view: View) -> View:
    """Let in signed-in clients only, handing the view their own profile (403 for staff)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_client", False):
            raise PermissionDenied(_("This page is for clients."))
        client = care_selectors.own_client_profile(user=request.user)
        return view(request, client, *args, **kwargs)

    return wrapped


def _initial_sharing(client: ClientProfile) -> dict[str, bool]:
    return {scope_field_name(scope): granted for scope, granted in scopes_for(client_id=client.pk).items()}


@client_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, client: ClientProfile) -> HttpResponse:
    """Show the practice's current consent text; record a typed-name signature and the sharing choices."""
    document = consent_outstanding(client_id=client.pk)
    if document is None:
        if current_document(practice_id=client.practice_id) is None:
            messages.info(request, _("Your practice has not published a consent document yet."))
        return redirect("web:home")
    form = ConsentSignForm(
        request.POST or None, initial={**_initial_sharing(client), "shown_sha256": document.body_sha256}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_sign_with_scopes(
                client=client,
                document=document,
                typed_name=form.cleaned_data["typed_name"],
                shown_sha256=form.cleaned_data["shown_sha256"],
                scopes=form.chosen(),
                actor=signed_in(request.user),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you. You signed the consent document and saved your sharing choices."))
            return redirect("web:home")
    return render(request, "consent/sign.html", {"form": form, "document": document})


@client_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, client: ClientProfile) -> HttpResponse:
    """Let the client turn each sharing scope on or off; changes apply at once."""
    form = SharingForm(request.POST or None, initial=_initial_sharing(client))
    if request.method == "POST" and form.is_valid():
        changed = scopes_set(client=client, scopes=form.chosen(), actor=signed_in(request.user))
        if changed:
            messages.success(request, _("Saved. Your care team sees the change straight away."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("consent:sharing")
    return render(request, "consent/sharing.html", {"form": form})


@client_required
def access_log(request: HttpRequest, client: ClientProfile) -> HttpResponse:
    """Show the client every time a member of staff opened or changed their record."""
    client = care_selectors.access_log_client(user=request.user, client_id=client.pk)
    if request.GET.get("every") == "1":
        page, rows = care_selectors.access_log_page(client=client, page=request.GET.get("page"))
        return render(request, "consent/access_log.html", {"page": page, "rows": rows, "time_zone": client.time_zone})
    summary = access_summary(client=client, page=request.GET.get("page"))
    return render(request, "consent/access_summary.html", {"summary": summary})
