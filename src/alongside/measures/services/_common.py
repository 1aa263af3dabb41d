"""Helpers shared by the measures services: answers, instruments, time zones, quiet hours, access."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.practice_settings import PracticeSettings
from alongside.core.services import reader
from alongside.core.time import in_quiet_hours, zone_or_utc
from alongside.measures import library
from alongside.measures.models import (
    MeasureResponse,
)

logger = logging.getLogger("alongside.measures.services")


IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
RISK_LEVELS_CRITICAL = frozenset({"moderate", "high"})
_TOKEN = re.compile(r"^[a-z0-9_\- ]{1,40}$")  # band names such as "extremely severe"


# --- Helpers ---------------------------------------------------------------------------


@reader
def answers_of(response: MeasureResponse) -> dict[str, int | None]:
    """Return a response's stored answers as a plain dict (decrypted)."""
    stored = cast(Mapping[str, int | None] | None, response.answers)
    return dict(stored or {})


def _set_answers(response: MeasureResponse, answers: Mapping[str, int | None]) -> None:
    cast(Any, response).answers = dict(answers)


def _instrument(code: str, practice_id: Any = None) -> Any:
    """The shipped instrument, or the practice's own imported one; a clear error when neither exists."""
    from alongside.measures.practice_selectors import instrument_for

    try:
        return instrument_for(practice_id, code)
    except (LookupError, ValueError):
        raise ValidationError(_("There is no questionnaire called %(code)s.") % {"code": code}) from None


def _is_critical(instrument: Any, link_id: str, value: int) -> bool:
    """Critical-item rules belong to shipped instruments; a practice's own questionnaire has none."""
    if not instrument.validated:
        return False
    return bool(library.is_critical(instrument.code, link_id, value))


def _score(instrument: Any, answers: Any, context: Any) -> Any:
    """Score by code (shipped: its scoring file applies) or by the Instrument itself (custom: sum scoring)."""
    return library.score(instrument.code if instrument.validated else instrument, answers, **dict(context or {}))


_zone = zone_or_utc  # kept for the measures modules that still call it by this name


@reader
def _in_quiet_hours(local: dt.datetime, settings: PracticeSettings) -> bool:
    return in_quiet_hours(local, settings.quiet_start, settings.quiet_end)


def _after_quiet_hours(local: dt.datetime, settings: PracticeSettings) -> dt.datetime:
    """Move a local time out of the quiet hours to their end (that day or the next)."""
    if not _in_quiet_hours(local, settings):
        return local
    day = local.date() if local.time() < settings.quiet_end else local.date() + dt.timedelta(days=1)
    return _local(day, settings.quiet_end, cast(ZoneInfo, local.tzinfo))


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Return the aware local time; a wall time skipped by a DST change moves forward past the gap."""
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a non-existent time (spring forward) comes back normalised.
    return aware.astimezone(dt.UTC).astimezone(zone)


def _require_clinician(actor: Actor, client_id: uuid.UUID | str) -> ClientProfile:
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return client
