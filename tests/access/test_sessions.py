"""Staff sessions time out when idle and after an absolute lifetime; clients' do not idle out."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT

pytestmark = pytest.mark.django_db


def _age_session(client, *, seen_ago: float = 0, auth_ago: float = 0) -> None:
    session = client.session
    session[SESSION_SEEN_AT] = time.time() - seen_ago
    session[SESSION_AUTH_AT] = time.time() - auth_ago
    session.save()


@override_settings(ALONGSIDE_STAFF_IDLE_MINUTES=30)
def test_idle_staff_session_is_ended(world, staff_client) -> None:
    """A clinician idle for longer than the limit is signed out and sent to sign in."""
    client = staff_client(world.alice)
    _age_session(client, seen_ago=31 * 60)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@override_settings(ALONGSIDE_STAFF_ABSOLUTE_HOURS=12)
def test_absolute_lifetime_ends_an_active_staff_session(world, staff_client) -> None:
    """Even an active clinician signs in again after the absolute lifetime."""
    client = staff_client(world.alice)
    _age_session(client, seen_ago=10, auth_ago=13 * 3600)
    response = client.get("/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_recent_staff_session_continues(world, staff_client) -> None:
    """A clinician active a minute ago stays signed in."""
    client = staff_client(world.alice)
    _age_session(client, seen_ago=60)
    client.get("/")
    assert client.session.get("_auth_user_id") == str(world.alice.pk)


def test_staff_without_second_factor_reach_no_page(world, client) -> None:
    """A clinician signed in without the second factor is held at the MFA step."""
    client.force_login(world.alice, backend="alongside.accounts.backends.EmailBackend")
    response = client.get(f"/practice/clients/{world.sam.pk}/")
    assert response.status_code == 302
    assert "/accounts/mfa/" in response.headers["Location"]
    api = client.get(f"/api/v1/clients/{world.sam.pk}")
    assert api.status_code == 403
