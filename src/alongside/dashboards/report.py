"""A client's progress report for the care team: scores with bands and reliable change, the combined chart of
measures, mood and sessions, for a period, as a page and as a PDF (WeasyPrint, which fetches nothing).

Every read goes through the owning app's selector (care team and sharing scopes checked there); the download is
audited with ids and the period only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.practice_settings import clients_see_results
from alongside.measures import selectors as measures_selectors
from alongside.measures.charts.combined import combined_chart
from alongside.measures.progress import InstrumentProgress, progress_build
from alongside.selfcare import selectors as selfcare_selectors
from alongside.selfcare.checkin_chart import daily_moods
from alongside.sessions.models import AppointmentStatus
from alongside.sessions.selectors import appointments_for_client

PERIODS = (28, 90, 182, 365)
DEFAULT_DAYS = 90


class ReportAuditAction(models.TextChoices):
    """Audit events of the progress report (``detail``: the format and the period, never client data)."""

    REPORT_DOWNLOADED = "dashboards.report_downloaded", _("Downloaded a progress report")


@dataclass
class Report:
    client: ClientProfile
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    shares_measures: bool
    shares_mood: bool
    instruments: list[InstrumentProgress] = field(default_factory=list)
    sessions: int = 0
    mood_days: int = 0
    combined: SafeString | None = None


def _in_period(item: InstrumentProgress, start: dt.date, end: dt.date) -> bool:
    return item.series is not None and any(
        start <= (p.at.date() if isinstance(p.at, dt.datetime) else p.at) <= end for p in item.series.points
    )


def _own(actor: Actor) -> bool:
    return bool(getattr(actor, "is_client", False))


def report_build(*, actor: Actor, client_id: uuid.UUID | str, days: int, now: dt.datetime) -> Report:
    """Gather a client's progress over the last ``days`` days for a clinician on their care team, or for the client
    themself (404 otherwise). The client's own report leaves out the early-warning model's range, and their scores
    when the practice does not show clients their results."""
    end = now.date()
    start = end - dt.timedelta(days=days - 1)
    if _own(actor):
        client = measures_selectors.measures_client(user=actor, client_id=client_id)
        report = Report(client, start, end, now, clients_see_results(client.practice_id), True)
    else:
        team = measures_selectors.team_client(user=actor, client_id=client_id)
        mood = selfcare_selectors.mood_client(user=actor, client_id=client_id)
        report = Report(team.client, start, end, now, team.shares_measures, mood.shares_mood)
    if report.shares_measures:
        built = progress_build(
            scores=measures_selectors.scores_for(user=actor, client_id=client_id),
            responses=measures_selectors.responses_for(user=actor, client_id=client_id),
            practice=report.client.practice_id,
            expected=not _own(actor),
        )
        report.instruments = [item for item in built if _in_period(item, start, end)]
    moods: list[tuple[dt.date, float]] = []
    if report.shares_mood:
        rows = selfcare_selectors.checkins_for(user=actor, client_id=client_id, since=start)
        moods = daily_moods((row.local_date, row.mood) for row in rows if row.mood is not None)
    _client, appointments = appointments_for_client(actor=actor, client_id=client_id)
    attended = [
        a.starts_at.date()
        for a in appointments
        if a.status == AppointmentStatus.ATTENDED and start <= a.starts_at.date() <= end
    ]
    report.sessions, report.mood_days = len(attended), len(moods)
    series = [item.series for item in report.instruments if item.series is not None]
    if series or moods:
        report.combined = combined_chart(series, moods=moods, sessions=attended, start=start, end=end)
    return report


def report_downloaded(*, actor: Actor, report: Report, kind: str) -> None:
    """Audit a download of the report (the format and the period; nothing from the record)."""
    record(
        ReportAuditAction.REPORT_DOWNLOADED,
        actor=actor,
        obj=report.client,
        client_id=report.client.pk,
        detail={"format": kind, "start": report.start.isoformat(), "end": report.end.isoformat()},
    )


def to_pdf(html: str) -> bytes:
    """Render the report's HTML to PDF with a fetcher that refuses every URL (no request to any host)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: it loads Pango, only this view needs it
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    class NoFetch(URLFetcher):  # type: ignore[misc]
        """Refuse every fetch: the report carries its own style and inline SVG."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"progress report: no fetching {url}")

    pdf: bytes = HTML(string=html, base_url="about:blank", url_fetcher=NoFetch()).write_pdf()
    return pdf
