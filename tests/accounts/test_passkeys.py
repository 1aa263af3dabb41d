"""Passkeys at the second-factor step, without a browser: refusals and the shared lockout."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import Passkey, TotpDevice
from alongside.audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BOGUS = {
    "id": "AAAA",
    "rawId": "AAAA",
    "type": "public-key",
    "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"},
}


def _passkey_try(client: Client):
    client.post(reverse("accounts:passkey_check_options"))
    return client.post(
        reverse("accounts:passkey_check"), json.dumps({"credential": BOGUS}), content_type="application/json"
    )


def test_failed_passkeys_use_up_the_same_tries_as_wrong_codes(client: Client, world) -> None:
    """Two wrong codes and three refused passkeys make five failures: the second factor pauses, audited."""
    Passkey.objects.create(user=world.alice, name="Key", credential_id="AAAA", public_key=b"not a key")
    client.post(reverse("accounts:login"), {"email": world.alice.email, "password": PASSWORD})
    for _ in range(2):
        client.post(reverse("accounts:mfa_verify"), {"code": "000000"})
    first = _passkey_try(client)
    assert first.status_code == 400
    assert "2 tries left" in first.json()["error"]
    _passkey_try(client)
    last = _passkey_try(client)
    assert last.status_code == 403
    assert last.json()["next"] == reverse("accounts:login")
    assert TotpDevice.objects.get(user=world.alice).locked_until is not None
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED, actor_id=world.alice.pk).count() == 5
    assert "_auth_user_id" not in client.session


def test_no_pending_sign_in_no_passkey_options(client: Client) -> None:
    """Without a password-checked sign-in, the passkey step offers nothing and sends to sign in."""
    response = client.post(reverse("accounts:passkey_check_options"))
    assert response.status_code == 403
    assert response.json()["next"] == reverse("accounts:login")


def test_adding_a_passkey_needs_the_second_factor_in_this_session(client: Client, world) -> None:
    """A staff session that has not passed its second factor cannot start adding a passkey."""
    client.force_login(world.alice, backend="alongside.accounts.backends.EmailBackend")
    assert client.post(reverse("accounts:passkey_add_options")).status_code == 403


def test_someone_elses_passkey_cannot_be_removed(staff_client, world) -> None:
    """Bob posting Alice's passkey id removes nothing."""
    key = Passkey.objects.create(user=world.alice, name="Key", credential_id="BBBB", public_key=b"k")
    staff_client(world.bob).post(reverse("accounts:passkey_remove"), {"passkey_id": str(key.pk)})
    assert Passkey.objects.filter(pk=key.pk).exists()


def test_removing_the_authenticator_removes_the_passkeys(staff_client, world) -> None:
    """Passkeys share the authenticator's tries, so they go with it."""
    from alongside.accounts import services

    Passkey.objects.create(user=world.alice, name="Key", credential_id="CCCC", public_key=b"k")
    services.totp_remove(user=world.alice, actor=world.alice)
    assert not Passkey.objects.filter(user=world.alice).exists()
