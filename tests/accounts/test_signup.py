"""Starting a practice from the sign-up page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import User
from alongside.care.models import Membership, Practice, Role

SIGNUP = "/accounts/signup/"
GOOD = {
    "name": "Dana Reyes",
    "practice_name": "Harbour Psychology",
    "email": "Dana@Harbour.example",
    "password1": "tidal-lantern-orchard-42",
    "password2": "tidal-lantern-orchard-42",
}


@pytest.mark.django_db
def test_signup_creates_practice_and_owner_then_asks_for_mfa(client: Client) -> None:
    """Sign-up creates the practice with its owner, signs them in and sends them to MFA enrolment."""
    response = client.post(SIGNUP, GOOD)
    assert response["Location"] == reverse("accounts:mfa_enrol")
    user = User.objects.get(email="dana@harbour.example")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.practice.name == "Harbour Psychology"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_MFA_OK] is False
    assert client.get("/")["Location"] == reverse("accounts:mfa_enrol")


@pytest.mark.django_db
def test_duplicate_email_is_refused_and_nothing_is_created(client: Client) -> None:
    """A second sign-up with the same email (any case) is refused clearly and creates nothing."""
    client.post(SIGNUP, GOOD)
    client.post("/accounts/logout/")
    response = client.post(SIGNUP, {**GOOD, "email": "DANA@harbour.example", "practice_name": "Another"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "already exists" in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 1
    assert Practice.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password123", "too common"), ("4815162342000", "entirely numeric")],
)
def test_weak_password_is_refused_and_nothing_is_created(client: Client, password: str, message: str) -> None:
    """A weak password is refused with the validator's message; no user or practice is created."""
    response = client.post(SIGNUP, {**GOOD, "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_mismatched_passwords_are_refused(client: Client) -> None:
    """The two password fields must match."""
    response = client.post(SIGNUP, {**GOOD, "password2": "something-else-entirely"})
    assert "do not match" in response.content.decode()
    assert not User.objects.exists()
