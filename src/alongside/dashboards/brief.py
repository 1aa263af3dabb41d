"""The one-page session brief: what changed for a client since their last session.

Every section reads through its own app's selectors, which check access again; a section
the client does not share says so, and a section that fails to load is logged and shown as
such instead of failing the page (the brief uses whatever of the other capabilities exists).
The whole view is audited as one ``sessions.brief_viewed`` event; the selectors' own audits
of the reads (scores, check-ins, exercises) are written as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core.actor import Actor, SignedIn
from alongside.core.formatting import fmt_date, fmt_number
from alongside.core.time import zone_or_utc as _zone
from alongside.sessions.models import Appointment, SessionsAuditAction
from alongside.sessions.selectors import last_session_before, next_session

logger = logging.getLogger(__name__)

DEFAULT_PERIOD = dt.timedelta(days=14)  # without an earlier session, the brief covers two weeks
SPARK_W, SPARK_H, SPARK_PAD = 160, 36, 3
MOOD_MAX = 10


class State(StrEnum):
    SHOWN = "shown"
    NOT_SHARED = "not_shared"
    FAILED = "failed"


@dataclass(frozen=True)
class Section[T]:
    """One section of the brief: its data, or why it is not shown."""

    state: State
    data: T | None = None

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN

    @property
    def not_shared(self) -> bool:
        return self.state == State.NOT_SHARED

    @property
    def failed(self) -> bool:
        return self.state == State.FAILED


def number(value: float) -> str:
    """Return a score as people write it: 12, 12.5 (12,5 in Spanish)."""
    return fmt_number(value, 1)


def change_words(value: float | None) -> str:
    """Say a change in words: "down 4", "up 2.5", "no change"."""
    if value is None:
        return "—"
    if value > 0:
        return _("up %(n)s") % {"n": number(value)}
    if value < 0:
        return _("down %(n)s") % {"n": number(-value)}
    return _("no change")


# --- Section data -------------------------------------------------------------------------


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
class Mood:
    checkins: int
    days: int
    period_days: int
    average: float | None
    previous_average: float | None
    sparkline: str  # SVG polyline points, one per day with a check-in
    daily: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous_average is None:
            return None
        return round(self.average - self.previous_average, 1)

    @property
    def change_words(self) -> str:
        return change_words(self.change) if self.change is not None else _("no earlier check-ins to compare")

    @property
    def description(self) -> str:
        """The sparkline in words, for its text alternative."""
        if not self.daily:
            return _("No check-ins in this period.")
        values = ", ".join(f"{fmt_date(day, 'day_month')}: {fmt_number(value, 1)}" for day, value in self.daily)
        return _("Daily mood out of 10 since the last session: %(values)s.") % {"values": values}


@dataclass(frozen=True)
class Exercises:
    completed: list[tuple[str, int]]  # (label, count) of exercises completed in the period
    tools: list[tuple[str, int]]  # (label, count) of relaxation tool practice in the period
    homework_expected: int
    homework_completed: int

    @property
    def adherence(self) -> int | None:
        if not self.homework_expected:
            return None
        return round(100 * self.homework_completed / self.homework_expected)


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


@dataclass(frozen=True)
class TopicLine:
    text: str
    source_label: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Messages:
    awaiting_reply: bool
    unanswered: int  # client messages after the care team's latest reply
    waiting_since: dt.datetime | None
    from_client_in_period: int


@dataclass(frozen=True)
class Brief:
    client: ClientProfile
    generated_at: dt.datetime
    since: dt.datetime
    last_session: Appointment | None
    next_session: Appointment | None
    questionnaires: Section[list[InstrumentLine]]
    mood: Section[Mood]
    exercises: Section[Exercises]
    alerts: Section[list[AlertLine]]
    topics: Section[list[TopicLine]]
    messages: Section[Messages]

    @property
    def period_days(self) -> int:
        """Calendar days since the last session, in the practice's time zone ("7 days ago")."""
        zone = _zone(self.client.practice.time_zone)
        return max(1, (self.generated_at.astimezone(zone).date() - self.since.astimezone(zone).date()).days)


# --- Sections -----------------------------------------------------------------------------


def _section[T](name: str, shared: bool, build: Callable[[], T]) -> Section[T]:
    if not shared:
        return Section(State.NOT_SHARED)
    try:
        return Section(State.SHOWN, build())
    except Http404:
        # Access changed between the checks (a scope revoked, the care team changed).
        return Section(State.NOT_SHARED)
    except Exception:  # the brief shows what it can; one broken section never fails the page
        logger.exception("session brief: the %s section could not be loaded", name)
        return Section(State.FAILED)


def _questionnaires(actor: Actor, client: ClientProfile, since: dt.datetime) -> list[InstrumentLine]:
    from alongside.measures import library
    from alongside.measures.caseload import reliable_direction
    from alongside.measures.selectors import scores_for

    by_code: dict[str, list[Any]] = {}
    for score in scores_for(user=actor, client_id=client.pk):
        if score.total is not None:
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


def _sparkline(daily: list[tuple[dt.date, float]], start: dt.date, days: int) -> str:
    if not daily:
        return ""
    step = (SPARK_W - 2 * SPARK_PAD) / max(days - 1, 1)
    points = []
    for day, value in daily:
        x = SPARK_PAD + min((day - start).days, days - 1) * step
        y = SPARK_PAD + (MOOD_MAX - value) * (SPARK_H - 2 * SPARK_PAD) / MOOD_MAX
        points.append(f"{x:.1f},{y:.1f}")
    if len(points) == 1:  # one day: draw a short flat line so it is visible
        first_x, first_y = points[0].split(",")
        points.append(f"{float(first_x) + 2:.1f},{first_y}")
    return " ".join(points)


def _mood(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Mood:
    from alongside.selfcare.selectors import client_today, moods_for
    from alongside.selfcare.services.checkins import local_date_for

    length = now - since
    earliest = local_date_for(client, since - length)
    rows = moods_for(user=actor, client_id=client.pk, since=earliest)  # times and moods only: nothing to decrypt
    current = [c for c in rows if since <= c.at <= now]
    previous = [c for c in rows if since - length <= c.at < since]
    by_day: dict[dt.date, list[int]] = {}
    for c in current:
        by_day.setdefault(c.local_date, []).append(c.mood)
    daily = [(day, round(sum(v) / len(v), 1)) for day, v in sorted(by_day.items())]
    start, today = local_date_for(client, since), client_today(client, now)
    span = (today - start).days + 1

    def mean(items: list[Any]) -> float | None:
        return round(sum(c.mood for c in items) / len(items), 1) if items else None

    return Mood(
        checkins=len(current),
        days=len(by_day),
        period_days=span,
        average=mean(current),
        previous_average=mean(previous),
        sparkline=_sparkline(daily, start, span),
        daily=daily,
    )


def _exercises(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Exercises:
    from alongside.selfcare.models import EntryStatus, ExerciseType
    from alongside.selfcare.selectors import exercises_for
    from alongside.selfcare.selectors.adherence import homework_adherence_between

    seen = exercises_for(user=actor, client_id=client.pk)
    if not seen.shares:
        raise Http404("Not shared.")
    done = Counter(
        str(ExerciseType(e.kind).label) if e.kind in ExerciseType.values else e.kind
        for e in seen.entries
        if e.status == EntryStatus.COMPLETE and e.completed_at is not None and since <= e.completed_at <= now
    )
    tools = Counter(str(use.tool.title) for use in seen.tools if since <= use.log.at <= now and use.log.done)
    adherence = homework_adherence_between(user=actor, client_id=client.pk, since=since, now=now)
    return Exercises(
        completed=sorted(done.items()),
        tools=sorted(tools.items()),
        homework_expected=adherence.expected if adherence else 0,
        homework_completed=adherence.completed if adherence else 0,
    )


def _alerts(actor: Actor, client: ClientProfile, since: dt.datetime) -> list[AlertLine]:
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


def _topics(actor: Actor, client: ClientProfile) -> list[TopicLine]:
    from alongside.selfcare.selectors import topics_for

    return [
        TopicLine(text=t.text, source_label=t.source_label, created_at=t.topic.created_at)
        for t in reversed(topics_for(user=actor, client_id=client.pk))
    ]


def _messages(actor: SignedIn, client: ClientProfile, since: dt.datetime) -> Messages:
    from alongside.messaging.selectors import thread_view

    # Counts only, no bodies: the read is covered by the brief's own audit event.
    view = thread_view(actor=actor, client_id=client.pk, audit=False)
    unanswered = []
    for message in reversed(view.messages):
        if not message.from_client:
            break
        unanswered.append(message)
    return Messages(
        awaiting_reply=bool(view.thread and view.thread.last_from_client),
        unanswered=len(unanswered),
        waiting_since=unanswered[-1].created_at if unanswered else None,
        from_client_in_period=sum(1 for m in view.messages if m.from_client and m.created_at >= since),
    )


# --- The brief ----------------------------------------------------------------------------


def brief_for(*, actor: Actor, client_id: uuid.UUID | str, now: dt.datetime | None = None) -> Brief:
    """Gather a client's session brief for a clinician on their care team (404 for anyone else). Audited."""
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "is_client", True):
        raise Http404("No such client.")
    client = access.client_or_404(actor, client_id, Action.VIEW_CLINICAL)
    grant = access.grant_for(actor, client)
    if not grant.on_care_team:
        raise Http404("No such client.")
    now = now or timezone.now()
    last = last_session_before(client=client, when=now)
    since = last.starts_at if last is not None else now - DEFAULT_PERIOD
    coming = next_session(client=client, after=now)

    def shares(scope: Scope) -> bool:
        return grant.allows(Action.VIEW_CLINICAL, scope)

    brief = Brief(
        client=client,
        generated_at=now,
        since=since,
        last_session=last,
        next_session=coming,
        questionnaires=_section(
            "questionnaires", shares(Scope.MEASURES), lambda: _questionnaires(actor, client, since)
        ),
        mood=_section("mood", shares(Scope.MOOD), lambda: _mood(actor, client, since, now)),
        exercises=_section("exercises", shares(Scope.EXERCISES), lambda: _exercises(actor, client, since, now)),
        alerts=_section("alerts", True, lambda: _alerts(actor, client, since)),
        topics=_section("topics", True, lambda: _topics(actor, client)),
        messages=_section("messages", shares(Scope.MESSAGES), lambda: _messages(actor, client, since)),
    )
    sections = {
        name: str(getattr(brief, name).state)
        for name in ("questionnaires", "mood", "exercises", "alerts", "topics", "messages")
    }
    record_many(
        [
            Entry(
                action=SessionsAuditAction.BRIEF_VIEWED,
                client_id=client.pk,
                detail={"since": since.isoformat(), "sections": sections},
            )
        ],
        actor=actor,
    )
    return brief
