"""Two erasures of the same client at once: one erases, the other is told so; neither fails."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alongside.accounts.models import User
from alongside.care import erasure
from alongside.care.models import ClientProfile
from alongside.crypto.models import DataKey
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_two_admins_erasing_the_same_client_at_once() -> None:
    """The account row lock queues the second erasure, which then finds the client already erased."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks between connections are exercised on PostgreSQL (SQLite serialises writers).")
    world = factories.world()
    second_admin = factories.staff(world.practice, role="admin")
    sam_id, email = world.sam.pk, world.sam.user.email
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def erase(admin: User) -> None:
        try:
            client = ClientProfile.objects.select_related("user").get(pk=sam_id)
            barrier.wait(timeout=30)
            erasure.client_erase(actor=admin, client=client, confirm_email=email)
            outcomes.append("erased")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=erase, args=(admin,)) for admin in (world.admin, second_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["This client has already been erased.", "erased"]
    assert not User.objects.filter(pk=sam_id).exists()
    assert not DataKey.objects.filter(owner_id=sam_id).exists()
