"""The practice's own progress-note templates: its admins list, create, change and retire them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import admin_required, practice_render
from alongside.core.actor import signed_in
from alongside.records import selectors, services
from alongside.records.forms import NoteTemplateForm
from alongside.records.models import PracticeNoteTemplate


@admin_required
@require_http_methods(["GET"])
def note_templates(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = selectors.practice_note_templates(membership.practice)
    return practice_render(request, membership, "records/note_templates.html", {"templates": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def note_template_edit(
    request: HttpRequest, membership: Membership, note_template_id: uuid.UUID | None = None
) -> HttpResponse:
    template: PracticeNoteTemplate | None = None
    initial = None
    if note_template_id is not None:
        template = selectors.practice_note_template(membership.practice, note_template_id)
        initial = NoteTemplateForm.initial_for(template)
    form = NoteTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (template is None or not template.is_retired):
        try:
            services.note_template_save(
                actor=signed_in(request.user),
                name=form.cleaned_data["name"],
                sections=form.sections(),
                template_id=template.pk if template else None,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Template saved. Notes already started keep their own sections."))
            return redirect("records:note_templates")
    context = {"form": form, "template": template}
    return practice_render(request, membership, "records/note_template_edit.html", context)


@admin_required
@require_POST
def note_template_retire(request: HttpRequest, membership: Membership, note_template_id: uuid.UUID) -> HttpResponse:
    services.note_template_retire(actor=signed_in(request.user), template_id=note_template_id)
    messages.success(request, _("Template retired. It is no longer offered for new notes."))
    return redirect("records:note_templates")


urlpatterns: list[URLPattern] = [
    path("practice/note-templates/", note_templates, name="note_templates"),
    path("practice/note-templates/new/", note_template_edit, name="note_template_new"),
    path("practice/note-templates/<uuid:note_template_id>/", note_template_edit, name="note_template_edit"),
    path("practice/note-templates/<uuid:note_template_id>/retire/", note_template_retire, name="note_template_retire"),
]
