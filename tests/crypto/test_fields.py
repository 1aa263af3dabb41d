"""Encrypted fields: plaintext never reaches the database; ciphertext is bound to its row and field."""

from __future__ import annotations

import pytest
from django.db import connection

from alongside.care.models import ClientProfile
from alongside.crypto.keys import DecryptionFailed
from tests import factories


@pytest.mark.django_db
def test_preferred_name_is_stored_sealed_and_reads_back() -> None:
    """The column holds a sealed token; the attribute gives the plaintext back."""
    p = factories.practice()
    c = factories.client(p, name="Zebediah-sentinel")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT preferred_name_sealed FROM care_clientprofile WHERE user_id = %s",
            [c.pk.hex if connection.vendor == "sqlite" else c.pk],
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:")
    assert "Zebediah" not in stored
    assert ClientProfile.objects.get(pk=c.pk).preferred_name == "Zebediah-sentinel"


@pytest.mark.django_db
def test_ciphertext_copied_to_another_row_does_not_open() -> None:
    """A token moved from one client's row to another's fails to decrypt."""
    p = factories.practice()
    a = factories.client(p, name="Alpha")
    b = factories.client(p, name="Beta")
    ClientProfile.objects.filter(pk=b.pk).update(preferred_name_sealed=a.preferred_name_sealed)
    with pytest.raises(DecryptionFailed):
        _ = ClientProfile.objects.get(pk=b.pk).preferred_name


@pytest.mark.django_db
def test_ciphertext_copied_to_another_field_does_not_open() -> None:
    """A token moved to another field of the same row fails to decrypt."""
    p = factories.practice()
    a = factories.client(p, name="Alpha")
    a.full_name = "Alpha Full"
    a.save()
    ClientProfile.objects.filter(pk=a.pk).update(full_name_sealed=a.preferred_name_sealed)
    with pytest.raises(DecryptionFailed):
        _ = ClientProfile.objects.get(pk=a.pk).full_name
