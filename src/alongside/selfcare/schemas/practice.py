"""Schemas of exposure and activity practice logs."""

from __future__ import annotations

from typing import Annotated, Any

import pydantic
from django.core.exceptions import ValidationError
from pydantic import Field

from alongside.selfcare.schemas.base import Strict, pydantic_messages

Suds = Annotated[int, Field(ge=0, le=100)]
Score = Annotated[int, Field(ge=0, le=10)]


class ExposurePractice(Strict):
    step_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    rating_before: Suds
    rating_peak: Suds
    rating_after: Suds
    duration_seconds: int | None = Field(None, ge=0, le=24 * 3600)
    note: str = Field("", max_length=4000)


class ActivityPractice(Strict):
    step_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    done: bool
    mastery: Score | None = None
    pleasure: Score | None = None
    note: str = Field("", max_length=4000)


def validate_practice[M: Strict](schema: type[M], data: dict[str, Any]) -> M:
    """Return the practice parsed by ``schema``; raise Django's ``ValidationError`` with plain messages."""
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(pydantic_messages(error)) from None
