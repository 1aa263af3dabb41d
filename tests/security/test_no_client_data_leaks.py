"""No client data in logs or email: a sentinel planted in client data never leaves the pages.

The sentinel is planted as an existing client's name (through the factory) and as the
preferred name and typed signature of a newly invited client. The whole invitation,
consent, sign-in, password-reset and record-viewing flow then runs with every logger
captured at DEBUG, SQL logging on, and every email kept.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from alongside.consent.selectors import current_document
from tests import factories

SENTINEL = "SENTINEL-Zq7Wx41"
NEW_SENTINEL = "SENTINEL-Invited-Kp83"
PASSWORD = "quiet-river-lantern-42"


def _every_logged_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(repr(getattr(record, "params", "")))
        parts.append(repr(getattr(record, "sql", "")))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def _every_mailed_text(mailoutbox: list) -> str:  # type: ignore[type-arg]
    parts = []
    for message in mailoutbox:
        parts += [message.subject, message.body, message.message().as_string()]
        parts += [str(content) for content, _mime in getattr(message, "alternatives", [])]
    return "\n".join(parts)


@pytest.mark.django_db(transaction=True)
def test_sentinel_in_client_data_never_reaches_logs_or_email(
    caplog: pytest.LogCaptureFixture,
    mailoutbox: list,
    staff_client,  # type: ignore[type-arg]
) -> None:
    """Client names and typed signatures show on the pages they belong to, never in a log line or an email."""
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.db.backends", "alongside"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True  # log every SQL statement and its parameters
    try:
        practice = factories.practice()
        alice = factories.staff(practice)
        existing = factories.client(practice, clinicians=(alice,), name=SENTINEL, scopes=("mood", "journal"))

        # The clinician reads the caseload and the existing client's record, then invites a new client.
        clinician = staff_client(alice)
        caseload = clinician.get(reverse("care:caseload"))
        detail = clinician.get(reverse("care:client_detail", args=[existing.pk]))
        invite = clinician.post(
            reverse("care:client_invite"),
            {"email": "invited@example.test", "preferred_name": NEW_SENTINEL, "locale": "en", "time_zone": "UTC"},
        )
        assert invite.status_code == 200
        assert len(mailoutbox) == 1
        link = re.search(r"https?://[^/\s]+(/practice/invitation/[^\s]+/)", mailoutbox[0].body)
        assert link is not None

        # The new client accepts, signs the consent with the sentinel as typed name, signs out and back in.
        web = Client()
        assert web.get(link.group(1)).status_code == 200
        accepted = web.post(link.group(1), {"password": PASSWORD, "password_again": PASSWORD})
        assert accepted.status_code == 302
        document = current_document(practice_id=practice.pk)
        assert document is not None
        signed = web.post(
            reverse("consent:sign"),
            {"typed_name": NEW_SENTINEL, "shown_sha256": document.body_sha256, "scope_mood": "on"},
        )
        assert signed.status_code == 302
        web.post(reverse("accounts:logout"))
        web.post(reverse("accounts:login"), {"email": "invited@example.test", "password": "wrong-password-1"})
        login = web.post(reverse("accounts:login"), {"email": "invited@example.test", "password": PASSWORD})
        assert login.status_code == 302
        home = web.get(reverse("web:home"))
        web.get(reverse("consent:access_log"))

        # Password resets for both clients send email too.
        Client().post(reverse("accounts:password_reset"), {"email": "invited@example.test"})
        Client().post(reverse("accounts:password_reset"), {"email": existing.user.email})
        # A refused request logs a warning; the sentinel's record id may appear, its data may not.
        Client().get(reverse("care:client_detail", args=[existing.pk]))
    finally:
        connection.force_debug_cursor = False

    # The planted data did reach the people entitled to it, so its absence below means something.
    assert SENTINEL.encode() in caseload.content
    assert SENTINEL.encode() in detail.content
    assert home.status_code == 200
    assert (
        NEW_SENTINEL.encode() in home.content
        or NEW_SENTINEL.encode() in clinician.get(reverse("care:caseload")).content
    )
    assert len(mailoutbox) >= 3
    assert len(caplog.records) > 50  # SQL and request logs really were captured

    logged = _every_logged_text(caplog)
    mailed = _every_mailed_text(mailoutbox)
    assert "invited@example.test" in logged  # SQL parameters were captured too
    for sentinel in (SENTINEL, NEW_SENTINEL):
        assert sentinel not in logged, f"{sentinel} appeared in the logs"
        assert sentinel not in mailed, f"{sentinel} appeared in an email"
        assert "SENTINEL" not in mailed
