"""One schema per exercise type, with the ranges clients see on the forms."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import Field, field_validator

from alongside.selfcare.schemas.base import ExerciseData, Strict

Text = Annotated[str, Field(max_length=4000)]
Short = Annotated[str, Field(max_length=300)]
Percent = Annotated[int, Field(ge=0, le=100)]
StepId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class ThinkingTrap(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    CATASTROPHISING = "catastrophising"
    MIND_READING = "mind_reading"
    FORTUNE_TELLING = "fortune_telling"
    OVERGENERALISING = "overgeneralising"
    LABELLING = "labelling"
    SHOULD_STATEMENTS = "should_statements"
    PERSONALISING = "personalising"
    MENTAL_FILTER = "mental_filter"
    DISCOUNTING_POSITIVE = "discounting_positive"
    EMOTIONAL_REASONING = "emotional_reasoning"


# Our own plain-language explanations (name, explanation), in the order the form shows them.
THINKING_TRAPS: dict[ThinkingTrap, tuple[Promise, Promise]] = {
    ThinkingTrap.ALL_OR_NOTHING: (
        _("All-or-nothing thinking"),
        _("Seeing things as all good or all bad, with nothing in between: one mistake means total failure."),
    ),
    ThinkingTrap.CATASTROPHISING: (
        _("Catastrophising"),
        _("Jumping to the worst possible outcome and treating it as likely, or as something you could not cope with."),
    ),
    ThinkingTrap.MIND_READING: (
        _("Mind reading"),
        _("Being sure you know what others think of you, usually something negative, without them saying so."),
    ),
    ThinkingTrap.FORTUNE_TELLING: (
        _("Fortune telling"),
        _("Predicting that things will turn out badly, as if the future were already known."),
    ),
    ThinkingTrap.OVERGENERALISING: (
        _("Overgeneralising"),
        _("Taking one event as proof of a pattern: 'always', 'never', 'everyone', 'nothing'."),
    ),
    ThinkingTrap.LABELLING: (
        _("Labelling"),
        _(
            "Summing yourself or someone else up with one harsh word ('I'm useless') instead of describing what happened."
        ),
    ),
    ThinkingTrap.SHOULD_STATEMENTS: (
        _("Should statements"),
        _("Rigid rules about how you or others 'should' or 'must' be, which bring guilt or frustration when broken."),
    ),
    ThinkingTrap.PERSONALISING: (
        _("Personalising"),
        _("Blaming yourself for things that were not, or not only, in your control."),
    ),
    ThinkingTrap.MENTAL_FILTER: (
        _("Mental filter"),
        _("Noticing only the negative details and letting them colour the whole picture."),
    ),
    ThinkingTrap.DISCOUNTING_POSITIVE: (
        _("Discounting the positive"),
        _("Brushing off good things as luck or as not counting, so they never change how you feel."),
    ),
    ThinkingTrap.EMOTIONAL_REASONING: (
        _("Emotional reasoning"),
        _("Taking a feeling as proof of a fact: 'I feel anxious, so something must be wrong'."),
    ),
}


class Thought(Strict):
    text: Text = Field(min_length=1)
    belief: Percent | None = None


class Emotion(Strict):
    name: Short = Field(min_length=1)
    intensity: Percent | None = None


class ThoughtRecord(ExerciseData):
    kind: ClassVar[str] = "thought_record"
    required_parts = (
        ("situation", _("the situation")),
        ("thoughts", _("at least one automatic thought")),
        ("emotions", _("at least one emotion")),
        ("balanced_thought", _("a balanced thought")),
        ("balanced_belief", _("how much you believe the balanced thought")),
        ("rerated", _("your emotions re-rated")),
    )

    situation: Text = ""
    thoughts: list[Thought] = Field(default_factory=list, max_length=20)
    emotions: list[Emotion] = Field(default_factory=list, max_length=20)
    traps: list[ThinkingTrap] = Field(default_factory=list)
    evidence_for: Text = ""
    evidence_against: Text = ""
    balanced_thought: Text = ""
    balanced_belief: Percent | None = None
    rerated: list[Emotion] = Field(default_factory=list, max_length=20)

    @field_validator("traps")
    @classmethod
    def _unique_traps(cls, value: list[ThinkingTrap]) -> list[ThinkingTrap]:
        return list(dict.fromkeys(value))


class PlannedActivity(Strict):
    id: StepId
    text: Short = Field(min_length=1)
    day: int | None = Field(None, ge=0, le=6, description="0 = Monday")


class ActivityPlan(ExerciseData):
    kind: ClassVar[str] = "behavioural_activation"
    required_parts = (("activities", _("at least one planned activity")),)

    week_of: dt.date | None = None
    activities: list[PlannedActivity] = Field(default_factory=list, max_length=50)


class LadderStep(Strict):
    id: StepId
    text: Short = Field(min_length=1)
    suds: Percent | None = None


class ExposureLadder(ExerciseData):
    kind: ClassVar[str] = "exposure_hierarchy"
    required_parts = (("goal", _("what you are working towards")), ("steps", _("at least one step on the ladder")))

    goal: Text = ""
    steps: list[LadderStep] = Field(default_factory=list, max_length=30)


class Option(Strict):
    id: StepId
    text: Short = Field(min_length=1)
    pros: Text = ""
    cons: Text = ""


class ProblemSolving(ExerciseData):
    kind: ClassVar[str] = "problem_solving"
    required_parts = (
        ("problem", _("the problem")),
        ("options", _("at least one possible solution")),
        ("chosen", _("the solution you chose")),
        ("plan", _("a plan")),
        ("review", _("how it went")),
    )

    problem: Text = ""
    options: list[Option] = Field(default_factory=list, max_length=20)
    chosen: str = Field("", max_length=64)
    plan: Text = ""
    review: Text = ""
