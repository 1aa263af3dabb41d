"""Join links for guests without an account (an outside interpreter): one appointment, one browser.

Only a SHA-256 hash of the link's token is kept. The first browser that opens the link gets a
cookie whose hash is kept too (``binding_hash``); any other browser is refused from then on.
The guest's name, as the clinician typed it, is encrypted under the client's key. No email
address is kept: the invitation is sent and forgotten.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.crypto.fields import EncryptedTextField
from alongside.sessions.models import Appointment
from alongside.telehealth.calendar_models import GuestRole


class GuestLinkAuditAction(models.TextChoices):
    """Audit events of join links (``detail`` holds ids and roles, never the guest's name or address)."""

    LINK_CREATED = "telehealth.guest_link_created", _("Made a guest join link for a video session")
    LINK_USED = "telehealth.guest_link_used", _("A guest opened their join link")
    LINK_REFUSED = "telehealth.guest_link_refused", _("A guest join link was refused")
    LINK_REVOKED = "telehealth.guest_link_revoked", _("Revoked a guest join link")
    LINK_ADMITTED = "telehealth.guest_link_admitted", _("Admitted a guest to a video session")
    LINK_JOINED = "telehealth.guest_link_joined", _("A guest joined a video session")
    LINK_LEFT = "telehealth.guest_link_left", _("A guest left a video session")


class GuestLink(models.Model):
    """A single-use join link for one appointment's room, bound to the first browser that opens it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="guest_links")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")  # the key of ``name``
    name = EncryptedTextField(key_field="client_id", blank=True)
    role = models.CharField(max_length=16, choices=GuestRole.choices)
    show_first_name = models.BooleanField(default=False)  # the guest sees the client's first name (off: none)
    token_hash = models.CharField(max_length=64, unique=True)
    binding_hash = models.CharField(max_length=64, blank=True)  # the first browser's cookie, hashed
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=GuestRole.values), name="telehealth_link_role_valid"),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True, binding_hash="") | Q(used_at__isnull=False) & ~Q(binding_hash=""),
                name="telehealth_link_used_is_bound",
            ),
        ]

    def __str__(self) -> str:
        return f"guest link of {self.appointment_id}"
