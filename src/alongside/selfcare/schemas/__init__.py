"""Pydantic schemas for exercise data: one model per exercise type, each with its ranges.

Every write of ``ExerciseEntry.data`` goes through :func:`validate_data`: unknown fields,
out-of-range ratings and (on completion) missing parts raise a Django ``ValidationError``.
"""

from alongside.selfcare.schemas.base import SCHEMAS, ExerciseData, validate_data
from alongside.selfcare.schemas.exercises import (
    THINKING_TRAPS,
    ActivityPlan,
    ExposureLadder,
    ProblemSolving,
    ThinkingTrap,
    ThoughtRecord,
)
from alongside.selfcare.schemas.practice import ActivityPractice, ExposurePractice, validate_practice

__all__ = [
    "SCHEMAS",
    "THINKING_TRAPS",
    "ActivityPlan",
    "ActivityPractice",
    "ExerciseData",
    "ExposureLadder",
    "ExposurePractice",
    "ProblemSolving",
    "ThinkingTrap",
    "ThoughtRecord",
    "validate_data",
    "validate_practice",
]
