"""Practice pages that read several apps: the caseload, a client's record, the consent editor.

They are served under /practice/ in the care namespace (see alongside.urls); care sits below
the apps they read, so it does not import them.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.forms import ConsentDocumentForm
from alongside.care.models import Membership
from alongside.care.selectors import practice_staff
from alongside.care.views import admin_required, practice_render, staff_required
from alongside.consent.selectors import consent_documents_of
from alongside.consent.services import consent_document_publish
from alongside.core.actor import signed_in
from alongside.dashboards.caseload import CaseloadShow, CaseloadSort, caseload_for
from alongside.dashboards.client_record import client_record_for
from alongside.dashboards.contributions import caseload_cells
from alongside.measures.caseload_display import caseload_lines


@staff_required
def caseload(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Show who needs attention today and why, then every client of the practice for admins."""
    sort = request.GET.get("sort", CaseloadSort.ATTENTION)
    show = request.GET.get("show", CaseloadShow.ALL)
    sort = sort if sort in CaseloadSort.values else CaseloadSort.ATTENTION
    show = show if show in CaseloadShow.values else CaseloadShow.ALL
    query = request.GET.get("q", "").strip()[:100]
    load = caseload_for(user=request.user, sort=sort, show=show, membership=membership, query=query)
    columns, cells = caseload_cells([row.client for row in load.rows], timezone.now())
    lines = caseload_lines(load.rows, cells=cells)
    return practice_render(
        request,
        membership,
        "care/caseload.html",
        {
            "own": load.own,
            "lines": lines,
            "extra_columns": columns,
            "total": load.total,
            "everyone": load.practice,
            "sort": sort,
            "show": show,
            "query": query,
            "sorts": CaseloadSort.choices,
            "shows": CaseloadShow.choices,
        },
    )


@staff_required
def client_detail(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Show a client's administrative record (audited)."""
    record = client_record_for(user=request.user, client_id=client_id)
    return practice_render(
        request,
        membership,
        "care/client_detail.html",
        {
            "record": record,
            "can_erase": membership.is_admin and membership.practice_id == record.client.practice_id,
            "practice_staff": practice_staff(practice_id=record.client.practice_id) if record.can_manage else [],
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def consent_editor(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Show every version of the practice's consent text and publish a new one (admins only)."""
    documents = consent_documents_of(practice=membership.practice)
    current = documents[0] if documents else None
    initial = {"title": current.title, "body": current.body} if current else {}
    form = ConsentDocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = consent_document_publish(
                practice=membership.practice, actor=signed_in(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Version %(version)d is published. Clients will be asked to sign it when they next open Alongside.")
                % {"version": document.version},
            )
            return redirect("care:consent_editor")
    return practice_render(request, membership, "care/consent_editor.html", {"form": form, "documents": documents})


# Appended to the care namespace by alongside.urls.
urlpatterns = [
    path("clients/", caseload, name="caseload"),
    path("clients/<uuid:client_id>/", client_detail, name="client_detail"),
    path("consent-document/", consent_editor, name="consent_editor"),
]
