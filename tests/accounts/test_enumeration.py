"""Sign-up and password reset do not tell who has an account (issue #11, finding 7).

Both pages answer the same for a known and an unknown address, and neither sends mail inside
the request: the email waits in the outbox until after the commit. The time each answer takes
is measured by ``bench/enumeration.py`` (timings are never asserted in tests).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from alongside.accounts.models import User
from alongside.care.models import Practice
from alongside.notify.models import OutboundEmail

SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"


def _page(response) -> str:
    """The page without what differs on every request (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _signup(email: str):
    return Client().post(SIGNUP, {"name": "Pat Doe", "practice_name": "Quay Therapy", "email": email})


def test_signup_answers_the_same_for_a_known_and_an_unknown_address(world, django_capture_on_commit_callbacks) -> None:
    """The answer to a taken address is the same page as to a new one; no second account or practice appears."""
    practices = Practice.objects.count()
    with django_capture_on_commit_callbacks() as queued:
        known = _signup(world.alice.email.upper())
        unknown = _signup("brand-new@example.test")
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)
    assert "already exists" not in _page(known)
    assert mail.outbox == []  # nothing sent inside either request
    assert OutboundEmail.objects.count() == 2
    assert len(queued) == 2
    assert User.objects.filter(email__iexact=world.alice.email).count() == 1
    assert Practice.objects.count() == practices


def test_the_owner_of_a_taken_address_is_told_someone_tried(world, django_capture_on_commit_callbacks) -> None:
    """Signing up with a taken address emails its owner a note with a sign-in link, and no sign-up link."""
    with django_capture_on_commit_callbacks(execute=True):
        _signup(world.alice.email)
    (message,) = mail.outbox
    assert message.to == [world.alice.email]
    assert "tried" in message.subject
    assert "/accounts/login/" in message.body
    assert "/accounts/signup/confirm/" not in message.body


def test_reset_answers_the_same_and_sends_nothing_inside_the_request(world, django_capture_on_commit_callbacks) -> None:
    """Reset for a known and an unknown address: the same page and the same work (one email waiting in the outbox)."""
    with django_capture_on_commit_callbacks() as queued:
        known = Client().post(RESET, {"email": world.sam.user.email}, follow=True)
        unknown = Client().post(RESET, {"email": "nobody@example.test"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _page(known) == _page(unknown)
    assert mail.outbox == []
    assert OutboundEmail.objects.count() == 2
    for callback in queued:
        callback()
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "/accounts/password/reset/" in by_address[world.sam.user.email]
    assert "no active account uses it" in by_address["nobody@example.test"]
    assert "/accounts/password/reset/" not in by_address["nobody@example.test"]


def test_at_most_three_account_emails_an_hour_reach_an_address(world, django_capture_on_commit_callbacks) -> None:
    """Sign-up and reset requests share a limit of three emails an hour per address, known or not."""
    with django_capture_on_commit_callbacks(execute=True):
        for email in (world.alice.email, "stranger@example.test"):
            for _ in range(2):
                _signup(email)
                Client().post(RESET, {"email": email})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.alice.email] * 3 + ["stranger@example.test"] * 3)


@pytest.mark.django_db
def test_the_signup_form_no_longer_says_an_address_is_taken(client: Client) -> None:
    """A second sign-up with the same address (any case) is answered like the first and creates nothing."""
    from tests import factories

    factories.staff(factories.practice(), email="dana@harbour.example")
    response = client.post(SIGNUP, {"name": "D", "practice_name": "Another", "email": "DANA@harbour.example"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert "already exists" not in response.content.decode()
    assert Practice.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", [SIGNUP, RESET])
def test_known_and_unknown_addresses_cost_the_same_queries(world, page: str) -> None:
    """The work behind each answer, query by query, does not depend on whether the address has an account."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    form = {"name": "Pat Doe", "practice_name": "Quay Therapy"}
    counts = []
    for email in (world.sam.user.email, "nobody-at-all@example.test"):
        Client().post(page, {**form, "email": f"warm-{email}"})  # same caches warmed for both
        with CaptureQueriesContext(connection) as queries:
            Client().post(page, {**form, "email": email})
        counts.append([q["sql"].split()[0] for q in queries.captured_queries])
    assert counts[0] == counts[1]
