"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Authentication
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    LOGOUT = "auth.logout", _("Signed out")
    LOCKED_OUT = "auth.locked_out", _("Account locked after failed sign-ins")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset requested")
    MFA_ENROLLED = "auth.mfa_enrolled", _("Second factor enrolled")
    MFA_REMOVED = "auth.mfa_removed", _("Second factor removed")
    MFA_FAILED = "auth.mfa_failed", _("Wrong second-factor code")
    MFA_RECOVERY_USED = "auth.mfa_recovery_used", _("Recovery code used")
    USER_DEACTIVATED = "auth.user_deactivated", _("Account deactivated")
    TOKEN_CREATED = "auth.token_created", _("API token created")
    TOKEN_REVOKED = "auth.token_revoked", _("API token revoked")
    # People and practices
    PRACTICE_CREATED = "practice.created", _("Practice created")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    MEMBERSHIP_CHANGED = "practice.membership_changed", _("Membership changed")
    CLIENT_CREATED = "client.created", _("Client record created")
    CLIENT_UPDATED = "client.updated", _("Client record updated")
    CLIENT_ERASED = "client.erased", _("Client erased")
    CARE_TEAM_CHANGED = "client.care_team_changed", _("Care team changed")
    EPISODE_CHANGED = "client.episode_changed", _("Episode of care changed")
    # Consent and sharing
    CONSENT_PUBLISHED = "consent.published", _("Consent document published")
    CONSENT_SIGNED = "consent.signed", _("Consent signed")
    SCOPE_GRANTED = "consent.scope_granted", _("Sharing turned on")
    SCOPE_REVOKED = "consent.scope_revoked", _("Sharing turned off")
    # Reads of client data by staff
    CLIENT_VIEWED = "client.viewed", _("Viewed the record")
    CLIENT_LISTED = "client.listed", _("Listed in a caseload")
    ACCESS_LOG_VIEWED = "client.access_log_viewed", _("Viewed the access log")
    # Keys
    KEYS_ROTATED = "keys.rotated", _("Master key rotated")


_REGISTERED: list[type[models.TextChoices]] = [AuditAction]


def register_actions(choices: type[models.TextChoices]) -> None:
    """Let an app add its own audit actions (call from its AppConfig.ready)."""
    if choices not in _REGISTERED:
        _REGISTERED.append(choices)


def action_label(code: str) -> str:
    """Return the readable label of an audit action code from any app, or the code itself."""
    for choices in _REGISTERED:
        if code in choices.values:
            return str(choices(code).label)
    return code


class AuditEvent(models.Model):
    """One audited event. Never updated or deleted (triggers refuse it on PostgreSQL and SQLite).

    ``client_id`` and ``actor_id`` are plain ids, not foreign keys: the log outlives
    erasure and must not cascade. ``detail`` never holds client data. ``actor_label`` is empty
    in every event written since keyed hashing (key_id set); older events may hold an email address.
    """

    # Empty while the event waits to be linked into the chain (PostgreSQL, alongside.audit.chainer; migration 0008).
    seq = models.PositiveBigIntegerField(unique=True, null=True)
    at = models.DateTimeField()
    actor_id = models.UUIDField(null=True, blank=True)
    # Legacy only: events written before keyed hashing kept the actor's email here. New events leave it empty.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Found through the (client_id, at) index below; a second index of its own only doubled the writes.
    client_id = models.UUIDField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    # Not unique in the database: nothing looks events up by hash, the chain is checked by `audit verify`,
    # and a unique index on random values touched a random page per event (a caseload writes hundreds).
    hash = models.CharField(max_length=64)
    # The master key whose derived key made ``hash`` (an HMAC); empty for legacy events hashed with plain SHA-256.
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["client_id", "at"]),
            # The password-reset limit counts recent requests per account: without this a request anyone can make
            # would read the whole log. Partial, so no other event pays for it.
            models.Index(
                fields=["object_id", "at"],
                condition=models.Q(action="auth.password_reset_requested"),
                name="audit_password_reset_recent",
            ),
            # The events still to link (a few at most): every linking writer asks whether there are any.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unlinked"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_id or 'system'}"
