"""Notifications (in-app, by email and live over WebSockets) and each person's choices of which they get.

A notification carries no clinical content: a kind, a site-relative link and, for access and audit
only, the client it concerns. Emails say only that something is waiting in Alongside.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.crypto.fields import EncryptedTextField


class NotificationKind(models.TextChoices):
    MESSAGE = "message", _("New message")
    ALERT = "alert", _("Client alert")
    ESCALATION = "escalation", _("Escalated alert")
    HOMEWORK = "homework", _("Homework due")
    MEASURE_DUE = "measure_due", _("Questionnaire to fill in")
    SESSION = "session", _("Session reminder")


# Safety: a critical alert must always reach the clinician, so nobody can switch these off.
ALWAYS_ON = frozenset({NotificationKind.ALERT, NotificationKind.ESCALATION})
STAFF_KINDS = (NotificationKind.MESSAGE, NotificationKind.ALERT, NotificationKind.ESCALATION)
CLIENT_KINDS = (NotificationKind.MESSAGE, NotificationKind.HOMEWORK, NotificationKind.MEASURE_DUE)


class NotifyAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds kinds and counts only)."""

    SENT = "notify.sent", _("Notifications sent")
    PREFERENCES_CHANGED = "notify.preferences_changed", _("Notification choices changed")
    EMAIL_FAILED = "notify.email_failed", _("Email given up after its retries")
    PUSH_SUBSCRIBED = "notify.push_subscribed", _("Device notifications turned on")
    PUSH_UNSUBSCRIBED = "notify.push_unsubscribed", _("Device notifications turned off")


def validate_link(value: str) -> None:
    """Accept only a path on this site: it starts with one slash, never two, and has no backslash."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(c.isspace() for c in value):
        raise ValidationError(_("A notification link must be a path on this site."), code="link")


class Notification(models.Model):
    """One notice for one person. Never holds names, message text or answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    link = models.CharField(max_length=500, validators=[validate_link])
    # For access checks and audit only; never shown in an email.
    subject_client = models.ForeignKey(
        "care.ClientProfile", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    # What the notice is about, for the app that sent it to find its notices again: "<app>.<thing>:<id>", ids only
    # (a critical alert's notices are "measures.alert:<alert id>"). Empty for notices nobody looks up.
    topic = models.CharField(max_length=120, blank=True, default="")
    # False when the person chose email only for this kind: kept for delivery records, not listed.
    in_app = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notify_notification_dedupe",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notify_notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(link__startswith="/") & ~models.Q(link__startswith="//"),
                name="notify_notification_link_local",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notify_recipient_unread"),
            models.Index(fields=["topic"], condition=~models.Q(topic=""), name="notify_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice to {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's choice for one kind; with no row, both channels are on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notify_preference_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notify_preference_kind_valid"
            ),
            models.CheckConstraint(
                # Sorted: a set's order changes from one process to the next, and the migration check with it.
                condition=~models.Q(kind__in=sorted(k.value for k in ALWAYS_ON)) | (models.Q(in_app=True, email=True)),
                name="notify_preference_alerts_always_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} choice of {self.user_id}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutboundEmail(models.Model):
    """One email in the outbox, with its delivery record (the telemetry: attempts, outcome, last error).

    The address, text and attachment are sealed under a key of the row's own and erased once the email is
    sent or given up, so the outbox never keeps a copy of what it sent. ``ref`` names a row whose ``emailed_at``
    is set on success ("notify.Notification:<pk>"), ids only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32)
    to = EncryptedTextField(key_field="id", blank=True)
    subject = EncryptedTextField(key_field="id", blank=True)
    body = EncryptedTextField(key_field="id", blank=True)
    # One optional attachment (a calendar invitation), sealed like the text so a retry sends the same file.
    attachment = EncryptedTextField(key_field="id", blank=True)
    attachment_name = models.CharField(max_length=80, blank=True, default="")
    attachment_type = models.CharField(max_length=120, blank=True, default="")
    ref = models.CharField(max_length=120, blank=True, default="")
    # Ids only, for the logs: which alert or request this email is about.
    note = models.CharField(max_length=120, blank=True, default="")
    status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While sending: a killed worker's claim runs out here, and the email is tried again.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values), name="notify_outbound_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EmailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="notify_outbound_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} email {self.pk} ({self.status})"


class PushSubscription(models.Model):
    """One device's Web Push subscription (opt-in, made in the browser): where and how to send it a notice.

    The endpoint and the two keys are sealed under the person's data key; ``endpoint_digest`` (SHA-256 of
    the endpoint) finds a device again without reading them. What is sent is content-free ("You have an
    update"), encrypted for the device (RFC 8291) and signed with the site's VAPID key (RFC 8292).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint_digest = models.CharField(max_length=64, unique=True)
    endpoint = EncryptedTextField(key_field="user_id")
    p256dh = EncryptedTextField(key_field="user_id")
    auth = EncryptedTextField(key_field="user_id")
    # A name the person can recognise ("Firefox on Linux"), from the browser; no identifier.
    device = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"
