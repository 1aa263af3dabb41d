"""Reads of a practice's settings (quiet hours, escalation, request window, crisis lines, result sharing, office hours).

Every app reads practice settings here; none queries :class:`~alongside.core.models.PracticeSettings` itself.
The one write, ``measures.services.practice_settings_set`` (admins only, audited), takes the row to change
from :func:`practice_settings_for_update`. Practices are named by id, so core needs no import of ``care``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from alongside.core.models import DEFAULT_ESCALATION_MINUTES, OfficeHours, PracticeSettings

type PracticeId = uuid.UUID | str

__all__ = [
    "DEFAULT_ESCALATION_MINUTES",
    "DefaultSchedule",
    "OfficeHours",
    "PracticeSettings",
    "clients_see_results",
    "crisis_rows",
    "escalation_minutes",
    "office_hours",
    "office_hours_for_update",
    "practice_default_schedule",
    "practice_settings",
    "practice_settings_for_update",
    "practice_settings_many",
]


def practice_settings(practice_id: PracticeId) -> PracticeSettings:
    """Return the practice's settings, or unsaved defaults when it has none."""
    found = PracticeSettings.objects.filter(practice_id=practice_id).first()
    return found or PracticeSettings(practice_id=practice_id)


def practice_settings_many(practice_ids: Iterable[PracticeId]) -> dict[Any, PracticeSettings]:
    """Return the settings of each practice (unsaved defaults for those without a row), in one query."""
    wanted = set(practice_ids)
    found: dict[Any, PracticeSettings] = {
        row.practice_id: row for row in PracticeSettings.objects.filter(practice_id__in=wanted)
    }
    return {pk: found.get(pk) or PracticeSettings(practice_id=pk) for pk in wanted}


def practice_settings_for_update(practice_id: PracticeId) -> PracticeSettings:
    """Return the practice's settings row locked for update, created with defaults when missing.

    Only for the audited service that writes the settings; it must be called inside that service's transaction.
    """
    settings, _created = PracticeSettings.objects.select_for_update().get_or_create(practice_id=practice_id)
    return settings


def escalation_minutes() -> dict[Any, int]:
    """The escalation limit of every practice that set one (others use ``DEFAULT_ESCALATION_MINUTES``)."""
    return dict(PracticeSettings.objects.values_list("practice_id", "escalation_minutes"))


def clients_see_results(practice_id: PracticeId) -> bool:
    """Whether the practice lets clients see their score explained when they finish (yes unless it says no)."""
    value = PracticeSettings.objects.filter(practice_id=practice_id).values_list("clients_see_results", flat=True)
    found = value.first()
    return True if found is None else bool(found)


def crisis_rows(practice_id: PracticeId) -> list[Any]:
    """The practice's own crisis lines as stored (a list of dicts, checked when they were saved)."""
    rows = PracticeSettings.objects.filter(practice_id=practice_id).values_list("crisis_resources", flat=True)
    stored = rows.first()
    return list(stored) if isinstance(stored, list) else []


@dataclass(frozen=True)
class DefaultSchedule:
    """The practice's default: one questionnaire and how often to ask it (``rule`` is a measures ScheduleRule value)."""

    instrument: str
    rule: str
    interval_days: int | None


def practice_default_schedule(practice_id: PracticeId) -> DefaultSchedule | None:
    """Return the practice's default schedule, or None when it has not set one."""
    found = PracticeSettings.objects.filter(practice_id=practice_id).first()
    if found is None or not found.default_instrument or not found.default_rule:
        return None
    return DefaultSchedule(
        instrument=found.default_instrument, rule=found.default_rule, interval_days=found.default_interval_days
    )


def office_hours(practice_id: PracticeId) -> OfficeHours:
    """Return the practice's office hours, or unsaved defaults (Monday to Friday, 9:00 to 17:00, 48 hours)."""
    found = OfficeHours.objects.filter(practice_id=practice_id).first()
    return found or OfficeHours(practice_id=practice_id)


def office_hours_for_update(practice_id: PracticeId) -> OfficeHours:
    """Return the practice's office hours row locked for update, created with defaults when missing.

    Only for the audited service that writes them (``messaging.services.messaging_settings_set``), inside its
    transaction.
    """
    hours, _created = OfficeHours.objects.select_for_update().get_or_create(practice_id=practice_id)
    return hours
