"""Writes for a practice's settings (the rows live in ``core.PracticeSettings``; this is their one writer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from alongside.audit.log import record
from alongside.care.models import Membership, Practice
from alongside.core.actor import Actor
from alongside.core.practice_settings import PracticeSettings, practice_settings_for_update
from alongside.core.services import service
from alongside.measures.models import MeasureAuditAction, ScheduleRule
from alongside.measures.schemas import CrisisRows
from alongside.measures.services._common import (
    _instrument,
)


def _require_admin(actor: Actor, practice: Practice) -> None:
    membership = Membership.objects.filter(user=actor, practice=practice, is_active=True).first()
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can change these settings."))


@service
def practice_settings_set(
    *,
    actor: Actor,
    practice: Practice,
    escalation_minutes: int | None = None,
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    request_window_days: int | None = None,
    clients_see_results: bool | None = None,
    default_instrument: str | None = None,
    default_rule: ScheduleRule | str | None = None,
    default_interval_days: int | None = None,
) -> PracticeSettings:
    """Change a practice's measure settings. Practice owners and admins only.

    ``default_instrument=""`` clears the practice default schedule.
    """
    _require_admin(actor, practice)
    if escalation_minutes is not None and not 5 <= escalation_minutes <= 7 * 24 * 60:
        raise ValidationError(_("Escalate after 5 minutes to 7 days."))
    if request_window_days is not None and not 1 <= request_window_days <= 60:
        raise ValidationError(_("Keep requests open for 1 to 60 days."))
    default: dict[str, Any] = {}
    if default_instrument is not None:
        default = _default_schedule(practice, default_instrument, default_rule, default_interval_days)
    with transaction.atomic():
        settings = practice_settings_for_update(practice.pk)
        for name, value in (
            ("escalation_minutes", escalation_minutes),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
            ("request_window_days", request_window_days),
            ("clients_see_results", clients_see_results),
            *default.items(),
        ):
            if value is not None:
                setattr(settings, name, value)
        settings.save()
        record(MeasureAuditAction.SETTINGS_CHANGED, actor=actor, obj=settings)
    return settings


def _default_schedule(
    practice: Practice, instrument: str, rule: ScheduleRule | str | None, interval_days: int | None
) -> dict[str, Any]:
    if not instrument:
        return {"default_instrument": "", "default_rule": "", "default_interval_days": None}
    code = _instrument(instrument, practice.pk).code
    if rule not in ScheduleRule.values:
        raise ValidationError(_("Choose how often to ask."))
    if rule == ScheduleRule.EVERY_N_DAYS:
        if interval_days is None or not 1 <= interval_days <= 366:
            raise ValidationError(_("Ask every 1 to 366 days."))
    else:
        interval_days = None
    return {"default_instrument": code, "default_rule": str(rule), "default_interval_days": interval_days}


@service
def practice_crisis_resources_set(*, actor: Actor, practice: Practice, rows: list[dict[str, Any]]) -> PracticeSettings:
    """Replace the practice's own crisis lines. Every row is checked first; a bad one changes nothing."""
    _require_admin(actor, practice)
    try:
        clean = CrisisRows.model_validate({"rows": rows})
    except PydanticValidationError as error:
        raise ValidationError([_crisis_message(e) for e in error.errors()]) from None
    with transaction.atomic():
        settings = practice_settings_for_update(practice.pk)
        settings.crisis_resources = [row.model_dump() for row in clean.rows]
        settings.save(update_fields=["crisis_resources", "updated_at"])
        record(MeasureAuditAction.SETTINGS_CHANGED, actor=actor, obj=settings, detail={"crisis_rows": len(clean.rows)})
    return settings


def _crisis_message(error: Any) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] == "rows" and loc[1].isdigit():
        field = loc[2] if len(loc) > 2 else ""
        return _("Line %(n)s %(field)s: %(message)s") % {"n": int(loc[1]) + 1, "field": field, "message": message}
    return _("Crisis lines: %(message)s") % {"message": message}
