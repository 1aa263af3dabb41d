"""The instrument library: published questionnaires, exact scoring and outcomes, with no database.

The data are files in ../instruments: <code>.questionnaire.json (FHIR R4 Questionnaire: wording, answers,
enableWhen, required) and <code>.scoring.json (licence, citations, bands, subscales, reverse items, critical
rules, caseness and reliable change, each with its source). They are loaded and validated on first use.

Branching: Item.enable_when holds FHIR enableWhen conditions. A condition whose question is "$total"
(TOTAL_QUESTION) compares the running raw total of the scored items instead of one answer; PHQ-9's difficulty
item uses EnableWhen("$total", ">", 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alongside.measures.library.fhir import custom_instrument_from_fhir
from alongside.measures.library.loader import InstrumentDataError, registry
from alongside.measures.library.metadata import ScoringSpec
from alongside.measures.library.outcomes import jacobson_truax, paired_outcome
from alongside.measures.library.scoring import critical_rule_holds, score_instrument
from alongside.measures.library.translations import localized
from alongside.measures.library.types import (
    TOTAL_QUESTION,
    AnswerError,
    Band,
    EnableWhen,
    Instrument,
    Item,
    Option,
    ScoreResult,
)

__all__ = [
    "TOTAL_QUESTION",
    "AnswerError",
    "Band",
    "EnableWhen",
    "Instrument",
    "InstrumentDataError",
    "Item",
    "Option",
    "ScoreResult",
    "UnknownInstrument",
    "all_instruments",
    "custom_instrument_from_fhir",
    "get",
    "is_critical",
    "jacobson_truax",
    "localized",
    "paired_outcome",
    "reliable_change",
    "score",
    "scoring_spec",
]


class UnknownInstrument(KeyError):
    """No shipped instrument has this code."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown instrument"


def _entry(code: str) -> tuple[Instrument, ScoringSpec]:
    entries = registry()
    try:
        return entries[code]
    except (KeyError, TypeError):
        known = ", ".join(entries)
        raise UnknownInstrument(f"unknown instrument {code!r}; known: {known}") from None


def get(code: str) -> Instrument:
    """Return the shipped instrument with this lower-case code; raise UnknownInstrument (a KeyError) if none."""
    return _entry(code)[0]


def scoring_spec(code: str) -> ScoringSpec:
    """Return the validated scoring metadata of a shipped instrument (sources, bands, rules)."""
    return _entry(code)[1]


def all_instruments() -> list[Instrument]:
    """Return the shipped instruments, ordered by code."""
    return [instrument for instrument, _ in registry().values()]


def score(
    code: str | Instrument,
    answers: Mapping[str, int | str | None] | Sequence[int | str | None],
    **context: Any,
) -> ScoreResult:
    """Score one administration.

    `answers` maps link_id to value, or lists values in item order (digit strings are accepted, as the
    command line passes them); None or "-" marks an item not asked
    (branching) or not applicable. `context` carries what some instruments need besides the answers:
    AUDIT-C takes sex="male" or "female". A custom instrument (custom_instrument_from_fhir) is passed as
    the Instrument itself and is sum-scored. Raises AnswerError for missing required items, values that
    are not answers, and answers to items that were not asked.
    """
    if isinstance(code, Instrument):
        shipped = registry().get(code.code)
        # A shipped instrument, or its published translation, keeps its scoring rules (critical items included).
        if shipped and (shipped[0] is code or code == localized(shipped[0], code.language)):
            return score_instrument(code, shipped[1], answers, context)
        return score_instrument(code, None, answers, context)
    instrument, spec = _entry(code)
    return score_instrument(instrument, spec, answers, context)


def is_critical(code: str, link_id: str, value: int) -> bool:
    """Return whether this answer to this item is critical (calls for the crisis path)."""
    instrument, spec = _entry(code)
    instrument.item(link_id)  # KeyError for an item the instrument lacks
    return critical_rule_holds(spec, link_id, value)


def reliable_change(code: str) -> float | None:
    """Return the reliable change value of an instrument's total, or None where none is published.

    Published indices: PHQ-9 6 and GAD-7 4 (NHS Talking Therapies manual, 2024); CORE-10 6 (Barkham et al.
    2013, at 90%); PCL-5 15 (Marx et al. 2022). Instruments whose scoring file gives SD and reliability get
    Jacobson-Truax. A change of exactly the value counts as reliable. The source, or the reason for None, is
    Instrument.reliable_change_source.
    """
    return get(code).reliable_change
