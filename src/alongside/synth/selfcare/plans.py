"""What the self-care planner produces: one plan per client, as plain dataclasses, and small helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from alongside.selfcare.models import PracticeKind
from alongside.synth.plan import ClientPlan

# Day-of-week shift of mood (Monday first): a dip at the start of the week, a lift at the weekend.
WEEKDAY_MOOD = (-0.7, -0.3, -0.1, 0.0, 0.3, 0.7, 0.5)
POSITIVE = ("calm", "happy", "hopeful")
NEGATIVE = ("anxious", "sad", "angry", "lonely", "stressed", "tired")
ANXIOUS_WORDS = ("Worry", "Panic", "Anxiety", "Fear", "Health worries", "Intrusive")
TOOL_SLOTS = (PracticeKind.BREATHING_BOX, PracticeKind.BREATHING_SLOW, PracticeKind.BREATHING_478)
TOOL_SECONDS = {
    PracticeKind.BREATHING_BOX: 96,
    PracticeKind.BREATHING_478: 76,
    PracticeKind.BREATHING_SLOW: 120,
    PracticeKind.MUSCLE_RELAXATION: 600,
    PracticeKind.GROUNDING: 180,
}


@dataclass
class CheckInPlan:
    day: dt.date
    at: dt.datetime
    mood: int
    severity: float
    sleep_quality: int | None
    sleep_hours: Decimal | None
    emotions: list[dict[str, Any]]
    activities: list[str]
    note: str


@dataclass
class EntryPlan:
    key: str
    kind: str
    status: str
    data: dict[str, Any]
    created_at: dt.datetime
    completed_at: dt.datetime | None
    assignment: str | None = None


@dataclass
class LogPlan:
    key: str
    kind: str
    at: dt.datetime
    entry: str | None = None
    step_id: str = ""
    rating_before: int | None = None
    rating_peak: int | None = None
    rating_after: int | None = None
    done: bool = True
    mastery: int | None = None
    pleasure: int | None = None
    duration_seconds: int | None = None
    note: str = ""
    assignment: str | None = None


@dataclass
class ReadPlan:
    key: str
    module: str
    read_at: dt.datetime
    assignment: str | None = None


@dataclass
class AssignmentPlan:
    key: str
    kind: str
    target: str
    instructions: str
    frequency: str
    times_per_week: int | None
    starts_on: dt.date
    due_on: dt.date | None
    ends_on: dt.date | None
    created_at: dt.datetime
    ended_at: dt.datetime | None = None


@dataclass
class TaskPlan:
    assignment: str
    due_on: dt.date
    status: str
    scheduled_at: dt.datetime
    delivered_at: dt.datetime | None = None
    channel: str = ""
    seen_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    expired_at: dt.datetime | None = None
    completion: tuple[str, str] | None = None  # (model label, record key)


@dataclass
class TopicPlan:
    created_at: dt.datetime
    text: str = ""
    source: tuple[str, str] | None = None  # (model label, record key)
    addressed_at: dt.datetime | None = None


@dataclass
class ClientSelfcarePlan:
    client: ClientPlan
    anxious: bool
    checkins: list[CheckInPlan] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    logs: list[LogPlan] = field(default_factory=list)
    reads: list[ReadPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)
    topics: list[TopicPlan] = field(default_factory=list)


@dataclass(frozen=True)
class SelfcarePlan:
    clients: list[ClientSelfcarePlan]
    now: dt.datetime


def clamp(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def local_at(day: dt.date, hours: float, zone: ZoneInfo) -> dt.datetime:
    """Return the moment ``hours`` after local midnight of ``day``."""
    midnight = dt.datetime.combine(day, dt.time()).replace(tzinfo=zone)
    return (midnight + dt.timedelta(hours=hours)).astimezone(dt.UTC).astimezone(zone)
