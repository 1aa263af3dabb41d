"""The session brief's mood, exercises and topics sections, registered in core.page_parts (dashboards shows them)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core import page_parts
from alongside.core.actor import Actor
from alongside.core.formatting import fmt_date, fmt_number
from alongside.core.page_parts import change_words

SPARK_W, SPARK_H, SPARK_PAD = 160, 36, 3
MOOD_MAX = 10


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
class TopicLine:
    text: str
    source_label: str
    created_at: dt.datetime


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


def mood(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Mood:
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


def exercises(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Exercises:
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


def topics(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[TopicLine]:
    from alongside.selfcare.selectors import topics_for

    return [
        TopicLine(text=t.text, source_label=t.source_label, created_at=t.topic.created_at)
        for t in reversed(topics_for(user=actor, client_id=client.pk))
    ]


def register() -> None:
    """Register the brief's mood, exercises and topics sections (from SelfcareConfig.ready)."""
    page_parts.register_brief_part(page_parts.BriefPart("mood", Scope.MOOD, mood))
    page_parts.register_brief_part(page_parts.BriefPart("exercises", Scope.EXERCISES, exercises))
    page_parts.register_brief_part(page_parts.BriefPart("topics", None, topics))
