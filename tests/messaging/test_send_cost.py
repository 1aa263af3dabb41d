"""What a client's message costs the server, after commit included (issues #11 and #19).

Under the mixed load a send cost about 19 ms of CPU, a third of it after commit: the recipients re-read with an
access decision per person, two live-push tasks, a notification transaction that found the notice already sent,
and the answer read back from the database.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside import access
from alongside.accounts import tokens
from alongside.care.models import CareTeamMember, Membership
from alongside.messaging import services
from alongside.messaging.models import Thread
from alongside.notify import live
from alongside.notify.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, world, django_capture_on_commit_callbacks):
    """Send Sam's message ``n`` through the API, with what runs after commit."""

    def sending(auth, n):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/api/v1/messages/{world.sam.pk}",
                {"body": f"Thank you for today ({n})."},
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"send-cost-{n:03d}",
                **auth,
            )

    return sending


@pytest.fixture
def sam_auth(world):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=world.sam.user, name='cost').plain}"}


def test_a_second_message_in_an_unread_stretch_costs_a_pinned_number_of_statements(send, world, sam_auth):
    """Alice has not read the thread: Sam's second message notifies no-one again and makes 19 statements in all on SQLite
    (28 before: the answer read back, the recipients re-read with an access decision each, a notification
    transaction that found the notice already there)."""
    assert send(sam_auth, 1).status_code == 201
    assert Notification.objects.filter(recipient=world.alice).count() == 1
    with CaptureQueriesContext(connection) as queries:
        response = send(sam_auth, 2)
    assert response.status_code == 201
    assert response.json()["body"] == "Thank you for today (2)."
    assert response.json()["seq"] == 2
    assert Notification.objects.filter(recipient=world.alice).count() == 1
    # 19 on both databases: PostgreSQL takes the audit chain's advisory lock in the head read's round trip (ada92fe).
    assert len(queries.captured_queries) == 19, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_one_live_push_carries_the_thread_and_the_inboxes(send, world, sam_auth, monkeypatch):
    """A send enqueues one live push for the thread's pages and the recipients' inboxes together (they were two);
    the new notice's own push is the only other."""
    sent: list[list[list[object]]] = []
    monkeypatch.setattr(live, "_enqueue", sent.append)
    assert send(sam_auth, 1).status_code == 201
    thread = Thread.objects.get(client=world.sam)
    assert [{group for group, _event in payload} for payload in sent] == [
        {thread.group_name, f"inbox.{world.alice.pk.hex}"},
        {f"user.{world.alice.pk.hex}"},
    ]


def test_recipients_are_exactly_who_access_lets_write(world):
    """The recipients of a client's message, read in one query, are the staff access.decide admits to write."""
    home = world.practice
    ended = factories.staff(home)
    CareTeamMember.objects.create(client=world.sam, clinician=ended)
    CareTeamMember.objects.filter(client=world.sam, clinician=ended).update(ended_at=timezone.now())
    left = factories.staff(home)
    CareTeamMember.objects.create(client=world.sam, clinician=left)
    Membership.objects.filter(user=left).update(is_active=False)
    asleep = factories.staff(home)
    CareTeamMember.objects.create(client=world.sam, clinician=asleep)
    asleep.is_active = False
    asleep.save(update_fields=["is_active"])
    result = services.message_send(
        actor=world.sam.user, client_id=world.sam.pk, body="Hello", idempotency_key="recipients-01"
    )
    staff = [world.admin, world.alice, world.bob, world.carol, ended, left, asleep]
    allowed = {u.pk for u in staff if access.decide(u, world.sam, access.Action.WRITE_CLINICAL)}
    assert {u.pk for u in services._recipients(result.message)} == allowed == {world.alice.pk}
