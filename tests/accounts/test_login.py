"""Password sign-in, lock-out, session rotation, sign-out and deactivation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.services import user_deactivate
from alongside.audit.models import AuditAction, AuditEvent
from tests import factories
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _post_login(client: Client, email: str, password: str, **extra: str):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


@pytest.mark.django_db
def test_login_page_has_labelled_fields_with_autocomplete(client: Client) -> None:
    """The sign-in form labels its inputs and tells password managers what they are."""
    html = client.get(LOGIN).content.decode()
    assert 'for="id_email"' in html
    assert 'for="id_password"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "<script>" not in html
    assert 'style="' not in html


def test_wrong_password_is_refused_with_a_clear_message(client: Client, world) -> None:
    """A wrong password shows a plain message, marks nothing as signed in and is audited."""
    response = _post_login(client, world.sam.user.email, "not-the-password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_lock_out_after_too_many_failures_even_with_the_right_password(client: Client, world) -> None:
    """After ALONGSIDE_LOGIN_MAX_FAILURES wrong passwords from one address, sign-in from there pauses, with a clear message."""
    email = world.sam.user.email
    for _ in range(settings.ALONGSIDE_LOGIN_MAX_FAILURES):
        response = _post_login(client, email, "wrong-password-here")
    assert "Too many failed sign-ins" in response.content.decode()
    response = _post_login(client, email, PASSWORD)
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == settings.ALONGSIDE_LOGIN_MAX_FAILURES
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1


def test_lock_out_ends_after_the_lock_period(client: Client, world, time_machine) -> None:
    """Once the lock period has passed, the right password signs in again."""
    time_machine.move_to("2030-01-01 09:00Z")
    email = world.sam.user.email
    for _ in range(settings.ALONGSIDE_LOGIN_MAX_FAILURES):
        _post_login(client, email, "wrong-password-here")
    time_machine.move_to("2030-01-01 10:00Z")
    response = _post_login(client, email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.sam.user.pk)


def test_session_key_rotates_at_login(client: Client, world) -> None:
    """Signing in replaces the session key, so a planted session id is worthless."""
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    response = _post_login(client, world.sam.user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 1


def test_client_without_authenticator_goes_to_a_safe_next(client: Client, world) -> None:
    """A client without a second factor is signed in and sent to a same-site ``next``."""
    response = _post_login(client, world.sam.user.email, PASSWORD, next="/accounts/settings/")
    assert response["Location"] == "/accounts/settings/"


def test_unsafe_next_is_ignored(client: Client, world) -> None:
    """An off-site ``next`` is replaced by the home page."""
    response = _post_login(client, world.sam.user.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("web:home")


@pytest.mark.django_db
def test_staff_without_mfa_is_sent_to_enrolment_and_sees_no_data(client: Client) -> None:
    """Staff without a second factor reach only their account pages; the API refuses them."""
    practice = factories.practice()
    newcomer = factories.staff(practice, mfa=False)
    response = _post_login(client, newcomer.email, PASSWORD)
    assert response["Location"] == reverse("accounts:mfa_enrol")
    assert client.session[SESSION_MFA_OK] is False
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:mfa_enrol")
    assert client.get("/api/v1/me").status_code == 403
    assert client.get(reverse("accounts:mfa_enrol")).status_code == 200


def test_logout_is_post_only_and_ends_the_session(client: Client, world) -> None:
    """Sign-out needs a POST; it ends the session and is audited."""
    _post_login(client, world.sam.user.email, PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1
    assert client.get("/").status_code == 302


def test_deactivated_users_sessions_end(client: Client, world) -> None:
    """Deactivating a user ends the sessions they hold at once."""
    _post_login(client, world.sam.user.email, PASSWORD)
    assert client.get("/").status_code == 200
    ended = user_deactivate(user=world.sam.user, actor=world.admin)
    assert ended == 1
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "do not match" in _post_login(client, world.sam.user.email, PASSWORD).content.decode()
