"""Reads of CBT exercises and practice logs, through the access layer; reads by staff are audited."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.http import Http404

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.selfcare.models import (
    CheckIn,
    EntryStatus,
    ExerciseEntry,
    PracticeKind,
    PracticeLog,
    SelfcareAuditAction,
)
from alongside.selfcare.selectors.tools import ToolUse
from alongside.selfcare.services.exercises import data_of, own_client
from alongside.selfcare.toolkit import KIND_TO_TOOL, TOOL_KINDS

TOOL_LOGS_SHOWN = 50


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_client", False))


def entries_own(*, user: Any) -> list[ExerciseEntry]:
    """The signed-in client's own exercises, newest first."""
    return list(ExerciseEntry.objects.filter(client=own_client(user)).order_by("-updated_at"))


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_blank(v) for v in value)
    if isinstance(value, str):
        return not value.strip()
    return value is None


def is_blank(entry: ExerciseEntry) -> bool:
    """A draft the client opened and left without writing anything (every field empty)."""
    return entry.status == EntryStatus.DRAFT and _blank(entry.data or {})


def drafts_deduplicated(entries: list[ExerciseEntry]) -> list[ExerciseEntry]:
    """The drafts to offer the client: every draft with something in it, and one empty draft per kind at most."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.status != EntryStatus.DRAFT:
            continue
        if is_blank(entry):
            if entry.kind in seen:
                continue
            seen.add(entry.kind)
        kept.append(entry)
    return kept


def blank_draft_of(*, user: Any, kind: str) -> ExerciseEntry | None:
    """The client's newest empty draft of ``kind`` not tied to homework, to carry on instead of starting another."""
    drafts = ExerciseEntry.objects.filter(
        client=own_client(user), kind=kind, status=EntryStatus.DRAFT, assignment__isnull=True
    ).order_by("-updated_at")[:20]
    return next((entry for entry in drafts if is_blank(entry)), None)


def entry_own(*, user: Any, entry_id: uuid.UUID | str) -> ExerciseEntry:
    """One of the signed-in client's own exercises (404 otherwise)."""
    return access.owned_or_404(user, ExerciseEntry, entry_id, Action.OWN)


def logs_of(entry: ExerciseEntry) -> list[PracticeLog]:
    """Practice logs of one entry, oldest first."""
    return list(PracticeLog.objects.filter(client_id=entry.client_id, entry=entry).order_by("at", "created_at"))


@dataclass(frozen=True)
class ClientExercises:
    """A client's exercises and practice logs as a clinician may see them."""

    client: ClientProfile
    shares: bool
    entries: list[ExerciseEntry] = field(default_factory=list)
    logs: dict[uuid.UUID, list[PracticeLog]] = field(default_factory=dict)
    tools: list[ToolUse] = field(default_factory=list)  # relaxation tool practice, newest first


def exercises_for(*, user: Any, client_id: uuid.UUID | str) -> ClientExercises:
    """A client's exercises for themselves or their care team; empty unless EXERCISES is shared. Audited for staff.

    Anyone else (outside the care team, another practice) gets a 404.
    """
    client = access.client_or_404(user, client_id, Action.VIEW_CLINICAL)
    if _is_staff(user) and not access.decide(user, client, Action.VIEW_CLINICAL, Scope.EXERCISES):
        return ClientExercises(client=client, shares=False)
    entries = list(ExerciseEntry.objects.filter(client=client).order_by("-created_at"))
    if _is_staff(user):
        entries = [e for e in entries if not is_blank(e)]  # an empty draft tells a clinician nothing (issue #14)
    logs: dict[uuid.UUID, list[PracticeLog]] = defaultdict(list)
    for log in PracticeLog.objects.filter(client=client, entry__isnull=False).order_by("at", "created_at"):
        logs[cast(uuid.UUID, log.entry_id)].append(log)
    tools = [
        ToolUse(log, KIND_TO_TOOL[log.kind])  # type: ignore[index]
        for log in PracticeLog.objects.filter(client=client, kind__in=TOOL_KINDS).order_by("-at")[:TOOL_LOGS_SHOWN]
    ]
    if _is_staff(user):
        record(
            SelfcareAuditAction.SELFCARE_VIEWED,
            actor=user,
            client_id=client.pk,
            detail={"area": "exercises", "entries": len(entries), "tool_logs": len(tools)},
        )
    return ClientExercises(client=client, shares=True, entries=entries, logs=dict(logs), tools=tools)


def staff_exercises(*, user: Any, client_id: uuid.UUID | str) -> ClientExercises:
    """As :func:`exercises_for`, for staff pages only (clients get a 404)."""
    if not _is_staff(user):
        raise Http404("No such client.")
    return exercises_for(user=user, client_id=client_id)


# --- Exposure: habituation across practices ------------------------------------------------

CHART_W, CHART_H, PAD = 240, 90, 6


@dataclass(frozen=True)
class StepHabituation:
    """One ladder step with its practices and the SVG polyline points of peak and after SUDS."""

    id: str
    text: str
    suds: int | None
    logs: list[PracticeLog]
    peak_points: str
    after_points: str
    before_points: str

    @property
    def change(self) -> int | None:
        """Fall in peak SUDS from the first practice to the latest (positive = habituating)."""
        if len(self.logs) < 2:
            return None
        return int(self.logs[0].rating_peak or 0) - int(self.logs[-1].rating_peak or 0)


def _points(values: list[int | None]) -> str:
    n = len(values)
    if n == 0:
        return ""
    step = (CHART_W - 2 * PAD) / max(n - 1, 1)
    pts = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = PAD + i * step
        y = PAD + (100 - value) * (CHART_H - 2 * PAD) / 100
        pts.append(f"{x:.1f},{y:.1f}")
    return " ".join(pts)


def habituation(entry: ExerciseEntry, logs: list[PracticeLog] | None = None) -> list[StepHabituation]:
    """Each ladder step, in ladder order, with its exposure practices oldest first."""
    logs = logs_of(entry) if logs is None else logs
    by_step: dict[str, list[PracticeLog]] = defaultdict(list)
    for log in logs:
        if log.kind == PracticeKind.EXPOSURE:
            by_step[log.step_id].append(log)
    rows = []
    for step in data_of(entry).get("steps", []):
        step_logs = by_step.get(step["id"], [])
        rows.append(
            StepHabituation(
                id=step["id"],
                text=step["text"],
                suds=step.get("suds"),
                logs=step_logs,
                peak_points=_points([log.rating_peak for log in step_logs]),
                after_points=_points([log.rating_after for log in step_logs]),
                before_points=_points([log.rating_before for log in step_logs]),
            )
        )
    return rows


# --- Behavioural activation: the week --------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    """A planned activity with its latest record and the mood of that day (from check-ins) if any."""

    id: str
    text: str
    day: int | None
    log: PracticeLog | None
    mood: int | None

    @property
    def lift(self) -> int | None:
        """What the weekly view ranks by: mood that day when checked in, else mastery + pleasure."""
        if self.log is None or not self.log.done:
            return None
        if self.mood is not None:
            return self.mood * 2
        return int(self.log.mastery or 0) + int(self.log.pleasure or 0)


def activity_week(entry: ExerciseEntry, logs: list[PracticeLog] | None = None) -> list[ActivityRow]:
    """Planned activities with what happened, paired with that day's mood check-in when there is one."""
    logs = logs_of(entry) if logs is None else logs
    latest: dict[str, PracticeLog] = {}
    for log in logs:
        if log.kind == PracticeKind.ACTIVITY:
            latest[log.step_id] = log
    days = {log.at.date() for log in latest.values()}
    moods: dict[Any, int] = {}
    for day, day_mood in CheckIn.objects.filter(client_id=entry.client_id, local_date__in=days).values_list(
        "local_date", "mood"
    ):
        moods.setdefault(day, day_mood)
    rows = []
    for activity in data_of(entry).get("activities", []):
        found = latest.get(activity["id"])
        mood = moods.get(found.at.date()) if found is not None and found.done else None
        rows.append(ActivityRow(activity["id"], activity["text"], activity.get("day"), found, mood))
    return rows


def what_lifted(rows: list[ActivityRow]) -> list[ActivityRow]:
    """Done activities, the ones that lifted mood most first."""
    return sorted((r for r in rows if r.lift is not None), key=lambda r: -(r.lift or 0))
