"""Per-person data keys, stored wrapped by the master key."""

from __future__ import annotations

from django.db import models


class DataKey(models.Model):
    """An AES-256 data key for one person's records, wrapped (AES-GCM) by a master key.

    The owner is a user id (a client's records use the client's user id). There is
    deliberately no foreign key: erasure destroys this row first, and nothing else
    may cascade into it.
    """

    owner_id = models.UUIDField(unique=True)
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16, help_text="Fingerprint of the wrapping master key.")
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["master_key_id"])]

    def __str__(self) -> str:
        return f"data key for {self.owner_id} (master {self.master_key_id})"
