"""The progress report: a page and a PDF of a client's scores, combined chart, mood and sessions, for the care team."""

from __future__ import annotations

import io
import socket
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from alongside.audit.models import AuditEvent
from alongside.dashboards.report import to_pdf
from alongside.measures.charts import Band, Point, Series
from alongside.measures.charts.combined import combined_chart
from tests.measures.support_staff import add_history

START = date(2026, 9, 7)


def _series(code: str, title: str, top: float, values: list[float]) -> Series:
    return Series(
        instrument=code,
        title=title,
        unit="",
        min_value=0,
        max_value=top,
        bands=(Band("low", 0, top / 2), Band("high", top / 2 + 1, top)),
        caseness=None,
        baseline=values[0],
        points=tuple(Point(START + timedelta(days=14 * i), v) for i, v in enumerate(values)),
    )


def test_combined_chart_gives_each_measure_its_own_panel_and_scale_on_one_time_axis():
    """PHQ-9 (0-27) and GAD-7 (0-21) in two panels with their own ranges, a mood panel, and two session lines;
    the same date falls at the same x in every panel."""
    phq9, gad7 = _series("phq9", "PHQ-9", 27, [18, 14, 9]), _series("gad7", "GAD-7", 21, [12, 10, 6])
    svg = combined_chart(
        [phq9, gad7],
        moods=[(START, 4.0), (START + timedelta(days=28), 7.0)],
        sessions=[START, START + timedelta(days=14)],
        start=START,
        end=START + timedelta(days=28),
    )
    root = ET.fromstring(str(svg))
    panels = [e for e in root.iter() if e.get("class") == "combined-panel"]
    assert len(panels) == 3
    text = "".join(root.itertext())
    assert "27" in text
    assert "21" in text
    assert "Mood (0-10)" in text
    assert len([e for e in root.iter() if e.get("class") == "combined-session"]) == 2
    first_x = {
        panel_index: float(next(c for c in panel.iter() if c.get("class") == "chart-point").get("cx"))
        for panel_index, panel in enumerate(panels)
    }
    assert len(set(first_x.values())) == 1  # aligned in time
    assert "2 measures (PHQ-9, GAD-7)" in root.find("{http://www.w3.org/2000/svg}desc").text


def test_pdf_fetches_nothing_from_another_host(monkeypatch):
    """An outside image and style sheet in the report's HTML are refused by the url fetcher: no name is looked up
    and no socket connects, and the PDF is still made."""
    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = '<p>Report</p><img src="https://example.org/t.png"><link rel="stylesheet" href="http://x.test/a.css">'
    pdf = to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert attempts == []


@pytest.fixture
def sam_progress(world):
    add_history(world.sam, "phq9", [19, 15, 11, 8])
    add_history(world.sam, "gad7", [14, 9])
    return world


@pytest.mark.django_db
def test_clinician_downloads_the_progress_report_as_a_pdf(sam_progress, staff_client):
    """Alice downloads Sam's report: a PDF with his name, the period, both measures and their scores; audited."""
    world = sam_progress
    response = staff_client(world.alice).get(reverse("care:progress_report_pdf", args=[world.sam.pk]) + "?days=90")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert world.sam.preferred_name in text
    assert "PHQ-9" in text
    assert "GAD-7" in text
    assert "Measures, mood and sessions" in text
    assert "Reliable change" in text
    event = AuditEvent.objects.filter(action="dashboards.report_downloaded").get()
    assert event.client_id == world.sam.pk
    assert event.detail["format"] == "pdf"


@pytest.mark.django_db
def test_report_in_spanish_formats_dates_in_spanish(sam_progress, staff_client):
    """With Spanish chosen, the PDF's dates are Spanish ("de" between day, month and year)."""
    world = sam_progress
    web = staff_client(world.alice)
    web.cookies["django_language"] = "es"
    response = web.get(reverse("care:progress_report_pdf", args=[world.sam.pk]), HTTP_ACCEPT_LANGUAGE="es")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert " de " in text


@pytest.mark.django_db
def test_report_page_shows_charts_and_links_the_pdf(sam_progress, staff_client):
    """The on-screen report shows the combined chart, each measure's chart and table, and the PDF link."""
    world = sam_progress
    body = staff_client(world.alice).get(reverse("care:progress_report", args=[world.sam.pk])).content.decode()
    assert "combined-chart" in body
    assert body.count('class="measure-table"') == 2
    assert reverse("care:progress_report_pdf", args=[world.sam.pk]) in body
    assert " style=" not in body
    assert not AuditEvent.objects.filter(action="dashboards.report_downloaded").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "carol"])
def test_outsiders_get_404_on_the_report(sam_progress, staff_client, who):
    """Bob (same practice, not on the care team) and Carol (another practice) get 404 for page and PDF."""
    world = sam_progress
    web = staff_client(getattr(world, who))
    assert web.get(reverse("care:progress_report", args=[world.sam.pk])).status_code == 404
    assert web.get(reverse("care:progress_report_pdf", args=[world.sam.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="dashboards.report_downloaded").exists()


@pytest.mark.django_db
def test_client_downloads_their_own_report_without_the_risk_range(sam_progress, client):
    """Sam opens his own report and downloads the PDF: his scores and reliable change, no early-warning range;
    the download is audited."""
    world = sam_progress
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page = client.get(reverse("reports:own_report")).content.decode()
    assert "combined-chart" in page
    assert "chart-interval" in page
    assert "chart-expected" not in page
    assert reverse("reports:own_report_pdf") in page
    response = client.get(reverse("reports:own_report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "PHQ-9" in text
    assert "Grey band" not in text
    assert AuditEvent.objects.filter(action="dashboards.report_downloaded", client_id=world.sam.pk).count() == 1


@pytest.mark.django_db
def test_staff_cannot_open_the_client_report_routes(sam_progress, staff_client):
    """The client's own routes are for clients: Alice is refused."""
    assert staff_client(sam_progress.alice).get(reverse("reports:own_report")).status_code in (403, 404)
