"""The session brief's statements, pinned (issues #11 and #19: the brief was the heaviest page under load)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.dashboards.brief import brief_for
from tests.measures.support_measures import measures_library  # noqa: F401
from tests.sessions.test_brief import seeded  # noqa: F401  (the fixture: Sam's fortnight since the last session)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def test_the_brief_page_makes_a_pinned_number_of_statements(seeded, staff_client):  # noqa: F811
    """Alice's brief on Sam makes 48 statements on SQLite (52 before: the messages section read the thread's messages
    whole, whether sending was on, the office hours and the read receipts, for two counts)."""
    browser = staff_client(seeded.alice)
    url = reverse("sessions:brief", args=[seeded.sam.pk])
    browser.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    # PostgreSQL adds the audit chain's advisory lock to each of the four audit steps.
    expected = 52 if connection.vendor == "postgresql" else 48
    assert len(queries.captured_queries) == expected, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_the_messages_section_opens_no_message(seeded, monkeypatch):  # noqa: F811
    """The brief counts Sam's unanswered messages without decrypting or building any message."""

    def opened(*args, **kwargs):
        raise AssertionError("the brief built a message view")

    monkeypatch.setattr("alongside.messaging.selectors._views", opened)
    brief = brief_for(actor=seeded.alice, client_id=seeded.sam.pk)
    assert brief.messages.shown
    assert brief.messages.data.awaiting_reply
    assert brief.messages.data.unanswered == 2
    assert brief.messages.data.from_client_in_period == 3
