"""Shared tables: the request fingerprint kept with every idempotency key."""

from __future__ import annotations

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
