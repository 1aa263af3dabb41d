"""Homework's targets and calendar: what can be set, and which local days a task is expected on.

Tasks are the expected pieces of work, one row each:

* ``once``: one task, due on the assignment's due date;
* ``daily``: one task per local day from the start to the end date;
* ``per_week`` (N times a week): N slots per ISO week (Monday to Sunday), due on spread days
  (slot *i* of N is due on weekday ``ceil(i * 7 / N)``, so 1 a week is due on Sunday, 3 a week
  on Wednesday, Friday and Sunday). Any matching record in the week counts for the earliest
  open slot. Slots before the start date or after the end date are not expected.

Days are the client's own local days (their time zone), so daylight-saving changes never
make or skip a day. Also the audit and access helpers every homework write shares.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.services import reader
from alongside.core.time import zone_or_utc as _zone
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    ExerciseType,
    Frequency,
    PracticeKind,
)

BACKFILL_DAYS = 7  # a missed tick still makes the past week's expected tasks
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
# Until the reading library is written, these are the modules the issue asks for.
DEFAULT_MODULES: dict[str, Any] = {
    "cbt-model": gettext_lazy("The CBT model"),
    "depression-and-activity": gettext_lazy("Depression and activity"),
    "anxiety-and-avoidance": gettext_lazy("Anxiety and avoidance"),
    "panic-cycle": gettext_lazy("The panic cycle"),
    "worry": gettext_lazy("Worry"),
    "sleep": gettext_lazy("Sleep"),
    "thinking-traps": gettext_lazy("Thinking traps"),
    "crisis": gettext_lazy("What to do in a crisis"),
    "preparing-for-a-session": gettext_lazy("Preparing for a session"),
}


# --- Targets --------------------------------------------------------------------------


def _module_title(path: Any) -> str:
    """Return a module's own title (its front matter's ``title:``), not one guessed from the file name."""
    for line in path.read_text(encoding="utf-8").splitlines()[1:20]:
        if line.startswith("title:"):
            return line.removeprefix("title:").strip()
        if line.strip() == "---":
            break
    return path.stem.replace("-", " ").capitalize()


@reader
def module_choices() -> list[tuple[str, str]]:
    """Return the reading modules (slug, title): the English content files if present, else the default list.

    Each title is read from the module in the active language when it exists there (``content/es``), else English.
    """
    files = sorted(CONTENT_DIR.glob("en/*.md"))
    if files:
        local = CONTENT_DIR / (get_language() or "en").split("-")[0]
        return [(f.stem, _module_title(local / f.name if (local / f.name).exists() else f)) for f in files]
    return [(slug, str(title)) for slug, title in DEFAULT_MODULES.items()]


@reader
def measure_choices() -> list[tuple[str, str]]:
    """Return the shipped questionnaires (code, name)."""
    from alongside.measures.library import all_instruments

    return [(i.code, f"{i.short_name or i.code} - {i.name}") for i in all_instruments()]


@reader
def target_choices(kind: str) -> list[tuple[str, str]]:
    """Return what may be assigned for ``kind``."""
    if kind == AssignmentKind.EXERCISE:
        return [(str(v), str(label)) for v, label in ExerciseType.choices]
    if kind == AssignmentKind.TOOL:
        return [(str(v), str(label)) for v, label in PracticeKind.choices]
    if kind == AssignmentKind.MODULE:
        return module_choices()
    if kind == AssignmentKind.MEASURE:
        return measure_choices()
    return []


@reader
def target_label(kind: str, target: str) -> str:
    """Return a human label for a target ("Thought record", "PHQ-9 - ..."), or the code itself."""
    return dict(target_choices(kind)).get(target, target)


# --- Dates ------------------------------------------------------------------------------


@reader
def local_today(client: ClientProfile, now: dt.datetime | None = None) -> dt.date:
    """Return the client's local date now (their time zone; DST-safe)."""
    return (now or timezone.now()).astimezone(_zone(client.time_zone)).date()


@reader
def local_date(client: ClientProfile, at: dt.datetime) -> dt.date:
    return at.astimezone(_zone(client.time_zone)).date()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@reader
def week_slots(monday: dt.date, times_per_week: int) -> list[dt.date]:
    """Return the due dates of N slots in the ISO week starting ``monday`` (distinct, last on Sunday)."""
    n = max(1, min(7, times_per_week))
    return [monday + dt.timedelta(days=math.ceil(i * 7 / n) - 1) for i in range(1, n + 1)]


@reader
def expected_dates(assignment: Assignment, *, start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the due dates of the tasks ``assignment`` expects between ``start`` and ``end`` (inclusive)."""
    first = max(start, assignment.starts_on)
    last = end if assignment.ends_on is None else min(end, assignment.ends_on)
    if assignment.frequency == Frequency.ONCE:
        due = assignment.due_on or assignment.starts_on
        # A one-off task exists from its start; it is made as soon as the start is reached.
        return [due] if assignment.starts_on <= end and due >= start else []
    if last < first:
        return []
    if assignment.frequency == Frequency.DAILY:
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    dates: list[dt.date] = []
    monday = _monday(first)
    while monday <= last:
        dates.extend(d for d in week_slots(monday, assignment.times_per_week or 1) if first <= d <= last)
        monday += dt.timedelta(days=7)
    return dates


@reader
def task_window(assignment: Assignment, due_on: dt.date) -> tuple[dt.date, dt.date]:
    """Return the local days on which a record completes the task due on ``due_on``."""
    if assignment.frequency == Frequency.DAILY:
        return due_on, due_on
    if assignment.frequency == Frequency.PER_WEEK:
        monday = _monday(due_on)
        return max(monday, assignment.starts_on), monday + dt.timedelta(days=6)
    return assignment.starts_on, due_on


# --- Audit and access ---------------------------------------------------------------------


def _require_clinician(actor: Actor, client_id: uuid.UUID | str) -> ClientProfile:
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return client
