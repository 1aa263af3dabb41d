"""Read the starter catalogue file, validated by pydantic before it reaches the ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop
from pydantic import BaseModel, ConfigDict, Field, field_validator

from alongside.applibrary import vocab

CATALOGUE = Path(__file__).parent / "data" / "catalogue.json"
# The shipped file's "about", which becomes the notes of each evaluation it loads. Marked here (word for word, a
# test compares them) so the catalogues carry it: the app page translates notes that still read exactly so, and
# shows a practice's own notes as written.
SHIPPED_NOTES = gettext_noop(
    "Alongside's starter catalogue of outside apps. Written on 2026-12-06 from public facts; every field we could"
    " not verify is 'unknown'. An answer with a link was checked on 2026-12-06 against the page linked (the "
    "developer's own page or policy, a published trial, or an independent review); an answer without one shows as"
    " unverified. The practice should still re-check each fact against the app's own pages and store (and record "
    "the link, the date and who checked) before relying on it. Apps change owners, prices and privacy policies, "
    "and close."
)

AnswerCode = Literal["yes", "no", "unknown"]


class SourcedAnswer(BaseModel):
    """An answer with its evidence: the https page that supports it, the day it was read, and who read it."""

    model_config = ConfigDict(extra="forbid")

    answer: AnswerCode
    evidence: str = Field(min_length=1, max_length=200)
    checked_on: dt.date
    checked_by: str = Field(min_length=1, max_length=200)

    @field_validator("evidence")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or " " in value:
            raise ValueError(f"evidence must be an https:// link to the page read, not {value!r}")
        return value

    @field_validator("checked_by")
    @classmethod
    def _checker(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("checked_by must name who read the evidence")
        return value.strip()


@dataclass(frozen=True)
class AnswerRow:
    """One question's answer as stored: a bare answer has no link, so it stays unverified."""

    answer: str
    evidence_url: str
    checked_on: dt.date
    checked_by: str


class AppEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9-]{1,60}$")
    name: str = Field(min_length=1, max_length=120)
    developer: str = ""
    website: str = ""
    summary: str = ""
    targets: list[str]
    platforms: list[str]
    languages: list[str]
    exports: list[str]
    cost: Literal["free", "freemium", "subscription", "unknown"] = "unknown"
    status: Literal["available", "withdrawn"] = "available"
    withdrawn_on: dt.date | None = None
    status_note: str = ""
    answers: dict[str, AnswerCode | SourcedAnswer] = {}

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.TARGETS, "target")

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.PLATFORMS, "platform")

    @field_validator("exports")
    @classmethod
    def _exports(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.EXPORTS, "export")

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: dict[str, AnswerCode | SourcedAnswer]) -> dict[str, AnswerCode | SourcedAnswer]:
        _known(list(value), vocab.QUESTION_BY_CODE, "question")
        return value

    def answer_row(self, code: str, evaluated_on: dt.date, evaluated_by: str) -> AnswerRow:
        """The stored form of question ``code``: "unknown" when absent; a bare answer is dated and signed by the
        file but carries no link, so only an answer with evidence shows as verified."""
        given = self.answers.get(code, "unknown")
        if isinstance(given, SourcedAnswer):
            return AnswerRow(given.answer, given.evidence, given.checked_on, given.checked_by)
        return AnswerRow(given, "", evaluated_on, evaluated_by)


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str
    evaluated_on: dt.date
    review_by: dt.date
    evaluated_by: str
    apps: list[AppEntry]


def _known(values: list[str], allowed: Mapping[str, object], what: str) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}; expected one of {', '.join(allowed)}")
    return values


def read(path: Path = CATALOGUE) -> CatalogueFile:
    """Parse the catalogue file (raises pydantic.ValidationError on bad input)."""
    return CatalogueFile.model_validate_json(path.read_bytes())
