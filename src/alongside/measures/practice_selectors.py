"""Reads of a practice's measure choices: its own questionnaires, result sharing, default schedule."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from alongside.care.models import Practice
from alongside.core import practice_settings as shared
from alongside.measures import library
from alongside.measures.library import AnswerError, Instrument
from alongside.measures.models import CustomInstrument, ScheduleRule

logger = logging.getLogger(__name__)


def _practice_id(practice: Practice | uuid.UUID | str | None) -> uuid.UUID | str | None:
    if isinstance(practice, Practice):
        return practice.pk
    return practice


def instrument_for(practice: Practice | uuid.UUID | str | None, code: str) -> Instrument:
    """Return the shipped instrument with this code, else the practice's own; raise LookupError if neither."""
    try:
        return library.get(code)
    except (LookupError, ValueError):
        pass
    practice_id = _practice_id(practice)
    if practice_id is None or not str(code).startswith("custom"):
        raise LookupError(code)
    row = CustomInstrument.objects.filter(practice_id=practice_id, code=code).values_list("questionnaire", flat=True)
    questionnaire = row.first()
    if questionnaire is None:
        raise LookupError(code)
    try:
        instrument = library.custom_instrument_from_fhir(questionnaire)
    except AnswerError:
        logger.exception("measures: stored custom questionnaire %s no longer parses", code)
        raise LookupError(code) from None
    # The stored code wins: it is what schedules and responses refer to.
    return _with_code(instrument, code)


def _with_code(instrument: Instrument, code: str) -> Instrument:
    import dataclasses

    return dataclasses.replace(instrument, code=code) if instrument.code != code else instrument


def custom_instruments(practice: Practice | uuid.UUID | str) -> list[CustomInstrument]:
    """The practice's imported questionnaires, by name."""
    return list(CustomInstrument.objects.filter(practice_id=_practice_id(practice) or "").order_by("name"))


def practice_instruments(practice: Practice | uuid.UUID | str | None) -> list[Instrument]:
    """Every instrument the practice can schedule: the shipped ones, then its own (not validated)."""
    shipped = library.all_instruments()
    if practice is None:
        return shipped
    own = []
    for row in custom_instruments(practice):
        try:
            own.append(_with_code(library.custom_instrument_from_fhir(row.questionnaire), row.code))
        except AnswerError:
            logger.exception("measures: stored custom questionnaire %s no longer parses", row.code)
    return [*shipped, *own]


def clients_see_results(practice_id: uuid.UUID | str) -> bool:
    """Whether the practice lets clients see their score explained when they finish (``core.practice_settings``)."""
    return shared.clients_see_results(practice_id)


@dataclass(frozen=True)
class DefaultSchedule:
    """The practice's default: one questionnaire and how often to ask it."""

    instrument: str
    rule: ScheduleRule
    interval_days: int | None


def practice_default_schedule(practice: Practice | uuid.UUID | str) -> DefaultSchedule | None:
    """Return the practice's default schedule, or None when it has not set one (or set a rule no longer known)."""
    found = shared.practice_default_schedule(_practice_id(practice) or "")
    if found is None or found.rule not in ScheduleRule.values:
        return None
    return DefaultSchedule(
        instrument=found.instrument, rule=ScheduleRule(found.rule), interval_days=found.interval_days
    )
