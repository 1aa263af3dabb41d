"""Starting a practice from the sign-up page: an emailed link, then a password, then MFA."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import User
from alongside.care.models import Membership, Practice, Role

SIGNUP = "/accounts/signup/"
GOOD = {"name": "Dana Reyes", "practice_name": "Harbour Psychology", "email": "Dana@Harbour.example"}
PASSWORD = "tidal-lantern-orchard-42"


def _ask(client: Client, capture, **changes: str):
    """Post the sign-up form and deliver what it queued after its commit (the outbox)."""
    with capture(execute=True):
        return client.post(SIGNUP, {**GOOD, **changes})


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db
def test_signup_emails_a_link_that_creates_practice_and_owner_then_asks_for_mfa(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    """The form only emails a link; the link's password form creates the practice, signs in and asks for MFA."""
    response = _ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert not User.objects.exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@harbour.example"]
    link = _link(mail.outbox[0].body)
    page = client.get(link).content.decode()
    assert "Harbour Psychology" in page
    assert 'autocomplete="new-password"' in page
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa_enrol")
    user = User.objects.get(email="dana@harbour.example")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.practice.name == "Harbour Psychology"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_MFA_OK] is False
    assert client.get("/")["Location"] == reverse("accounts:mfa_enrol")
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 400  # used: the account exists now
    assert Practice.objects.count() == 1


@pytest.mark.django_db
def test_a_tampered_link_creates_nothing(client: Client, django_capture_on_commit_callbacks) -> None:
    """A link whose signed data was changed is refused and creates nothing."""
    _ask(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body)
    tampered = link.replace("/confirm/", "/confirm/x")
    response = client.post(tampered, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert "does not work" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password123", "too common"), ("4815162342000", "entirely numeric")],
)
def test_weak_password_is_refused_and_nothing_is_created(
    client: Client, django_capture_on_commit_callbacks, password: str, message: str
) -> None:
    """A weak password is refused with the validator's message; no user or practice is created."""
    _ask(client, django_capture_on_commit_callbacks)
    response = client.post(_link(mail.outbox[0].body), {"password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_mismatched_passwords_are_refused(client: Client, django_capture_on_commit_callbacks) -> None:
    """The two password fields must match."""
    _ask(client, django_capture_on_commit_callbacks)
    response = client.post(_link(mail.outbox[0].body), {"password1": PASSWORD, "password2": "something-else-entirely"})
    assert "do not match" in response.content.decode()
    assert not User.objects.exists()
