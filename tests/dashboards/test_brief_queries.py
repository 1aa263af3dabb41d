"""The session brief's statements, pinned (issues #11 and #19: the brief was the heaviest page under load)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.audit.log import Entry, collected, record_many
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify
from alongside.dashboards.brief import brief_for
from tests.measures.support_measures import measures_library  # noqa: F401
from tests.sessions.test_brief import seeded  # noqa: F401  (the fixture: Sam's fortnight since the last session)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def test_the_brief_page_makes_a_pinned_number_of_statements(seeded, staff_client):  # noqa: F811
    """Alice's brief on Sam makes 36 statements on SQLite: its four audit events (scores, check-ins and exercises
    read, and the brief viewed) are written in one step at the end (48 before, each event in its own transaction
    with its own chain-head read; 52 before that: the messages section read the thread's messages whole, whether
    sending was on, the office hours and the read receipts, for two counts)."""
    browser = staff_client(seeded.alice)
    url = reverse("sessions:brief", args=[seeded.sam.pk])
    browser.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    # The same on PostgreSQL: the audit chain's advisory lock is taken in the head read's round trip.
    assert len(queries.captured_queries) == 36, "\n".join(q["sql"][:120] for q in queries.captured_queries)


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


def test_the_brief_writes_its_read_events_in_one_step(seeded, staff_client):  # noqa: F811
    """The brief's events (its sections' reads and the brief itself) are written together: one chain-head read,
    consecutive numbers, one request, the same actions as before, and the chain still verifies."""
    browser = staff_client(seeded.alice)
    url = reverse("sessions:brief", args=[seeded.sam.pk])
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    head = 'FROM "audit_auditevent" WHERE "seq" IS NOT NULL ORDER BY "seq" DESC'
    heads = [q for q in queries.captured_queries if head in q["sql"]]
    assert len(heads) == 1
    events = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))
    assert [e.action for e in events] == [
        "measures.scores_viewed",
        "selfcare.viewed",  # check-ins
        "selfcare.viewed",  # exercises
        "sessions.brief_viewed",
    ]
    assert [e.seq for e in events] == list(range(last + 1, last + 5))
    assert len({e.request_id for e in events}) == 1
    assert {e.client_id for e in events} == {seeded.sam.pk}
    assert verify().ok, verify().problems


def test_collected_events_are_written_when_the_block_fails(seeded):  # noqa: F811
    """A read recorded before an error is still written when the collecting block ends: the read happened."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    seen_before_the_end: list[bool] = []

    def page() -> list:
        with collected():
            written = record_many([Entry(AuditAction.CLIENT_LISTED, client_id=seeded.sam.pk)], actor=seeded.alice)
            seen_before_the_end.append(AuditEvent.objects.filter(seq__gt=last).exists())
            failed.extend(written)
            raise RuntimeError("a section failed")

    failed: list = []
    with pytest.raises(RuntimeError):
        page()
    assert seen_before_the_end == [False]  # collected until the block ended
    written = failed
    event = AuditEvent.objects.get(seq__gt=last)
    assert (event.action, event.client_id, event.seq) == ("client.listed", seeded.sam.pk, written[0].seq)
