"""Video rooms: one per appointment, holding who was admitted and when both sides were connected.

No content of a call is stored: no media, no chat, no signalling payloads. The room keeps
only moments (waiting, admitted, connected, ended), which is what attendance needs.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.sessions.models import Appointment


class TelehealthAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds roles and ids only, never call content)."""

    ROOM_JOINED = "telehealth.room_joined", _("Joined a video session")
    ROOM_ADMITTED = "telehealth.room_admitted", _("Admitted the client to a video session")
    ROOM_LEFT = "telehealth.room_left", _("Left a video session")
    ROOM_ENDED = "telehealth.room_ended", _("Ended a video session")
    ROOM_CONNECTED = "telehealth.room_connected", _("Both sides connected in a video session")


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    CLINICIAN = "clinician", _("Clinician")


class VideoRoom(models.Model):
    """The video room of one appointment (made on the first join)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="video_room")
    opened_at = models.DateTimeField()
    client_waiting_since = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    both_connected_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(both_connected_at__isnull=True) | Q(admitted_at__isnull=False),
                name="telehealth_room_connected_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"video room of {self.appointment_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
