"""The session brief's questionnaire and alert sections, registered in core.page_parts (dashboards shows them)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core import page_parts
from alongside.core.actor import Actor
from alongside.core.page_parts import change_words


@dataclass(frozen=True)
class InstrumentLine:
    """One questionnaire: the latest score, its band and its change since the last session and since baseline."""

    code: str
    name: str
    latest: float
    latest_at: dt.datetime
    band: str
    new_in_period: int  # scores since the last session
    before_period: float | None  # the last score before the period
    baseline: float
    count: int
    reliable: str | None  # 'improved', 'deteriorated' or None (from baseline)

    @property
    def change_since_session(self) -> float | None:
        if not self.new_in_period or self.before_period is None:
            return None
        return self.latest - self.before_period

    @property
    def change_since_baseline(self) -> float | None:
        return self.latest - self.baseline if self.count > 1 else None

    @property
    def since_session_words(self) -> str:
        if not self.new_in_period:
            return _("no new score")
        if self.before_period is None:
            return _("first score")
        return change_words(self.change_since_session)

    @property
    def since_baseline_words(self) -> str:
        return change_words(self.change_since_baseline) if self.count > 1 else _("this is the baseline")

    @property
    def reliable_label(self) -> str:
        if self.count < 2:
            return _("Baseline only")
        if self.reliable == "improved":
            return _("Reliable improvement")
        if self.reliable == "deteriorated":
            return _("Reliable deterioration")
        return _("No reliable change")


@dataclass(frozen=True)
class AlertLine:
    id: uuid.UUID
    source: str
    instrument: str
    items: list[int]
    created_at: dt.datetime
    status: str
    status_label: str
    acknowledged_by: str
    acknowledged_at: dt.datetime | None
    in_period: bool


def questionnaires(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[InstrumentLine]:
    from alongside.measures import library
    from alongside.measures.caseload import reliable_direction
    from alongside.measures.selectors import score_points_for

    by_code: dict[str, list[Any]] = {}
    for score in score_points_for(user=actor, client_id=client.pk):  # totals only, no responses
        by_code.setdefault(score.instrument, []).append(score)
    lines = []
    for code, scores in by_code.items():
        try:
            name = library.get(code).short_name
        except KeyError:
            name = code
        before = [s for s in scores if s.scored_at < since]
        latest, first = scores[-1], scores[0]
        lines.append(
            InstrumentLine(
                code=code,
                name=name,
                latest=float(latest.total),
                latest_at=latest.scored_at,
                band=latest.severity,
                new_in_period=len(scores) - len(before),
                before_period=float(before[-1].total) if before else None,
                baseline=float(first.total),
                count=len(scores),
                reliable=reliable_direction(code, first.total, latest.total) if len(scores) > 1 else None,
            )
        )
    return sorted(lines, key=lambda line: line.name)


def alerts(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[AlertLine]:
    from alongside.measures.selectors import alerts_for_client

    rows = alerts_for_client(user=actor, client_id=client.pk, since=since)
    lines = []
    for alert in rows:
        by = alert.acknowledged_by
        lines.append(
            AlertLine(
                id=alert.pk,
                source=alert.get_source_display(),
                instrument=alert.instrument,
                items=list(alert.items or []),
                created_at=alert.created_at,
                status=alert.status,
                status_label=alert.get_status_display(),
                acknowledged_by=by.display_name if by is not None else "",
                acknowledged_at=alert.acknowledged_at,
                in_period=alert.created_at >= since,
            )
        )
    return lines


def register() -> None:
    """Register the brief's questionnaires (measures scope) and alerts (always) sections (from MeasuresConfig.ready)."""
    page_parts.register_brief_part(page_parts.BriefPart("questionnaires", Scope.MEASURES, questionnaires))
    page_parts.register_brief_part(page_parts.BriefPart("alerts", None, alerts))
