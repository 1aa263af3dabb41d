"""Who is in a group session's call: the waiting room, admissions, removals and attendance.

One row per person and group, written by the group call's services (never by the browser directly).
Nothing said in the call (chat, names typed, media) is stored here or anywhere. Imported by
``telehealth.models`` so Django finds these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.telehealth.group_models import GroupSession


class GroupCallAuditAction(models.TextChoices):
    """Audit events of a group call (``detail`` holds ids and roles only, never names or chat)."""

    WAITING = "telehealth.group_waiting", _("Entered the waiting room of a group session")
    ADMITTED = "telehealth.group_admitted", _("Let a person into a group session")
    REMOVED = "telehealth.group_removed", _("Removed a person from a group session")
    LEFT = "telehealth.group_left", _("Left a group session")
    ATTENDED = "telehealth.group_attended", _("Attended a group session with the clinician")


class GroupCallRole(models.TextChoices):
    """The same roles as one-to-one rooms (``telehealth.models.Role``), for a group's call."""

    CLIENT = "client", _("Client")
    CLINICIAN = "clinician", _("Clinician")
    GUEST = "guest", _("Guest")


class GroupPresence(models.Model):
    """One person's way through one group's call: waited, let in, removed, in the call, attended."""

    group = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=GroupCallRole.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    in_call = models.BooleanField(default=False)  # the browser's Janus connection is up now
    attended_at = models.DateTimeField(null=True, blank=True)  # first moment in the call with the clinician

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="telehealth_group_presence_once"),
            models.CheckConstraint(
                condition=Q(role__in=["client", "clinician", "guest"]), name="telehealth_group_presence_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} in group {self.group_id}"
