"""The guided steps of each exercise: which parts of ``data`` a step edits, how to read its POST, how to show it.

Each step is a plain form. A step reads only its own fields from the POST and the rest of
``data`` is kept, so the client can move back and forth and leave at any point.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.selfcare.models import ExerciseType
from alongside.selfcare.schemas import THINKING_TRAPS

DAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
MAX_ROWS = 50


@dataclass(frozen=True)
class Col:
    key: str
    label: Promise
    type: str = "text"  # text, textarea, rating, day
    max: int = 100


@dataclass(frozen=True)
class F:
    """One part of a step: text, rating, rows (a list of small records), traps, or choice (of options)."""

    key: str
    type: str
    label: Promise
    help: Promise | str = ""
    max: int = 100
    cols: tuple[Col, ...] = ()
    blank: int = 2
    with_id: bool = False
    prefill: str = ""  # rows to start from when empty (re-rating the same emotions)


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    intro: Promise
    fields: tuple[F, ...] = field(default_factory=tuple)


EMOTION_COLS = (Col("name", _("Emotion")), Col("intensity", _("How strong (0-100)"), "rating"))

STEPS: dict[str, tuple[Step, ...]] = {
    ExerciseType.THOUGHT_RECORD: (
        Step(
            "situation",
            _("The situation"),
            _("Where were you, who was there, what was happening? Stick to the facts."),
            (F("situation", "text", _("What happened?")),),
        ),
        Step(
            "thoughts",
            _("Automatic thoughts"),
            _("What went through your mind? Rate how much you believed each thought, from 0 to 100%."),
            (
                F(
                    "thoughts",
                    "rows",
                    _("Thoughts"),
                    cols=(Col("text", _("Thought")), Col("belief", _("Belief %"), "rating")),
                ),
            ),
        ),
        Step(
            "emotions",
            _("Emotions"),
            _("What did you feel? Rate how strong each feeling was, from 0 to 100."),
            (F("emotions", "rows", _("Emotions"), cols=EMOTION_COLS),),
        ),
        Step(
            "traps",
            _("Thinking traps"),
            _("Do any of these common thinking traps fit your thoughts? Choose any that apply, or none."),
            (F("traps", "traps", _("Thinking traps")),),
        ),
        Step(
            "evidence",
            _("Weighing the evidence"),
            _("What supports the thought, and what does not? Include facts a friend might point out."),
            (
                F("evidence_for", "text", _("Evidence for the thought")),
                F("evidence_against", "text", _("Evidence against the thought")),
            ),
        ),
        Step(
            "balanced",
            _("A balanced thought"),
            _("Taking all the evidence into account, what is a more balanced way to see it?"),
            (
                F("balanced_thought", "text", _("Balanced thought")),
                F("balanced_belief", "rating", _("How much do you believe it (0-100%)?")),
            ),
        ),
        Step(
            "rerate",
            _("Re-rate your emotions"),
            _("How strong are the feelings now, from 0 to 100?"),
            (F("rerated", "rows", _("Emotions now"), cols=EMOTION_COLS, prefill="emotions", blank=1),),
        ),
    ),
    ExerciseType.BEHAVIOURAL_ACTIVATION: (
        Step(
            "plan",
            _("Plan your week"),
            _("Choose activities that give you a sense of achievement or enjoyment, and a day for each."),
            (
                F(
                    "activities",
                    "rows",
                    _("Activities"),
                    cols=(Col("text", _("Activity")), Col("day", _("Day"), "day")),
                    with_id=True,
                    blank=3,
                ),
            ),
        ),
    ),
    ExerciseType.EXPOSURE_HIERARCHY: (
        Step(
            "goal",
            _("Your goal"),
            _("What would you like to be able to do that fear stops you doing now?"),
            (F("goal", "text", _("Goal")),),
        ),
        Step(
            "ladder",
            _("Build your ladder"),
            _(
                "List situations you fear, from easier to harder. Rate how distressing each would be, "
                "from 0 (calm) to 100 (the most distress you can imagine)."
            ),
            (
                F(
                    "steps",
                    "rows",
                    _("Steps"),
                    cols=(Col("text", _("Situation")), Col("suds", _("Distress (0-100)"), "rating")),
                    with_id=True,
                    blank=3,
                ),
            ),
        ),
    ),
    ExerciseType.PROBLEM_SOLVING: (
        Step(
            "define",
            _("Define the problem"),
            _("Describe the problem as specifically as you can: what, when, who."),
            (F("problem", "text", _("The problem")),),
        ),
        Step(
            "brainstorm",
            _("Brainstorm and weigh up"),
            _("List every possible solution, even unlikely ones, with their pros and cons."),
            (
                F(
                    "options",
                    "rows",
                    _("Possible solutions"),
                    cols=(
                        Col("text", _("Solution")),
                        Col("pros", _("Pros"), "textarea"),
                        Col("cons", _("Cons"), "textarea"),
                    ),
                    with_id=True,
                ),
            ),
        ),
        Step(
            "plan",
            _("Choose and plan"),
            _("Pick the solution that looks best on balance and plan the steps to carry it out."),
            (
                F("chosen", "choice", _("The solution I'll try")),
                F("plan", "text", _("My plan: steps, when, what I need")),
            ),
        ),
        Step(
            "review",
            _("Review"),
            _("After trying it: how did it go? What would you do next?"),
            (F("review", "text", _("How it went")),),
        ),
    ),
}


def steps_of(kind: str) -> tuple[Step, ...]:
    return STEPS[kind]


def step_of(kind: str, slug: str) -> Step | None:
    return next((s for s in STEPS[kind] if s.slug == slug), None)


def number(raw: str | None) -> int | str | None:
    """An int for the schema to range-check; the raw text when it is not a number (the schema refuses it)."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


def _rows(f: F, post: Mapping[str, Any]) -> list[dict[str, Any]]:
    try:
        count = min(int(post.get(f"{f.key}-count", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        row: dict[str, Any] = {}
        for col in f.cols:
            raw = post.get(f"{f.key}-{i}-{col.key}", "")
            row[col.key] = number(raw) if col.type in {"rating", "day"} else str(raw).strip()
        text_cols = [c.key for c in f.cols if c.type in {"text", "textarea"}]
        if not any(row[k] for k in text_cols) and all(row[c.key] is None for c in f.cols if c.type == "rating"):
            continue
        if f.with_id:
            raw_id = str(post.get(f"{f.key}-{i}-id", "")).strip()
            row = {"id": raw_id or uuid.uuid4().hex[:10], **row}
        rows.append(row)
    return rows


def parse(step: Step, post: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` with this step's fields replaced by what was posted (not yet validated)."""
    new = dict(data)
    for f in step.fields:
        if f.type in {"text", "choice"}:
            new[f.key] = str(post.get(f.key, "")).strip()
        elif f.type == "rating":
            new[f.key] = number(post.get(f.key))
        elif f.type == "traps":
            getlist = getattr(post, "getlist", None)
            new[f.key] = list(getlist(f.key)) if getlist else list(post.get(f.key, []))
        elif f.type == "rows":
            new[f.key] = _rows(f, post)
    return new


def is_empty(step: Step, data: Mapping[str, Any]) -> bool:
    return all(data.get(f.key) in (None, "", []) for f in step.fields)


def resume_step(kind: str, data: Mapping[str, Any]) -> Step:
    """Where to carry on: the first step with nothing in it yet, else the last step."""
    steps = STEPS[kind]
    return next((s for s in steps if is_empty(s, data)), steps[-1])


def widgets(step: Step, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the step template draws, field by field, with the current values."""
    out = []
    for f in step.fields:
        w: dict[str, Any] = {"key": f.key, "type": f.type, "label": f.label, "help": f.help, "max": f.max}
        value = data.get(f.key)
        if f.type in {"text", "rating"}:
            w["value"] = "" if value is None else value
        elif f.type == "traps":
            chosen = set(value or [])
            w["options"] = [
                {"value": str(t), "name": name, "explanation": why, "checked": str(t) in chosen}
                for t, (name, why) in THINKING_TRAPS.items()
            ]
        elif f.type == "choice":
            w["value"] = value or ""
            w["options"] = [{"value": o["id"], "name": o["text"]} for o in data.get("options", []) if o.get("id")]
        elif f.type == "rows":
            rows = list(value or [])
            if not rows and f.prefill:
                rows = [{"name": r.get("name", "")} for r in data.get(f.prefill, []) if isinstance(r, dict)]
            rows = rows + [{}] * f.blank
            w["count"] = len(rows)
            w["rows"] = [
                {
                    "index": i,
                    "number": i + 1,
                    "id": row.get("id", "") if isinstance(row, dict) else "",
                    "cells": [
                        {
                            "name": f"{f.key}-{i}-{col.key}",
                            "label": col.label,
                            "type": col.type,
                            "max": col.max,
                            "value": "" if not isinstance(row, dict) or row.get(col.key) is None else row[col.key],
                        }
                        for col in f.cols
                    ],
                }
                for i, row in enumerate(rows)
            ]
            w["with_id"] = f.with_id
            w["days"] = list(enumerate(DAYS))
        out.append(w)
    return out
