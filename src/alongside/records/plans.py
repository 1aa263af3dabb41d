"""The content of a treatment plan, validated before it is sealed: problems, goals, objectives, interventions.

An objective is measurable when it names an instrument of the measures library and a target total
("PHQ-9 under 10 by March"): the plan page then shows the latest score beside the target.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, field_validator

from alongside.measures import library

TEXT = 500  # the longest line of a plan, in characters

STATUS_LABELS = {
    "open": _("In progress"),
    "met": _("Met"),
    "not_met": _("Not met"),
    "dropped": _("No longer pursued"),
}


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=TEXT)
    target_date: dt.date | None = None
    status: str = "open"

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in STATUS_LABELS:
            raise ValueError("unknown status")
        return value


class Objective(Goal):
    """A step towards a goal; with ``instrument`` and ``target_below`` it is met when the total is under the target."""

    instrument: str = ""
    target_below: int | None = Field(default=None, ge=1, le=1000)

    @field_validator("instrument")
    @classmethod
    def _instrument(cls, value: str) -> str:
        if value and value not in instrument_names():
            raise ValueError("unknown instrument")
        return value


class PlanContent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    problems: list[str] = Field(default_factory=list, max_length=20)
    goals: list[Goal] = Field(default_factory=list, max_length=20)
    objectives: list[Objective] = Field(default_factory=list, max_length=20)
    interventions: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("problems", "interventions")
    @classmethod
    def _lines(cls, value: list[str]) -> list[str]:
        lines = [line.strip() for line in value if line.strip()]
        if any(len(line) > TEXT for line in lines):
            raise ValueError(f"a line is longer than {TEXT} characters")
        return lines


def instrument_names() -> dict[str, str]:
    """Codes and short names of the library's instruments, for the objective's measure."""
    return {inst.code: inst.short_name for inst in library.all_instruments()}
