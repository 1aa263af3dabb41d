"""After erasure the care team keeps its side of the conversation; the client's messages are tombstones.

Sam (care team: Alice) writes twice, once with an attachment; Alice replies. After the admin erases
Sam, Alice can open an "erased client" conversation that shows her reply with its text and Sam's
messages as "Erased client" with their times only. Nothing in it points at or names Sam, Sam's key
is gone, and only Alice (the care team at erasure) may open it.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.care import erasure
from alongside.crypto.models import DataKey
from alongside.messaging import services as messaging
from alongside.messaging.erasure import keep_care_team_side
from alongside.messaging.models import ErasedMessage, ErasedThread, Message, MessagingAuditAction

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CLIENT_TEXT = "I kept the sleep diary, here it is."
REPLY_TEXT = "Thank you, we'll go through it on Thursday."


@pytest.fixture
def erased(world, django_capture_on_commit_callbacks):
    """Sam's thread (two client messages, one reply from Alice), then Sam erased by the admin."""
    sam = world.sam
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_send(
            actor=sam.user,
            client_id=sam.pk,
            body=CLIENT_TEXT,
            idempotency_key="tombstone-1",
            upload=messaging.Upload("diary.png", "image/png", PNG),
        )
        messaging.message_send(actor=world.alice, client_id=sam.pk, body=REPLY_TEXT, idempotency_key="tombstone-2")
        messaging.message_send(actor=sam.user, client_id=sam.pk, body="See you then.", idempotency_key="tombstone-3")
    times = list(Message.objects.filter(client=sam).order_by("seq").values_list("created_at", flat=True))
    email = sam.user.email
    erasure.client_erase(actor=world.admin, client=sam, confirm_email=email)
    return sam.pk, email, times


def test_the_care_team_keeps_its_side_and_the_clients_messages_are_tombstones(world, erased) -> None:
    """The erased thread keeps Alice's reply (readable) and Sam's two messages without text, in order."""
    client_id, _email, times = erased
    kept = ErasedThread.objects.get()
    assert list(kept.readers.all()) == [world.alice]
    rows = list(ErasedMessage.objects.filter(thread=kept).order_by("seq"))
    assert [(m.seq, m.from_client) for m in rows] == [(1, True), (2, False), (3, True)]
    assert [m.created_at for m in rows] == times
    assert rows[1].body == REPLY_TEXT
    assert rows[1].sender_id == world.alice.pk
    assert all(m.sender_id is None and m.body == "" for m in rows if m.from_client)
    assert [m.had_attachment for m in rows] == [True, False, False]
    assert not DataKey.objects.filter(owner_id=client_id).exists()
    assert not Message.objects.filter(client_id=client_id).exists()


def test_the_reply_is_sealed_under_the_erased_threads_own_key(erased) -> None:
    """The stored reply is ciphertext, opened with the erased thread's key, not the destroyed client key."""
    kept = ErasedThread.objects.get()
    sealed = ErasedMessage.objects.filter(thread=kept, from_client=False).values_list("body_sealed", flat=True).get()
    assert REPLY_TEXT not in sealed
    assert DataKey.objects.filter(owner_id=kept.pk).exists()


def test_alice_reads_the_conversation_with_erased_client_as_sender(world, erased, staff_client) -> None:
    """Alice's inbox links to the erased conversation, which shows her reply and two tombstones; audited."""
    web = staff_client(world.alice)
    inbox = web.get(reverse("messaging:inbox")).content.decode()
    assert reverse("messaging:erased_list") in inbox
    kept = ErasedThread.objects.get()
    listing = web.get(reverse("messaging:erased_list")).content.decode()
    assert reverse("messaging:erased_thread", args=[kept.pk]) in listing
    page = web.get(reverse("messaging:erased_thread", args=[kept.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert REPLY_TEXT.replace("'", "&#x27;") in html
    assert html.count("Erased client") >= 2
    assert CLIENT_TEXT not in html
    assert "See you then." not in html
    # Random CSRF tokens may spell "Sam" (one did, in a fresh-clone run): words only, outside the tokens.
    words = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html).replace("Same", "")
    assert "Sam" not in words
    assert AuditEvent.objects.filter(action=MessagingAuditAction.ERASED_THREAD_VIEWED, actor_id=world.alice.pk).exists()


@pytest.mark.parametrize("who", ["bob", "carol", "admin"])
def test_staff_outside_the_care_team_cannot_open_it(world, erased, staff_client, who) -> None:
    """Bob (same practice, other clients), Carol (another practice) and the admin get 404 and no link."""
    web = staff_client(getattr(world, who))
    kept = ErasedThread.objects.get()
    assert web.get(reverse("messaging:erased_thread", args=[kept.pk])).status_code == 404
    assert (
        reverse("messaging:erased_thread", args=[kept.pk])
        not in web.get(reverse("messaging:erased_list")).content.decode()
    )


def test_the_client_cannot_reach_erased_pages(world, client) -> None:
    """A client (anyone not staff) is refused the erased-conversation list."""
    client.force_login(world.other_client.user, backend="alongside.accounts.backends.EmailBackend")
    assert client.get(reverse("messaging:erased_list")).status_code == 403


def test_a_thread_without_messages_leaves_nothing(world) -> None:
    """Erasing a client who never wrote keeps no erased conversation."""
    erasure.client_erase(actor=world.admin, client=world.other_client, confirm_email=world.other_client.user.email)
    assert not ErasedThread.objects.exists()


def test_keeping_the_care_team_side_runs_inside_the_erasure(world) -> None:
    """The step is registered before the client record goes (so the client key still opens the messages)."""
    from alongside.messaging.erasure import delete_thread

    steps = erasure.ERASURE_STEPS
    assert steps.index(delete_thread) < steps.index(erasure._delete_client_record)
    assert keep_care_team_side.__module__ == delete_thread.__module__
