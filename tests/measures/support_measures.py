"""Test support for the measures services: a PHQ-9-only stand-in for the instrument library.

The real library (``alongside.measures.library``) is written alongside these services. Until
it provides ``score``, the ``measures_library`` fixture swaps in this tiny fake with the same
API; once it does, the tests run against the real one unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from alongside.measures import services
from alongside.measures.library import types as t

PHQ9_OPTIONS = tuple(t.Option(v, label) for v, label in enumerate(["Not at all", "Several days", "More", "Nearly"]))


def _phq9() -> t.Instrument:
    items = [
        t.Item(f"phq9-{n}", n, f"Item {n}", PHQ9_OPTIONS, True, True, (), "above 0" if n == 9 else None)
        for n in range(1, 10)
    ]
    items.append(
        t.Item(
            "phq9-10",
            10,
            "Difficulty",
            PHQ9_OPTIONS,
            False,
            False,
            (t.EnableWhen(t.TOTAL_QUESTION, ">", 0),),
            None,
        )
    )
    return t.Instrument(
        code="phq9",
        name="Patient Health Questionnaire-9",
        short_name="PHQ-9",
        items=tuple(items),
        licence="free",
        citation="Kroenke 2001",
        validated=True,
        loinc_total="44261-6",
        preamble="",
        recall_period="2 weeks",
    )


INSTRUMENTS = {"phq9": _phq9()}


def _get(code: str) -> t.Instrument:
    return INSTRUMENTS[code]


def _score(code: str, answers: Mapping[str, int | None], **context: Any) -> t.ScoreResult:
    inst = _get(code)
    scored = [i for i in inst.items if i.scored]
    missing = [i.number for i in scored if answers.get(i.link_id) is None]
    if missing:
        raise t.AnswerError(f"PHQ-9 needs an answer to item {missing[0]}.")
    total = sum(answers[i.link_id] or 0 for i in scored)
    bands = [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"), (27, "severe")]
    severity = next(label for high, label in bands if total <= high)
    critical = [9] if (answers.get("phq9-9") or 0) > 0 else []
    return t.ScoreResult(code, total, severity, {}, critical, total >= 10, {})


def _is_critical(code: str, link_id: str, value: int | None) -> bool:
    return code == "phq9" and link_id == "phq9-9" and (value or 0) > 0


FAKE = SimpleNamespace(
    get=_get, score=_score, is_critical=_is_critical, AnswerError=t.AnswerError, all_instruments=INSTRUMENTS.values
)


@pytest.fixture
def measures_library(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The real instrument library when it has landed; the PHQ-9 fake until then."""
    from alongside.measures import library

    if hasattr(library, "score") and hasattr(library, "is_critical"):
        return library
    monkeypatch.setattr(services, "library", FAKE)
    return FAKE


def phq9_answers(*, item9: int = 0, rest: int = 1) -> dict[str, int]:
    """Nine scored answers (the difficulty item too when the total is above 0)."""
    answers = {f"phq9-{n}": rest for n in range(1, 9)}
    answers["phq9-9"] = item9
    if sum(answers.values()) > 0:
        answers["phq9-10"] = 1
    return answers


class RaisingEmailBackend(BaseEmailBackend):
    """A mail backend whose server is down: every send raises."""

    def send_messages(self, email_messages: Any) -> int:
        import smtplib

        raise smtplib.SMTPException("mail server down")


RAISING_MAILERS = {"default": {"BACKEND": "tests.measures.support_measures.RaisingEmailBackend"}}
