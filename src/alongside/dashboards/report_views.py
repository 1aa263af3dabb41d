"""A client's progress report for the care team: a page to pick the period, and the PDF. Thin: the report is
gathered by :func:`alongside.dashboards.report.report_build` through each app's selectors."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from alongside.care.models import Membership
from alongside.care.views import client_required, staff_required
from alongside.core.actor import signed_in
from alongside.dashboards.report import DEFAULT_DAYS, PERIODS, report_build, report_downloaded, to_pdf


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


@staff_required
@require_GET
def progress_report(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Show the report on screen, with the period to choose and the PDF to download."""
    report = report_build(actor=signed_in(request.user), client_id=client_id, days=_days(request), now=timezone.now())
    context = {"membership": membership, "report": report, "client": report.client, "periods": PERIODS}
    return render(request, "dashboards/report.html", {**context, "days": _days(request)})


@staff_required
@require_GET
def progress_report_pdf(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """The same report as a PDF, in the reader's language; the download is audited."""
    return _pdf_response(request, client_id)


def _pdf_response(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    report = report_build(actor=actor, client_id=client_id, days=_days(request), now=timezone.now())
    context = {"report": report, "lang": get_language(), "own": getattr(request.user, "is_client", False)}
    html = render_to_string("dashboards/report_pdf.html", context, request=request)
    pdf = to_pdf(html)
    report_downloaded(actor=actor, report=report, kind="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="progress-{report.end.isoformat()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@client_required
@require_GET
def own_report(request: HttpRequest) -> HttpResponse:
    """The client's own progress report on screen, with the PDF to download."""
    client_id = uuid.UUID(str(request.user.pk))
    report = report_build(actor=signed_in(request.user), client_id=client_id, days=_days(request), now=timezone.now())
    context = {"report": report, "client": report.client, "periods": PERIODS, "days": _days(request), "own": True}
    return render(request, "dashboards/report.html", context)


@client_required
@require_GET
def own_report_pdf(request: HttpRequest) -> HttpResponse:
    """The client's own progress report as a PDF (audited like the care team's download)."""
    return _pdf_response(request, uuid.UUID(str(request.user.pk)))


own_urlpatterns = [
    path("report/", own_report, name="own_report"),
    path("report.pdf", own_report_pdf, name="own_report_pdf"),
]

urlpatterns = [
    path("clients/<uuid:client_id>/report/", progress_report, name="progress_report"),
    path("clients/<uuid:client_id>/report.pdf", progress_report_pdf, name="progress_report_pdf"),
]
