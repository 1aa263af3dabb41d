"""Bringing mood-app exports in (the client, with a preview) and editing app evaluations (practice staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.applibrary import selectors, services
from alongside.applibrary.importers import PARSERS
from alongside.applibrary.importers.csv_reading import AmbiguousDates, ImportProblem
from alongside.applibrary.models import Answer, ImportSource
from alongside.applibrary.vocab import QUESTIONS
from alongside.care.models import Membership
from alongside.care.views import client_required, practice_render, staff_required
from alongside.core.actor import signed_in

MAX_BYTES = 2 * 1024 * 1024
PREVIEW_ROWS = 10


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Which app is the file from?"), choices=ImportSource.choices)
    file = forms.FileField(label=gettext_lazy("The CSV file the app exported"), required=False)
    text = forms.CharField(required=False, widget=forms.HiddenInput)  # the previewed file, sent back to confirm
    order = forms.ChoiceField(
        label=gettext_lazy("How are the dates written?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("day_first", gettext_lazy("Day first (31/01/2026)")),
            ("month_first", gettext_lazy("Month first (01/31/2026)")),
        ],
    )

    def csv_text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return str(self.cleaned_data.get("text") or "")
        if upload.size > MAX_BYTES:
            raise ImportProblem(_("The file is larger than 2 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportProblem(_("The file is not UTF-8 text: export it again as CSV.")) from None


@client_required
@require_http_methods(["GET", "POST"])
def my_imports(request: HttpRequest) -> HttpResponse:
    client, entries = selectors.imported_entries(actor=signed_in(request.user), client_id=str(request.user.pk))
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "entries": entries, "columns": {k: v[1] for k, v in PARSERS.items()}}
    if request.method == "POST" and form.is_valid():
        source, order = form.cleaned_data["source"], form.cleaned_data["order"] or None
        try:
            text = form.csv_text()
            rows = services.entries_read(source=source, text=text, order=order)
        except AmbiguousDates:
            context.update(ambiguous=True, text=text, source=source)
        except ImportProblem as problem:
            form.add_error(None, str(problem))
        else:
            if "confirm" in request.POST:
                summary = services.entries_import(
                    actor=signed_in(request.user), client=client, source=source, text=text, order=order
                )
                messages.success(
                    request,
                    _("Imported %(added)d entries; %(already)d were already here.")
                    % {"added": summary.added, "already": summary.already},
                )
                return redirect("applibrary:my_imports")
            already = services.entries_already(client=client, source=source, rows=rows)
            context.update(
                preview=rows[:PREVIEW_ROWS],
                total=len(rows),
                new=sum(1 for row in rows if row.key not in already),
                first=min((r.day for r in rows), default=None),
                last=max((r.day for r in rows), default=None),
                text=text,
                source=source,
                order=order or "",
            )
    return render(request, "applibrary/imports.html", context)


def _evaluation_form(view: selectors.AppView, data: Any = None) -> forms.Form:
    form = forms.Form(data)
    today = timezone.localdate()
    review = view.evaluation.review_by if view.evaluation and view.evaluation.review_by >= today else None
    form.fields["review_by"] = forms.DateField(
        label=gettext_lazy("Check again by"),
        initial=review,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    for question in QUESTIONS:
        found = view.answers.get(question.code)
        code = question.code
        form.fields[f"answer_{code}"] = forms.ChoiceField(
            label=str(question.text), choices=Answer.choices, initial=found.answer if found else Answer.UNKNOWN
        )
        form.fields[f"url_{code}"] = forms.URLField(
            label=gettext_lazy("Evidence link"), required=False, initial=found.evidence_url if found else ""
        )
        form.fields[f"checked_{code}"] = forms.DateField(
            label=gettext_lazy("Date checked"),
            required=False,
            initial=found.checked_on if found and found.evidence_url else None,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        form.fields[f"note_{code}"] = forms.CharField(
            label=gettext_lazy("Note"), required=False, max_length=500, initial=found.note if found else ""
        )
    return form


@staff_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, membership: Membership, app_slug: str) -> HttpResponse:
    view = selectors.app_view(slug=app_slug)
    form = _evaluation_form(view, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = [
            services.AnswerChange(
                question=q.code,
                answer=data[f"answer_{q.code}"],
                evidence_url=data[f"url_{q.code}"],
                checked_on=data[f"checked_{q.code}"],
                note=data[f"note_{q.code}"],
            )
            for q in QUESTIONS
        ]
        try:
            evaluation = services.evaluation_revise(
                actor=signed_in(request.user), app_slug=app_slug, changes=changes, review_by=data["review_by"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved as evaluation version %(v)d.") % {"v": evaluation.version})
            return redirect("applibrary:app", app_slug=app_slug)
    rows = [
        (q, form[f"answer_{q.code}"], form[f"url_{q.code}"], form[f"checked_{q.code}"], form[f"note_{q.code}"])
        for q in QUESTIONS
    ]
    context = {"view": view, "form": form, "rows": rows, "history": selectors.evaluation_history(slug=app_slug)}
    return practice_render(request, membership, "applibrary/evaluation_edit.html", context)


urlpatterns: list[URLPattern] = [
    path("my-imports/", my_imports, name="my_imports"),
    path("library/<slug:app_slug>/evaluate/", evaluation_edit, name="evaluation_edit"),
]
