"""Secure messages between a client and their care team: one thread per client.

Bodies and attachments are encrypted under the client's data key. Each message has a
per-thread sequence number, given under a row lock on the thread, so a page that
reconnects asks for "everything after N" and misses nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile, Practice
from alongside.crypto.fields import EncryptedBytesField, EncryptedTextField

MAX_BODY_CHARS = 5000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class MessagingAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and labels only, never message text)."""

    MESSAGE_SENT = "messaging.message_sent", _("Message sent")
    THREAD_VIEWED = "messaging.thread_viewed", _("Viewed messages")
    ATTACHMENT_OPENED = "messaging.attachment_opened", _("Opened a message attachment")
    THREADS_SEARCHED = "messaging.threads_searched", _("Searched messages")
    SETTINGS_CHANGED = "messaging.settings_changed", _("Changed messaging settings")
    ERASED_THREAD_VIEWED = "messaging.erased_thread_viewed", _("Viewed an erased client's conversation")


class Thread(models.Model):
    """The conversation between one client and their care team."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(ClientProfile, on_delete=models.CASCADE, related_name="thread")
    last_seq = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_from_client = models.BooleanField(
        default=False, help_text=_("Whether the latest message came from the client (it awaits a reply).")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["last_message_at"])]

    def __str__(self) -> str:
        return f"thread {self.pk}"

    @property
    def group_name(self) -> str:
        """The channel-layer group that hears this thread's events."""
        return f"thread.{self.pk.hex}"


class EntryKind(models.TextChoices):
    """Records of their own a client can attach to a message."""

    CHECKIN = "checkin", _("Check-in")
    EXERCISE = "exercise", _("Exercise")
    SCORE = "score", _("Questionnaire score")


class Message(models.Model):
    """One message; the body is encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_client = models.BooleanField()
    body = EncryptedTextField(key_field="client_id", blank=True)
    entry_kind = models.CharField(max_length=16, choices=EntryKind.choices, blank=True)
    entry_id = models.UUIDField(null=True, blank=True)
    crisis_language = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="messaging_message_seq_once"),
            models.UniqueConstraint(fields=["sender", "idempotency_key"], name="messaging_message_idempotent"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="messaging_message_seq_positive"),
            models.CheckConstraint(
                condition=(Q(entry_kind="") & Q(entry_id__isnull=True))
                | (~Q(entry_kind="") & Q(entry_id__isnull=False)),
                name="messaging_message_entry_complete",
            ),
        ]
        indexes = [models.Index(fields=["sender", "created_at"]), models.Index(fields=["client", "seq"])]

    def __str__(self) -> str:
        return f"message {self.thread_id}#{self.seq}"


class Attachment(models.Model):
    """An image or PDF sent with a message, encrypted; at most 10 MB."""

    class Kind(models.TextChoices):
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        WEBP = "image/webp", "WebP"
        PDF = "application/pdf", "PDF"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="attachment")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    filename = EncryptedTextField(key_field="client_id")
    content_type = models.CharField(max_length=32, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = EncryptedBytesField(key_field="client_id")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1) & Q(size__lte=MAX_ATTACHMENT_BYTES), name="messaging_attachment_size"
            ),
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class ThreadRead(models.Model):
    """How far one person has read a thread (read receipts and unread counts)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_seq = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="messaging_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_seq}"


class ErasedThread(models.Model):
    """What stays of an erased client's conversation: the care team's side, for the practice's record.

    When a client is erased their thread and messages are deleted with them. Before that, the
    erasure copies the thread here so the clinicians keep what they wrote and when: their own
    messages are re-sealed under this record's own data key (the client's key is destroyed last),
    and each message the client sent is kept as a tombstone, sender "Erased client", with its
    time but without its text, attachment or link to the client's entries. Nothing here points
    at the client or names them; only the clinicians on the care team at erasure (``readers``)
    may open it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(help_text=_("When the first message of the conversation was sent."))
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["practice", "erased_at"])]

    def __str__(self) -> str:
        return f"erased thread {self.pk}"


class ErasedMessage(models.Model):
    """One message of an erased thread: a clinician's, re-sealed, or the client's, as a tombstone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(ErasedThread, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    from_client = models.BooleanField()
    # A clinician's message keeps its sender; a client's is a tombstone (no sender, no text).
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = EncryptedTextField(key_field="thread_id", blank=True)
    had_attachment = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="messaging_erased_seq_once"),
            models.CheckConstraint(
                condition=Q(from_client=False) | (Q(sender__isnull=True) & Q(body_sealed="")),
                name="messaging_erased_client_tombstone",
            ),
        ]

    def __str__(self) -> str:
        return f"erased message {self.thread_id}#{self.seq}"
