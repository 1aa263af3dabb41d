"""Pages of the disclosure register: the author asks and records; the client signs or refuses and reads the list."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import client_required, staff_required
from alongside.core.actor import signed_in
from alongside.records import disclosures, selectors
from alongside.records.disclosures import MAX_FIELD


class RequestForm(forms.Form):
    recipient = forms.CharField(label=gettext_lazy("Who would receive it"), max_length=MAX_FIELD)
    purpose = forms.CharField(label=gettext_lazy("What it is for"), max_length=MAX_FIELD)


class AnswerForm(forms.Form):
    signature = forms.CharField(label=gettext_lazy("Type your name to sign"), required=False, max_length=MAX_FIELD)


@staff_required
@require_POST
def disclosure_request(request: HttpRequest, membership: Membership, private_note_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    note = selectors.private_note_for(actor=actor, note_id=private_note_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        disclosures.disclosure_request(actor=actor, note_id=note.pk, **form.cleaned_data)
        messages.success(request, _("The client is asked to sign an authorisation for this disclosure."))
    else:
        messages.error(request, _("Say who would receive the note and what it is for."))
    return redirect("records:private_note", private_note_id=note.pk)


@staff_required
@require_POST
def disclosure_made(request: HttpRequest, membership: Membership, disclosure_id: uuid.UUID) -> HttpResponse:
    try:
        disclosure = disclosures.disclosure_make(actor=signed_in(request.user), disclosure_id=disclosure_id)
    except PermissionDenied as error:
        messages.error(request, str(error))
        disclosure = selectors.disclosure_for_author(actor=signed_in(request.user), disclosure_id=disclosure_id)
    else:
        messages.success(request, _("Disclosure recorded in the client's register."))
    return redirect("records:private_note", private_note_id=disclosure.note_id)


@client_required
@require_http_methods(["GET"])
def my_register(request: HttpRequest) -> HttpResponse:
    client, rows = disclosures.register_for_client(actor=signed_in(request.user), client_id=str(request.user.pk))
    return render(request, "records/my_disclosures.html", {"client": client, "rows": rows, "form": AnswerForm()})


@client_required
@require_POST
def my_answer(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    form = AnswerForm(request.POST)
    authorise = request.POST.get("answer") == "authorise"
    try:
        if not form.is_valid():
            raise ValidationError(_("Type your name to sign the authorisation."))
        disclosures.disclosure_answer(
            actor=signed_in(request.user),
            disclosure_id=disclosure_id,
            authorise=authorise,
            signature=form.cleaned_data["signature"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is recorded.") if authorise else _("Refusal recorded."))
    return redirect("records:my_disclosures")


urlpatterns: list[URLPattern] = [
    path("private-notes/<uuid:private_note_id>/disclose/", disclosure_request, name="disclosure_request"),
    path("disclosures/<uuid:disclosure_id>/made/", disclosure_made, name="disclosure_made"),
    path("my/disclosures/", my_register, name="my_disclosures"),
    path("my/disclosures/<uuid:disclosure_id>/", my_answer, name="my_disclosure_answer"),
]
