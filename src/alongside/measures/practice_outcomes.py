"""Practice outcomes over finished episodes: NHS Talking Therapies rates by clinician and by quarter.

An episode counts when it has ended and has at least two PHQ-9 and two GAD-7 scores within its dates; its
outcome is :func:`library.paired_outcome` of the first and last of each. A client not at caseness at the start
has no recovery outcome: they leave the recovery and reliable recovery denominators but stay in the
improvement and deterioration ones. Only clients who share questionnaires (MEASURES) are counted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from alongside.care.models import CareTeamMember, Episode, Practice
from alongside.consent.models import Scope, ScopeGrant
from alongside.measures import library
from alongside.measures.models import MeasureScore


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class EpisodeOutcome:
    episode_id: uuid.UUID
    clinician: str
    period: str
    outcome: dict[str, bool | None]


@dataclass
class OutcomeGroup:
    """Counts over a group of finished episodes with paired scores."""

    label: str
    episodes: int = 0
    at_caseness: int = 0
    recovered: int = 0
    improved: int = 0
    reliably_recovered: int = 0
    deteriorated: int = 0

    def add(self, outcome: dict[str, bool | None]) -> None:
        self.episodes += 1
        if outcome["caseness_start"]:
            self.at_caseness += 1
        self.recovered += bool(outcome["recovery"])
        self.improved += bool(outcome["reliable_improvement"])
        self.reliably_recovered += bool(outcome["reliable_recovery"])
        self.deteriorated += bool(outcome["reliable_deterioration"])

    @property
    def rates(self) -> list[Rate]:
        """Recovery, reliable improvement, reliable recovery and reliable deterioration, in that order."""
        return [self.recovery, self.reliable_improvement, self.reliable_recovery, self.reliable_deterioration]

    @property
    def recovery(self) -> Rate:
        return Rate(self.recovered, self.at_caseness)

    @property
    def reliable_improvement(self) -> Rate:
        return Rate(self.improved, self.episodes)

    @property
    def reliable_recovery(self) -> Rate:
        return Rate(self.reliably_recovered, self.at_caseness)

    @property
    def reliable_deterioration(self) -> Rate:
        return Rate(self.deteriorated, self.episodes)


@dataclass
class OutcomeReport:
    practice: OutcomeGroup
    by_clinician: list[OutcomeGroup] = field(default_factory=list)
    by_quarter: list[OutcomeGroup] = field(default_factory=list)
    finished: int = 0
    unpaired: int = 0
    not_shared: int = 0


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _first_last(totals: list[tuple[dt.date, float | None]]) -> tuple[int, int] | None:
    values = [t for _, t in totals if t is not None]
    if len(values) < 2 or not all(float(v).is_integer() for v in (values[0], values[-1])):
        return None
    return int(values[0]), int(values[-1])


def outcome_report(*, practice: Practice) -> OutcomeReport:
    """Return the practice's outcome rates over finished episodes, in four queries."""
    zone = ZoneInfo(practice.time_zone or "UTC")
    episodes = list(
        Episode.objects.filter(client__practice=practice, ended_on__isnull=False)
        .order_by("ended_on")
        .values("id", "client_id", "started_on", "ended_on")
    )
    client_ids = {e["client_id"] for e in episodes}
    shared = set(
        ScopeGrant.objects.filter(client_id__in=client_ids, scope=Scope.MEASURES, granted=True).values_list(
            "client_id", flat=True
        )
    )
    scores: dict[tuple[uuid.UUID, str], list[tuple[dt.date, float | None]]] = {}
    for client_id, code, scored_at, total in (
        MeasureScore.objects.filter(client_id__in=shared, instrument__in=("phq9", "gad7"))
        .order_by("scored_at")
        .values_list("client_id", "instrument", "scored_at", "total")
    ):
        scores.setdefault((client_id, code), []).append((scored_at.astimezone(zone).date(), total))
    primaries: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for member in (
        CareTeamMember.objects.filter(client_id__in=client_ids, is_primary=True)
        .order_by("started_at")
        .values("client_id", "clinician_id", "clinician__name", "clinician__email", "started_at", "ended_at")
    ):
        primaries.setdefault(member["client_id"], []).append(dict(member))

    report = OutcomeReport(practice=OutcomeGroup(_("Whole practice")), finished=len(episodes))
    by_clinician: dict[uuid.UUID | None, OutcomeGroup] = {}
    by_quarter: dict[str, OutcomeGroup] = {}
    for episode in episodes:
        client_id, ended_on = episode["client_id"], episode["ended_on"]
        assert ended_on is not None
        if client_id not in shared:
            report.not_shared += 1
            continue
        pairs = [_in_episode(scores.get((client_id, c), []), episode["started_on"], ended_on) for c in ("phq9", "gad7")]
        phq9, gad7 = (_first_last(p) for p in pairs)
        if phq9 is None or gad7 is None:
            report.unpaired += 1
            continue
        outcome = library.paired_outcome(phq9[0], phq9[1], gad7[0], gad7[1])
        clinician_id, clinician = _primary_at(primaries.get(client_id, []), ended_on, zone)
        period = quarter_of(ended_on)
        report.practice.add(outcome)
        by_clinician.setdefault(clinician_id, OutcomeGroup(clinician)).add(outcome)
        by_quarter.setdefault(period, OutcomeGroup(period)).add(outcome)
    report.by_clinician = sorted(by_clinician.values(), key=lambda g: g.label.casefold())
    report.by_quarter = sorted(by_quarter.values(), key=lambda g: g.label)
    return report


def _in_episode(
    totals: Iterable[tuple[dt.date, float | None]], started_on: dt.date, ended_on: dt.date
) -> list[tuple[dt.date, float | None]]:
    return [(day, total) for day, total in totals if started_on <= day <= ended_on]


def _primary_at(members: list[dict[str, Any]], day: dt.date, zone: ZoneInfo) -> tuple[uuid.UUID | None, str]:
    """Name the primary clinician on the episode's last day (the latest primary before it, failing that)."""

    def starts_by(member: dict[str, Any]) -> bool:
        return bool(member["started_at"].astimezone(zone).date() <= day)

    def lasts_until(member: dict[str, Any]) -> bool:
        return member["ended_at"] is None or member["ended_at"].astimezone(zone).date() >= day

    covering = [m for m in members if starts_by(m) and lasts_until(m)]
    before = [m for m in members if starts_by(m)]
    candidates = covering or before or members
    if not candidates:
        return None, _("No primary clinician")
    chosen = candidates[-1]
    return chosen["clinician_id"], str(chosen["clinician__name"] or chosen["clinician__email"])
