"""Erasures that stopped halfway before issue #11 (key gone, rows left) can be reached and finished."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile
from alongside.crypto.keys import destroy_data_key
from alongside.crypto.models import DataKey
from alongside.messaging import services as messaging


@pytest.fixture
def half_erased(world, django_capture_on_commit_callbacks):
    """Sam wrote to Alice; then an erasure destroyed Sam's key, was audited, and failed on the rows."""
    sam = world.sam
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_send(
            actor=sam.user, client_id=sam.pk, body="See you Thursday.", idempotency_key="half-erased"
        )
    destroy_data_key(sam.pk)
    record(AuditAction.CLIENT_ERASED, actor=world.admin, client_id=sam.pk, detail={"practice": str(sam.practice_id)})
    return sam


def _run(*args: str) -> str:
    out = StringIO()
    call_command("erasure", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_admin_can_open_the_erase_page_of_a_half_erased_client(world, half_erased, staff_client) -> None:
    """The erase page answers 200 without the client's name instead of failing on the missing key."""
    response = staff_client(world.admin).get(reverse("care:client_erase", args=[half_erased.pk]))
    assert response.status_code == 200
    assert b"the data key is gone" in response.content


def test_the_admin_can_finish_a_half_erased_client_from_the_page(world, half_erased, staff_client) -> None:
    """Typing the email on the page erases what was left, and the caseload answers again."""
    web = staff_client(world.admin)
    email = half_erased.user.email
    response = web.post(reverse("care:client_erase", args=[half_erased.pk]), {"confirm_email": email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=half_erased.pk).exists()
    assert staff_client(world.alice).get(reverse("care:caseload")).status_code == 200


def test_the_command_lists_and_finishes_recorded_erasures_only(world, half_erased, staff_client) -> None:
    """`erasure list` names only Sam; `erasure finish` erases Sam, audits it, and leaves Robin alone."""
    listed = _run("list")
    assert str(half_erased.pk) in listed
    assert str(world.other_client.pk) not in listed
    assert f"{half_erased.pk}: erased" in _run("finish")
    assert not ClientProfile.objects.filter(pk=half_erased.pk).exists()
    assert not User.objects.filter(pk=half_erased.pk).exists()
    assert ClientProfile.objects.filter(pk=world.other_client.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CLIENT_ERASED, client_id=half_erased.pk).count() == 2
    assert "Every recorded erasure is complete." in _run("list")
    for user in (world.admin, world.alice):
        web = staff_client(user)
        assert web.get(reverse("care:caseload")).status_code == 200
        assert web.get(reverse("api:clients_list")).status_code == 200


def test_finishing_a_recorded_erasure_whose_key_remains_destroys_it(world) -> None:
    """A recorded erasure whose key and rows both remain is finished whole: rows deleted, key destroyed."""
    sam = world.sam
    record(AuditAction.CLIENT_ERASED, actor=world.admin, client_id=sam.pk, detail={"practice": str(sam.practice_id)})
    assert DataKey.objects.filter(owner_id=sam.pk).exists()
    _run("finish")
    assert not DataKey.objects.filter(owner_id=sam.pk).exists()
    assert not ClientProfile.objects.filter(pk=sam.pk).exists()
