"""Shared tables: the request fingerprint kept with every idempotency key, and each practice's settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One idempotency key, used once by one key owner in one scope, with a fingerprint of its request body.

    ``user`` owns the key space the entity's own unique constraint uses: the client for a client's
    records (check-ins, responses, exercises), the sender for messages. ``body_hash`` is a keyed
    SHA-256 (HMAC) of the canonical JSON of the validated payload, never the payload itself.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=48)
    key = models.CharField(max_length=64)
    body_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotency record")
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="core_idempotency_once"),
            models.CheckConstraint(condition=~models.Q(scope=""), name="core_idempotency_scope_set"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


DEFAULT_ESCALATION_MINUTES = 24 * 60


class PracticeSettings(models.Model):
    """A practice's shared choices: alert escalation, quiet hours, request window, crisis lines, result sharing.

    Moved out of ``measures`` (its ``PracticeMeasureSettings``, core migration 0002 copies every row) because
    quiet hours and crisis lines are read by several apps. ``practice`` names ``care.Practice`` by string: a model
    reference for the database, not an import, so core still imports no other app. The one writer is the audited
    ``measures.services.practice_settings_set`` (it checks the admin and validates the questionnaire choices);
    every reader uses :mod:`alongside.core.practice_settings`.
    """

    practice = models.OneToOneField(
        "care.Practice", on_delete=models.CASCADE, primary_key=True, related_name="practice_settings"
    )
    escalation_minutes = models.PositiveIntegerField(
        default=DEFAULT_ESCALATION_MINUTES,
        help_text=_("Minutes an alert may stay unacknowledged before the practice admins are told."),
    )
    quiet_start = models.TimeField(default=dt.time(21, 0), help_text=_("No reminders from this local time..."))
    quiet_end = models.TimeField(default=dt.time(8, 0), help_text=_("...until this local time."))
    request_window_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Days a request stays open before it expires.")
    )
    crisis_resources = models.JSONField(
        default=list, blank=True, help_text=_("Extra crisis lines shown before the defaults for the client's country.")
    )
    clients_see_results = models.BooleanField(
        default=True, help_text=_("Clients see their score explained in plain words when they finish.")
    )
    default_instrument = models.CharField(max_length=64, blank=True, help_text=_("The practice default questionnaire."))
    # One of measures.models.ScheduleRule (core cannot name it); the measures service validates it.
    default_rule = models.CharField(max_length=20, blank=True)
    default_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practice settings")
        verbose_name_plural = _("practice settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(escalation_minutes__gte=5), name="core_escalation_at_least_5_min"
            ),
            models.CheckConstraint(condition=models.Q(request_window_days__gte=1), name="core_request_window_positive"),
        ]

    def __str__(self) -> str:
        return f"settings of practice {self.practice_id}"


def weekdays() -> list[int]:
    """Monday to Friday as ISO weekdays: the office days of a practice that set none."""
    return [1, 2, 3, 4, 5]


class OfficeHours(models.Model):
    """A practice's office hours and the reply time clients are told to expect, shown before they send a message.

    Moved out of ``messaging`` (its ``MessagingSettings``; core migration 0003 copies every row) so that any app
    can say whether the practice is open without importing messaging. The one writer is the audited
    ``messaging.services.messaging_settings_set``; readers use :mod:`alongside.core.practice_settings`.
    """

    practice = models.OneToOneField("care.Practice", on_delete=models.CASCADE, primary_key=True, related_name="+")
    office_days = models.JSONField(default=weekdays, help_text=_("ISO weekdays (1 = Monday ... 7 = Sunday)."))
    opens_at = models.TimeField(default=dt.time(9, 0))
    closes_at = models.TimeField(default=dt.time(17, 0))
    reply_within_hours = models.PositiveSmallIntegerField(default=48)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")), name="core_office_hours_order"
            ),
            models.CheckConstraint(
                condition=models.Q(reply_within_hours__gte=1) & models.Q(reply_within_hours__lte=336),
                name="core_reply_within_range",
            ),
        ]

    def __str__(self) -> str:
        return f"office hours of practice {self.practice_id}"
