"""The synthetic clients' free texts, read from the JSON files in ``data/``.

Every text there is a template written by us for synthetic data (not user interface, so not translated); no
real person is described. The files are read once and turned into the tuples the planner draws from: the
order of each list is part of the output, since the planner picks from them by position with a seeded stream.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

# Thought record: (situation, automatic thought, emotion words, traps, evidence for, evidence against, balanced)
ThoughtRecord = tuple[str, str, tuple[str, ...], tuple[str, ...], str, str, str]
# Exposure ladder: (goal, ((step text, starting SUDS), ...)), easiest step first.
Ladder = tuple[str, tuple[tuple[str, int], ...]]
# Problem solving: (problem, ((option, pros, cons), ...), chosen option's index, plan, review)
Problem = tuple[str, tuple[tuple[str, str, str], ...], int, str, str]


@functools.cache
def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def notes() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return check-in notes for a low, a middling and a high mood."""
    data = _load("notes")
    return tuple(data["low"]), tuple(data["mid"]), tuple(data["high"])


def thought_records() -> tuple[ThoughtRecord, ...]:
    return tuple(
        (
            r["situation"],
            r["thought"],
            tuple(r["emotions"]),
            tuple(r["traps"]),
            r["evidence_for"],
            r["evidence_against"],
            r["balanced_thought"],
        )
        for r in _load("thought_records")
    )


def ladders() -> tuple[Ladder, ...]:
    return tuple(
        (ladder["goal"], tuple((s["text"], s["suds"]) for s in ladder["steps"])) for ladder in _load("ladders")
    )


def problems() -> tuple[Problem, ...]:
    return tuple(
        (
            p["problem"],
            tuple((o["text"], o["pros"], o["cons"]) for o in p["options"]),
            p["chosen_index"],
            p["plan"],
            p["review"],
        )
        for p in _load("problems")
    )


def lines(name: str) -> tuple[str, ...]:
    """Return a plain list of texts: ``activity_ideas`` or ``topics``."""
    return tuple(_load(name))


def instructions() -> dict[str, str]:
    """Return homework instructions by exercise type or practice kind, with ``module`` for reading."""
    return dict(_load("instructions"))


NOTES_LOW, NOTES_MID, NOTES_HIGH = notes()
THOUGHT_RECORDS = thought_records()
ACTIVITY_IDEAS = lines("activity_ideas")
LADDERS = ladders()
PROBLEMS = problems()
TOPIC_LINES = lines("topics")
INSTRUCTIONS = instructions()
