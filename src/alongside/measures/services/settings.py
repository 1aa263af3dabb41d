"""Writes for a practice's measure settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.care.models import Membership, Practice
from alongside.measures.models import (
    MeasureAuditAction,
    PracticeMeasureSettings,
)
from alongside.measures.services._common import (
    _audit,
)


def practice_settings_set(
    *,
    actor: Any,
    practice: Practice,
    escalation_minutes: int | None = None,
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    request_window_days: int | None = None,
) -> PracticeMeasureSettings:
    """Change a practice's measure settings. Practice owners and admins only."""
    membership = Membership.objects.filter(user=actor, practice=practice, is_active=True).first()
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can change these settings."))
    if escalation_minutes is not None and not 5 <= escalation_minutes <= 7 * 24 * 60:
        raise ValidationError(_("Escalate after 5 minutes to 7 days."))
    if request_window_days is not None and not 1 <= request_window_days <= 60:
        raise ValidationError(_("Keep requests open for 1 to 60 days."))
    with transaction.atomic():
        settings, _created = PracticeMeasureSettings.objects.select_for_update().get_or_create(practice=practice)
        for name, value in (
            ("escalation_minutes", escalation_minutes),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
            ("request_window_days", request_window_days),
        ):
            if value is not None:
                setattr(settings, name, value)
        settings.save()
        _audit(MeasureAuditAction.SETTINGS_CHANGED, actor=actor, obj=settings)
    return settings
