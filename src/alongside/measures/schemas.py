"""Pydantic models for what admins send to the measures settings: a practice's crisis lines."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from alongside.safety.resources import ALIASES

MAX_CRISIS_ROWS = 10
_PHONE = re.compile(r"^[0-9+][0-9 ()+\-]{0,31}$")

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]


class CrisisRow(BaseModel):
    """One crisis line of a practice: shown for one country, or for every country when ``country`` is empty."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    country: str = Field(default="", max_length=2)
    name: str = Field(min_length=1, max_length=120)
    phone: Short = ""
    text: Short = ""
    url: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=300)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        value = ALIASES.get(value.upper(), value.upper())
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError("use a two-letter country code such as US or GB, or leave it empty for every country")
        return value

    @field_validator("phone", "text")
    @classmethod
    def _number(cls, value: str) -> str:
        if value and not _PHONE.match(value):
            raise ValueError("use digits, spaces, + and - only")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https://[^\s<>\"']+\.[^\s<>\"']+", value):
            raise ValueError("use a full web address starting with https://")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> CrisisRow:
        if not (self.phone or self.text or self.url):
            raise ValueError("give a phone number, a text number or a web address")
        return self


class CrisisRows(BaseModel):
    """The practice's crisis lines, at most ten."""

    rows: list[CrisisRow] = Field(max_length=MAX_CRISIS_ROWS)
