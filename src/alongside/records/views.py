"""Clinicians' pages of clinical records: progress notes, psychotherapy notes, the treatment plan and its reviews."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import practice_render, staff_required
from alongside.core.actor import signed_in
from alongside.core.formatting import fmt_datetime
from alongside.records import disclosure_views, disclosures, plan_views, selectors, services, template_views
from alongside.records.forms import NoteForm, NoteStartForm, TextForm
from alongside.records.models import ProgressNote
from alongside.records.note_templates import measures_section, note_sections


@staff_required
@require_http_methods(["GET"])
def client_notes(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    client = selectors.team_client(actor=actor, client_id=client_id)
    rows = selectors.notes_overview(actor=actor, client=client)
    context = {"client": client, "rows": rows, "now": timezone.now()}
    return practice_render(request, membership, "records/client_notes.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_note(request: HttpRequest, membership: Membership, appointment_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    appointment = selectors.appointment_for_note(actor=actor, appointment_id=appointment_id)
    existing = getattr(appointment, "progress_note", None)
    if existing is not None:
        return redirect("records:note", note_id=existing.pk)
    form = NoteStartForm(request.POST or None, practice_templates=selectors.live_note_templates(appointment.client))
    if request.method == "POST" and form.is_valid():
        note = services.note_start(actor=actor, appointment_id=appointment.pk, template=form.cleaned_data["template"])
        return redirect("records:note", note_id=note.pk)
    context = {"appointment": appointment, "client": appointment.client, "form": form}
    return practice_render(request, membership, "records/note_start.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def note_page(request: HttpRequest, membership: Membership, note_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    note = selectors.note_for(actor=actor, note_id=note_id)
    form = NoteForm(request.POST or None, sections=note_sections(note), initial=note.sections or {})
    if request.method == "POST":
        if not form.is_valid():
            if request.headers.get("X-Autosave"):
                return JsonResponse({"saved": False}, status=422)
        elif "sign" in request.POST and not note.is_signed:
            try:
                services.note_sign(actor=actor, note_id=note.pk, sections=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Note signed. It can no longer be changed; add an addendum if needed."))
                return redirect("records:note", note_id=note.pk)
        else:
            sections = dict(form.cleaned_data)
            if "pull" in request.POST:
                _pull_scores(request, note, sections)
            saved = services.note_draft_save(actor=actor, note_id=note.pk, sections=sections)
            if saved.refused:
                messages.error(request, _("This note is signed and cannot be changed. Add an addendum instead."))
                status = 409
            else:
                status = 200
            if request.headers.get("X-Autosave"):
                when = fmt_datetime(saved.note.updated_at)
                return JsonResponse({"saved": not saved.refused, "at": when}, status=status)
            if not saved.refused:
                messages.success(request, _("Draft saved."))
            return redirect("records:note", note_id=note.pk)
    context = {
        "note": note,
        "client": note.client,
        "form": form,
        "sections": [(s, (note.sections or {}).get(s.code, "")) for s in note_sections(note)],
        "addendum_form": TextForm(),
        "may_sign": note.author_id == actor.pk,
    }
    return practice_render(request, membership, "records/note.html", context)


def _pull_scores(request: HttpRequest, note: ProgressNote, sections: dict[str, str]) -> None:
    """Add the client's latest questionnaire totals to the draft's measures section (the clinician's one click)."""
    line = selectors.scores_line(actor=signed_in(request.user), client=note.client)
    if not line:
        messages.info(request, _("No questionnaire scores to insert (none yet, or measures are not shared)."))
        return
    code = measures_section(note)
    sections[code] = f"{sections.get(code, '')}\n{line}".strip()


@staff_required
@require_POST
def note_addendum(request: HttpRequest, membership: Membership, note_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(actor=actor, note_id=note_id, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Addendum signed and added."))
    else:
        selectors.note_for(actor=actor, note_id=note_id)  # 404 for outsiders before saying anything
        messages.error(request, _("Write the addendum first."))
    return redirect("records:note", note_id=note_id)


@staff_required
@require_http_methods(["GET"])
def note_pdf(request: HttpRequest, membership: Membership, note_id: uuid.UUID) -> HttpResponse:
    """The note and its addenda as a PDF (WeasyPrint, every fetch refused), for the record or a lawful request."""
    from alongside.applibrary.paper import to_pdf

    note = selectors.note_for(actor=signed_in(request.user), note_id=note_id, exported=True)
    context = {
        "note": note,
        "client": note.client,
        "sections": [(s, (note.sections or {}).get(s.code, "")) for s in note_sections(note)],
        "printed": timezone.now(),
    }
    html = render_to_string("records/note_pdf.html", context, request=request)
    response = HttpResponse(to_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    day = note.appointment.starts_at.date()
    response["Content-Disposition"] = f'attachment; filename="progress-note-{day:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def private_notes(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    client = selectors.team_client(actor=actor, client_id=client_id)
    form = TextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.private_note_save(actor=actor, client=client, text=form.cleaned_data["text"])
        messages.success(request, _("Psychotherapy note saved. Only you can read it."))
        return redirect("records:private_notes", client_id=client.pk)
    notes = selectors.private_notes(actor=actor, client=client)
    return practice_render(
        request, membership, "records/private_notes.html", {"client": client, "notes": notes, "form": form}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def private_note(request: HttpRequest, membership: Membership, private_note_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    note = selectors.private_note_for(actor=actor, note_id=private_note_id)
    form = TextForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        services.private_note_save(actor=actor, client=note.client, text=form.cleaned_data["text"], note_id=note.pk)
        messages.success(request, _("Psychotherapy note saved. Only you can read it."))
        return redirect("records:private_notes", client_id=note.client_id)
    context = {
        "client": note.client,
        "note": note,
        "form": form,
        "disclosures": disclosures.for_note(actor=actor, note=note),
        "request_form": disclosure_views.RequestForm(),
    }
    return practice_render(request, membership, "records/private_note.html", context)


app_name = "records"
urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/notes/", client_notes, name="client_notes"),
    path("appointments/<uuid:appointment_id>/note/", appointment_note, name="appointment_note"),
    path("notes/<uuid:note_id>/", note_page, name="note"),
    path("notes/<uuid:note_id>/addendum/", note_addendum, name="note_addendum"),
    path("notes/<uuid:note_id>/note.pdf", note_pdf, name="note_pdf"),
    path("clients/<uuid:client_id>/private-notes/", private_notes, name="private_notes"),
    path("private-notes/<uuid:private_note_id>/", private_note, name="private_note"),
    *plan_views.urlpatterns,
    *disclosure_views.urlpatterns,
    *template_views.urlpatterns,
]

__all__ = ["app_name", "urlpatterns"]
