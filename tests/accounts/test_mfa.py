"""The second factor: sign-in codes, reuse, recovery codes, enrolment and its settings."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import LoginThrottle, RecoveryCode, ThrottleScope, TotpDevice, User
from alongside.accounts.services import recovery_codes_regenerate
from alongside.accounts.throttle import throttle_key
from alongside.audit.models import AuditAction, AuditEvent
from tests import factories
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/mfa/verify/"
ENROL = "/accounts/mfa/enrol/"
NOW = "2030-03-04 10:00:05Z"


def _secret(user: User) -> str:
    return TotpDevice.objects.get(user=user).secret


def _password_step(client: Client, user: User, **extra: str):
    return client.post(LOGIN, {"email": user.email, "password": PASSWORD, **extra})


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def test_password_step_does_not_sign_in_a_user_with_an_authenticator(client: Client, world, frozen) -> None:
    """With a device, the right password only leads to the code step; nothing is reachable yet."""
    response = _password_step(client, world.alice, next="/accounts/settings/")
    assert response["Location"] == reverse("accounts:mfa_verify")
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me").status_code in (401, 403)
    page = client.get(VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page


def test_right_code_signs_in_with_mfa_and_rotates_the_session(client: Client, world, frozen) -> None:
    """The right code signs the person in, with a new session key, and follows the saved ``next``."""
    _password_step(client, world.alice, next="/accounts/settings/")
    pending_key = client.session.session_key
    response = client.post(VERIFY, {"code": pyotp.TOTP(_secret(world.alice)).now()})
    assert response["Location"] == "/accounts/settings/"
    assert client.session["_auth_user_id"] == str(world.alice.pk)
    assert client.session[SESSION_MFA_OK] is True
    assert client.session.session_key != pending_key
    assert client.get("/api/v1/me").status_code == 200


def test_wrong_code_is_refused(client: Client, world, frozen) -> None:
    """A wrong code is refused with a message, audited, and signs nobody in."""
    _password_step(client, world.alice)
    right = pyotp.TOTP(_secret(world.alice)).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That code is not right" in html
    assert 'aria-invalid="true"' in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED).count() == 1


def test_totp_code_cannot_be_reused(world, frozen) -> None:
    """A code that signed in once is refused the second time, even within its time window."""
    code = pyotp.TOTP(_secret(world.alice)).now()
    first, second = Client(), Client()
    _password_step(first, world.alice)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    _password_step(second, world.alice)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in second.session


def test_five_wrong_codes_send_the_person_back_to_sign_in(client: Client, world, frozen) -> None:
    """After five wrong codes the pending sign-in is dropped, with a clear message."""
    _password_step(client, world.alice)
    for _ in range(5):
        response = client.post(VERIFY, {"code": "000000"})
    assert response["Location"] == reverse("accounts:login")
    follow = client.get(response["Location"])
    assert "Too many wrong codes" in follow.content.decode()
    right = pyotp.TOTP(_secret(world.alice)).now()
    assert client.post(VERIFY, {"code": right})["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_recovery_code_works_once(world, frozen) -> None:
    """A recovery code signs in once; used again it is refused."""
    codes = recovery_codes_regenerate(user=world.alice)
    first, second = Client(), Client()
    _password_step(first, world.alice)
    page = first.get(VERIFY + "?recovery=1").content.decode()
    assert "Recovery code" in page
    assert first.post(VERIFY + "?recovery=1", {"code": codes[0], "recovery": "1"}).status_code == 302
    assert first.session[SESSION_MFA_OK] is True
    _password_step(second, world.alice)
    assert second.post(VERIFY, {"code": codes[0], "recovery": "1"}).status_code == 200
    assert "_auth_user_id" not in second.session
    assert AuditEvent.objects.filter(action=AuditAction.MFA_RECOVERY_USED).count() == 1


@pytest.mark.django_db
def test_enrolment_shows_secret_and_svg_qr_then_recovery_codes(client: Client, frozen) -> None:
    """Enrolment shows the key and an inline SVG QR (no scripts, no styles), then ten recovery codes once."""
    newcomer = factories.staff(factories.practice(), mfa=False)
    _password_step(client, newcomer)
    html = client.get(ENROL).content.decode()
    device = TotpDevice.objects.get(user=newcomer)
    assert device.confirmed_at is None
    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert shown
    assert shown.group(1).replace(" ", "") == device.secret
    assert "<svg" in html
    assert "<script>" not in html
    assert 'style="' not in html
    assert client.get(ENROL).content.decode().count(device.secret[:4]) >= 1  # reload keeps the same key
    assert TotpDevice.objects.get(user=newcomer).secret == device.secret

    assert "The code is 6 digits" in client.post(ENROL, {"code": "123"}).content.decode()
    response = client.post(ENROL, {"code": pyotp.TOTP(device.secret).now()})
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", response.content.decode())
    assert len(codes) == 10
    assert response["Cache-Control"].find("no-store") >= 0 or "no-cache" in response["Cache-Control"]
    assert client.session[SESSION_MFA_OK] is True
    assert not client.get("/").get("Location", "").startswith("/accounts/")
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENROLLED).count() == 1


def test_settings_regenerates_codes_and_removes_the_authenticator(staff_client, world) -> None:
    """Settings replace recovery codes and remove the authenticator, each after the password."""
    client = staff_client(world.alice)
    recovery_codes_regenerate(user=world.alice)
    old = set(RecoveryCode.objects.filter(user=world.alice).values_list("digest", flat=True))
    refused = client.post("/accounts/settings/", {"action": "codes", "codes-password": "wrong"})
    assert "not your current password" in refused.content.decode()
    response = client.post("/accounts/settings/", {"action": "codes", "codes-password": PASSWORD})
    assert len(re.findall(r"<li>[0-9a-f]{6}-[0-9a-f]{6}</li>", response.content.decode())) == 10
    assert old.isdisjoint(RecoveryCode.objects.filter(user=world.alice).values_list("digest", flat=True))

    response = client.post("/accounts/settings/", {"action": "mfa_remove", "mfa_remove-password": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa_enrol")
    assert not TotpDevice.objects.filter(user=world.alice).exists()
    assert client.get("/")["Location"] == reverse("accounts:mfa_enrol")
    assert AuditEvent.objects.filter(action=AuditAction.MFA_REMOVED).count() == 1


def test_client_may_enrol_from_settings(client: Client, world, frozen) -> None:
    """A client can choose to add an authenticator; afterwards sign-in asks for its code."""
    client.post(LOGIN, {"email": world.sam.user.email, "password": PASSWORD})
    assert "Set up an authenticator" in client.get("/accounts/settings/").content.decode()
    client.get(ENROL)
    secret = TotpDevice.objects.get(user=world.sam.user).secret
    assert client.post(ENROL, {"code": pyotp.TOTP(secret).now()}).status_code == 200
    client.post("/accounts/logout/")
    assert client.post(LOGIN, {"email": world.sam.user.email, "password": PASSWORD})["Location"] == VERIFY


def test_wrong_codes_over_several_sign_ins_pause_the_second_factor(client: Client, world, frozen) -> None:
    """Wrong codes count per user across sign-ins (not per session): the fifth pauses code checks.

    Replaces the old session-counted rule, where each abandoned sign-in counted as one failed
    password and a new sign-in started the code count afresh (issue #11, finding 2).
    """
    for _ in range(2):
        assert _password_step(client, world.alice)["Location"] == VERIFY
        client.post(VERIFY, {"code": "000000"})
        client.post(VERIFY, {"code": "000001"})
    assert _password_step(client, world.alice)["Location"] == VERIFY
    response = client.post(VERIFY, {"code": "000002"})
    assert response["Location"] == reverse("accounts:login")
    assert "Too many wrong codes" in client.get(LOGIN).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    _password_step(client, world.alice)
    right = pyotp.TOTP(_secret(world.alice)).now()
    assert client.post(VERIFY, {"code": right})["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_the_second_factor_works_again_after_the_pause(client: Client, world, frozen) -> None:
    """Once the pause has passed, the right code signs in and the count starts again from zero."""
    _password_step(client, world.alice)
    for _ in range(5):
        client.post(VERIFY, {"code": "000000"})
    frozen.shift(settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 60 + 1)
    _password_step(client, world.alice)
    response = client.post(VERIFY, {"code": pyotp.TOTP(_secret(world.alice)).now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.alice.pk)
    assert TotpDevice.objects.get(user=world.alice).failures == 0


def test_passing_both_steps_clears_earlier_failures(client: Client, world, frozen) -> None:
    """Wrong passwords before a complete sign-in do not count towards a later pause."""
    for _ in range(settings.ALONGSIDE_LOGIN_MAX_FAILURES - 1):
        client.post(LOGIN, {"email": world.alice.email, "password": "wrong-password-x"})
    _password_step(client, world.alice)
    client.post(VERIFY, {"code": pyotp.TOTP(_secret(world.alice)).now()})
    pair = throttle_key(ThrottleScope.ACCOUNT_IP, world.alice.email, "127.0.0.1")
    assert LoginThrottle.objects.get(key=pair).failures == 0
