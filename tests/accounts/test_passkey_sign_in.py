"""Signing in with a passkey alone (no email, no password): both factors at once, throttled like a password."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import AccountsAuditAction, LoginThrottle, Passkey, ThrottleScope, TotpDevice
from alongside.audit.models import AuditAction, AuditEvent
from tests.accounts.passkey_support import SoftPasskey
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OPTIONS = reverse("accounts:passkey_sign_in_options")
FINISH = reverse("accounts:passkey_sign_in")


def _challenge(client: Client, **extra) -> str:
    response = client.post(OPTIONS, **extra)
    assert response.status_code == 200
    return response.json()["challenge"]


def _finish(client: Client, credential: dict, next_url: str = "", **extra):
    body = json.dumps({"credential": credential, "next": next_url})
    return client.post(FINISH, body, content_type="application/json", **extra)


def test_the_options_name_nobody_and_require_user_verification(client: Client, world) -> None:
    """The sign-in page's passkey options list no credentials and require the authenticator to verify the person."""
    SoftPasskey(world.alice).register()
    options = client.post(OPTIONS).json()
    assert options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []
    assert options["rpId"] == "testserver"


def test_a_staff_passkey_alone_signs_in_with_both_factors(client: Client, world) -> None:
    """Alice signs in with her passkey only: no code is asked, the caseload opens, and it is audited as a passkey sign-in."""
    key = SoftPasskey(world.alice)
    stored = key.register()
    response = _finish(client, key.answer(_challenge(client)), next_url="/accounts/settings/")
    assert response.status_code == 200
    assert response.json() == {"next": "/accounts/settings/"}
    assert client.session["_auth_user_id"] == str(world.alice.pk)
    assert client.session[SESSION_MFA_OK] is True
    caseload = client.get(reverse("web:home"), follow=True)  # not sent to the second-factor page
    assert caseload.status_code == 200
    assert caseload.redirect_chain[-1][0] == "/practice/clients/"
    stored.refresh_from_db()
    assert stored.sign_count == 1
    assert stored.last_used_at is not None
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_SIGN_IN, actor_id=world.alice.pk).count() == 1
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, actor_id=world.alice.pk)
    assert login.detail == {"mfa": True, "method": "passkey"}


def test_a_client_passkey_alone_signs_in(client: Client, world) -> None:
    """Sam, a client with an authenticator app and a passkey, signs in with the passkey alone and lands at home."""
    TotpDevice.objects.create(user=world.sam.user, secret="JBSWY3DPEHPK3PXP", confirmed_at=world.sam.user.date_joined)
    key = SoftPasskey(world.sam.user)
    key.register()
    response = _finish(client, key.answer(_challenge(client)), next_url="https://elsewhere.example/")
    assert response.json() == {"next": reverse("web:home")}  # a foreign next is not followed
    assert client.session["_auth_user_id"] == str(world.sam.user.pk)
    assert client.get(reverse("web:home")).status_code == 200


def test_a_passkey_that_did_not_verify_the_person_is_refused(client: Client, world) -> None:
    """A signature without user verification is only something held, not both factors: refused and audited."""
    key = SoftPasskey(world.alice)
    key.register()
    response = _finish(client, key.answer(_challenge(client), verified=False))
    assert response.status_code == 400
    assert "not accepted" in response.json()["error"]
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.detail == {"step": "passkey"}
    assert failed.object_id == str(world.alice.pk)


def test_an_answer_for_someone_else_or_replayed_is_refused(client: Client, world) -> None:
    """A user handle that is not the owner's is refused; an answer sent twice finds its challenge used up."""
    key = SoftPasskey(world.alice)
    key.register()
    foreign = _finish(client, key.answer(_challenge(client), user_handle=world.bob.pk.bytes))
    assert foreign.status_code == 400
    answer = key.answer(_challenge(client))
    assert _finish(client, answer).status_code == 200
    client.logout()
    assert _finish(client, answer).status_code == 400


def test_refused_passkeys_pause_sign_in_as_wrong_passwords_do(client: Client, world, settings) -> None:
    """Five refused passkeys from one address pause Alice's sign-in there, for her passkey and her password alike."""
    key = SoftPasskey(world.alice)
    key.register()
    for _ in range(settings.ALONGSIDE_LOGIN_MAX_FAILURES):
        assert _finish(client, key.answer(_challenge(client), verified=False)).status_code == 400
    good = _finish(client, key.answer(_challenge(client)))
    assert good.status_code == 400
    assert "Too many failed sign-ins" in good.json()["error"]
    assert "_auth_user_id" not in client.session
    password = client.post(reverse("accounts:login"), {"email": world.alice.email, "password": PASSWORD})
    assert "Too many failed sign-ins" in password.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, object_id=str(world.alice.pk)).exists()
    # From another address the owner is not locked out.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert _finish(other, key.answer(_challenge(other)), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_passkey_nobody_owns_counts_against_the_address_only(client: Client, world) -> None:
    """An unknown passkey names no account: the failure is counted for the network address alone."""
    stranger = SoftPasskey(world.alice)  # never registered
    response = _finish(client, stranger.answer(_challenge(client)))
    assert response.status_code == 400
    assert list(LoginThrottle.objects.values_list("scope", flat=True)) == [ThrottleScope.IP]
    assert not Passkey.objects.exists()


def test_the_sign_in_page_offers_a_passkey_only_to_scripts(client: Client) -> None:
    """The passkey form waits hidden for the page's module script (without it, the password form is the way in)."""
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'id="passkey-sign-in"' in page
    assert "data-passkey-signin" in page
    assert " hidden novalidate>" in page
    assert "web/passkeys.js" in page
