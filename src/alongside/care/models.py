"""Practices, their staff, their clients, care teams and episodes of care."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.crypto.blind_index import name_index
from alongside.crypto.fields import EncryptedTextField


class Practice(models.Model):
    """A tenant: one clinic or one therapist in private practice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("practice name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, default="US", help_text=_("ISO 3166 code."))
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Practice admin")
    CLINICIAN = "clinician", _("Clinician")


ADMIN_ROLES = (Role.OWNER, Role.ADMIN)


class Membership(models.Model):
    """A staff member's place in a practice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "practice"], name="care_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.practice}"

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


class ClientStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DISCHARGED = "discharged", _("Discharged")


class ClientProfile(models.Model):
    """A client of a practice. The primary key is the client's user id (and data-key owner)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="client_profile"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    preferred_name = EncryptedTextField(key_field="user_id")
    full_name = EncryptedTextField(key_field="user_id", blank=True)
    locale = models.CharField(max_length=10, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    # ISO 3166-1 alpha-2; chooses the crisis lines the client sees. Blank: guessed from time_zone.
    country = models.CharField(max_length=2, blank=True, default="")
    status = models.CharField(max_length=16, choices=ClientStatus.choices, default=ClientStatus.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    phone = EncryptedTextField(key_field="user_id", blank=True)
    emergency_contact_name = EncryptedTextField(key_field="user_id", blank=True)
    emergency_contact_phone = EncryptedTextField(key_field="user_id", blank=True)
    # Keyed blind index of the names (alongside.crypto.blind_index), for the caseload's search box.
    name_index = models.TextField(blank=True, default="", editable=False)

    class Meta:
        indexes = [models.Index(fields=["practice", "status"])]

    def __str__(self) -> str:
        return f"client {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refresh the name index whenever a name is set (bulk writes call :func:`name_index` themselves)."""
        plain = self.__dict__
        if "_plain_preferred_name" in plain or "_plain_full_name" in plain or not self.name_index:
            self.name_index = name_index(self.preferred_name or "", self.full_name or "")
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "name_index" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "name_index"]
        super().save(*args, **kwargs)

    @property
    def client_id(self) -> uuid.UUID:
        return self.user_id


class CareTeamMember(models.Model):
    """A clinician on a client's care team; exactly one current member may be primary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_assignments")
    is_primary = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_primary=True, ended_at__isnull=True), name="care_one_primary"
            ),
            models.UniqueConstraint(
                fields=["client", "clinician"], condition=Q(ended_at__isnull=True), name="care_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} on care team of {self.client_id}"


class EpisodeEndReason(models.TextChoices):
    COMPLETED = "completed", _("Treatment completed")
    DROPPED_OUT = "dropped_out", _("Stopped attending")
    REFERRED = "referred", _("Referred elsewhere")
    OTHER = "other", _("Other")


class Episode(models.Model):
    """An episode of care: from referral or first session to discharge."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="episodes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = EncryptedTextField(key_field="client_id", blank=True, help_text=_("Why care started."))
    end_reason = models.CharField(max_length=16, choices=EpisodeEndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="care_episode_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(ended_on__isnull=True), name="care_one_open_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"episode from {self.started_on}"


class InvitationRole(models.TextChoices):
    ADMIN = "admin", _("Practice admin")
    CLINICIAN = "clinician", _("Clinician")
    CLIENT = "client", _("Client")


class Invitation(models.Model):
    """A single-use, expiring invitation link. Only the token's SHA-256 digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=InvitationRole.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role="client", client__isnull=False) | (~Q(role="client") & Q(client__isnull=True)),
                name="care_invitation_client_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"invitation to {self.email} as {self.role}"
