"""Messaging services: send once per key, refuse bad input cleanly, encrypt, audit, alert on crisis language."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.core.models import OfficeHours
from alongside.messaging import selectors, services
from alongside.messaging.models import Attachment, Message, Thread, ThreadRead
from alongside.notify.models import Notification
from alongside.safety.models import AlertSource, CriticalAlert, alert_topic
from alongside.selfcare.models import CheckIn

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64

pytestmark = pytest.mark.django_db


def send(world, actor=None, body="Hello", key="key-00000001", **kwargs):
    return services.message_send(
        actor=actor or world.sam.user, client_id=world.sam.pk, body=body, idempotency_key=key, **kwargs
    )


def test_a_message_gets_the_next_sequence_number_and_the_thread_awaits_a_reply(world):
    """Messages are numbered 1, 2, 3 in their thread; the latest sender decides who is awaited."""
    first = send(world, key="key-00000001").message
    second = send(world, actor=world.alice, key="key-00000002", body="Hi Sam").message
    third = send(world, key="key-00000003", body="Thanks").message
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    thread = Thread.objects.get(client=world.sam)
    assert thread.last_seq == 3
    assert thread.last_from_client is True
    assert second.from_client is False
    assert first.from_client is True


def test_sending_twice_with_one_key_stores_one_message(world):
    """A retry after a dropped connection returns the first message and adds nothing."""
    first = send(world, key="retry-key-1")
    again = send(world, key="retry-key-1")
    assert first.created
    assert not again.created
    assert again.message.pk == first.message.pk
    assert Message.objects.count() == 1


def test_the_body_is_encrypted_at_rest(world):
    """The column holds ciphertext, never the words."""
    send(world, body="a very private sentence")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_sealed FROM messaging_message")
        (sealed,) = cursor.fetchone()
    assert "private" not in sealed
    assert Message.objects.get().body == "a very private sentence"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message"),
        ("   \n ", "Write a message"),
        ("x" * 5001, "up to 5,000 characters"),
    ],
)
def test_empty_or_oversized_messages_are_refused_and_nothing_is_stored(world, body, message):
    with pytest.raises(ValidationError, match=message):
        send(world, body=body)
    assert Message.objects.count() == 0


@pytest.mark.parametrize("key", ["", "short", "has space in it", "x" * 65, "ключ-ключ-ключ"])
def test_a_bad_idempotency_key_is_refused(world, key):
    with pytest.raises(ValidationError, match="message key"):
        send(world, key=key)


def test_outsiders_cannot_send_or_read(world):
    """Bob (off the team), Carol (other practice) and another client get a 404 and change nothing."""
    send(world)
    for outsider in (world.bob, world.carol, world.other_client.user):
        with pytest.raises(Http404):
            send(world, actor=outsider, key="outsider-key-1")
        with pytest.raises(Http404):
            selectors.thread_view(actor=outsider, client_id=world.sam.pk)
    assert Message.objects.count() == 1


def test_revoking_the_messages_scope_stops_the_team_at_once(world):
    """Without the scope the clinician can neither read nor write; the client is told to turn sharing on."""
    send(world)
    scopes_set(client=world.sam, scopes={"messages": False}, actor=world.sam.user)
    with pytest.raises(selectors.MessagingOff):
        selectors.thread_view(actor=world.alice, client_id=world.sam.pk)
    with pytest.raises(selectors.MessagingOff):
        send(world, actor=world.alice, key="alice-key-01")
    with pytest.raises(selectors.MessagingOff, match="Turn on sharing"):
        send(world, key="sam-key-0002")
    # The client still reads their own history.
    assert len(selectors.thread_view(actor=world.sam.user, client_id=world.sam.pk).messages) == 1


def test_a_staff_read_is_audited_and_a_client_read_is_not(world):
    send(world)
    before = AuditEvent.objects.filter(action="messaging.thread_viewed").count()
    selectors.thread_view(actor=world.sam.user, client_id=world.sam.pk)
    assert AuditEvent.objects.filter(action="messaging.thread_viewed").count() == before
    selectors.thread_view(actor=world.alice, client_id=world.sam.pk)
    event = AuditEvent.objects.filter(action="messaging.thread_viewed").latest("seq")
    assert str(event.client_id) == str(world.sam.pk)
    assert event.actor_id == world.alice.pk


def test_sending_is_audited_without_the_text(world):
    send(world, body="words that must not be logged")
    event = AuditEvent.objects.filter(action="messaging.message_sent").latest("seq")
    assert "logged" not in str(event.detail)
    assert event.detail["seq"] == 1


def test_an_image_is_stored_encrypted_with_its_checked_type(world):
    upload = services.Upload(name="../../etc/photo.png", content_type="image/png", data=PNG)
    message = send(world, body="", upload=upload).message
    item = Attachment.objects.get(message=message)
    assert item.content_type == "image/png"
    assert item.size == len(PNG)
    assert item.filename == "photo.png"
    with connection.cursor() as cursor:
        cursor.execute("SELECT data_sealed FROM messaging_attachment")
        (sealed,) = cursor.fetchone()
    # Neither the image nor its base64 form is stored; a bare "PNG" can occur in base64 ciphertext by chance.
    assert base64.b64encode(PNG).decode() not in sealed
    assert "\x89PNG" not in sealed
    _opened, data = selectors.attachment_open(actor=world.alice, attachment_id=item.pk)
    assert data == PNG
    assert AuditEvent.objects.filter(action="messaging.attachment_opened").count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (services.Upload("a.exe", "application/octet-stream", b"MZ\x90\x00" * 10), "Only images"),
        (services.Upload("a.png", "image/png", b"GIF89a" + b"\x00" * 20), "Only images"),
        (services.Upload("a.png", "application/pdf", PNG), "do not match"),
        (services.Upload("a.html", "text/html", b"<script>alert(1)</script>"), "Only images"),
        (services.Upload("empty.pdf", "application/pdf", b""), "empty"),
        (services.Upload("big.pdf", "application/pdf", PDF + b"0" * (10 * 1024 * 1024)), "10 MB"),
    ],
)
def test_wrong_or_oversized_files_are_refused_and_nothing_is_stored(world, upload, message):
    with pytest.raises(ValidationError, match=message):
        send(world, body="see file", upload=upload)
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_client_attaches_their_own_check_in_but_not_someone_elses(world):
    from django.utils import timezone

    own = CheckIn.objects.create(client=world.sam, local_date=timezone.localdate(), mood=3, idempotency_key="c-own-1")
    theirs = CheckIn.objects.create(
        client=world.other_client, local_date=timezone.localdate(), mood=3, idempotency_key="c-other-1"
    )
    message = send(world, body="", entry_kind="checkin", entry_id=own.pk).message
    assert message.entry_kind == "checkin"
    assert message.entry_id == own.pk
    with pytest.raises(ValidationError, match="cannot be attached"):
        send(world, key="key-00000009", entry_kind="checkin", entry_id=theirs.pk)
    with pytest.raises(ValidationError, match="cannot be attached"):
        send(world, key="key-00000010", entry_kind="diary", entry_id=own.pk)
    view = selectors.thread_view(actor=world.alice, client_id=world.sam.pk)
    assert view.messages[0].entry_url.endswith(f"/clients/{world.sam.pk}/checkins/")


def test_a_flood_of_messages_is_rate_limited_with_a_clear_message(world):
    for n in range(services.RATE_PER_MINUTE):
        send(world, key=f"flood-key-{n:04d}")
    with pytest.raises(services.RateLimited, match="very quickly"):
        send(world, key="flood-key-9999")
    assert Message.objects.count() == services.RATE_PER_MINUTE


def test_crisis_language_raises_an_alert_for_the_clients_own_clinicians_in_the_same_transaction(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """A client's message saying they want to die creates a message-sourced alert, notified without content."""
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world, body="Honestly I want to kill myself tonight")
    assert result.crisis is True
    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.source == AlertSource.MESSAGE
    assert alert.message_id == result.message.pk
    notices = Notification.objects.filter(topic=alert_topic(alert.pk))
    assert list(notices.values_list("recipient_id", flat=True)) == [world.alice.pk]
    assert mailoutbox, "the clinician is emailed"
    assert all("kill" not in m.body and "Sam" not in m.body for m in mailoutbox)


def test_a_clinicians_message_with_crisis_words_raises_no_alert(world):
    send(world, actor=world.alice, body="If you ever feel you want to kill yourself, call 988.")
    assert CriticalAlert.objects.count() == 0


def test_read_positions_move_forward_only(world):
    send(world, key="key-00000001")
    send(world, key="key-00000002")
    assert services.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=2) == 2
    assert services.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=1) == 2
    assert services.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=99) == 2
    assert ThreadRead.objects.get(user=world.alice).last_read_seq == 2
    view = selectors.thread_view(actor=world.sam.user, client_id=world.sam.pk)
    assert view.other_read_seq == 2


def test_unread_counts_and_the_inbox_put_awaiting_threads_first(world):
    send(world, key="key-00000001")
    send(world, key="key-00000002")
    assert selectors.unread_total(world.alice) == 2
    assert selectors.unread_total(world.bob) == 0
    rows = selectors.inbox_for_staff(actor=world.alice)
    assert rows[0].client_id == world.sam.pk
    assert rows[0].awaiting_reply
    assert rows[0].unread == 2
    services.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=2)
    assert selectors.unread_total(world.alice) == 0


def test_the_unread_count_leaves_out_a_client_who_stopped_sharing_messages(world):
    """Unread messages count only while the client shares messages; sharing again brings them back."""
    send(world, key="key-00000001")
    assert selectors.unread_total(world.alice) == 1
    scopes_set(client=world.sam, scopes={"messages": False}, actor=world.sam.user)
    assert selectors.unread_total(world.alice) == 0
    scopes_set(client=world.sam, scopes={"messages": True}, actor=world.sam.user)
    assert selectors.unread_total(world.alice) == 1


def test_search_finds_only_the_staff_members_own_clients(world):
    send(world, body="the panic came back on the bus")
    from tests import factories

    kim = factories.client(world.practice, clinicians=(world.bob,), name="Kim", scopes=("messages",))
    services.message_send(actor=kim.user, client_id=kim.pk, body="panic again", idempotency_key="kim-key-0001")
    alice_hits = selectors.threads_search(actor=world.alice, query="PANIC")
    assert [h.client_id for h in alice_hits] == [world.sam.pk]
    assert "panic" in alice_hits[0].snippet
    bob_hits = selectors.threads_search(actor=world.bob, query="panic")
    assert [h.client_id for h in bob_hits] == [kim.pk]
    assert selectors.threads_search(actor=world.carol, query="panic") == []
    assert selectors.threads_search(actor=world.sam.user, query="panic") == []


def test_office_hours_follow_the_practice_time_zone(world):
    world.practice.time_zone = "America/New_York"
    world.practice.save()
    services.messaging_settings_set(
        actor=world.admin,
        practice_id=world.practice.pk,
        office_days=[1, 2, 3, 4, 5],
        opens_at=dt.time(9),
        closes_at=dt.time(17),
        reply_within_hours=24,
    )
    # Monday 2026-11-23 14:00 UTC is 09:00 in New York: open. 13:59 UTC is 08:59: closed.
    assert selectors.office_status(world.practice.pk, dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)).is_open
    assert not selectors.office_status(world.practice.pk, dt.datetime(2026, 11, 23, 13, 59, tzinfo=dt.UTC)).is_open
    # Saturday is closed all day.
    assert not selectors.office_status(world.practice.pk, dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)).is_open


@pytest.mark.parametrize(
    ("who", "changes", "error", "message"),
    [
        ("alice", {}, "PermissionDenied", "practice admin"),
        ("admin", {"opens_at": dt.time(17), "closes_at": dt.time(9)}, "ValidationError", "open before"),
        ("admin", {"office_days": [0, 8]}, "ValidationError", "Monday"),
        ("admin", {"reply_within_hours": 0}, "ValidationError", "between 1 hour"),
    ],
)
def test_only_admins_set_messaging_settings_and_bad_values_are_refused(world, who, changes, error, message):
    from django.core import exceptions

    values = {"office_days": [1], "opens_at": dt.time(9), "closes_at": dt.time(17), "reply_within_hours": 24}
    with pytest.raises(getattr(exceptions, error), match=message):
        services.messaging_settings_set(
            actor=getattr(world, who), practice_id=world.practice.pk, **{**values, **changes}
        )
    assert OfficeHours.objects.count() == 0


def test_the_rate_limit_window_moves_on(world):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        for n in range(services.RATE_PER_MINUTE):
            send(world, key=f"flood-key-{n:04d}")
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 1, 30, tzinfo=dt.UTC), tick=False):
        assert send(world, key="later-key-0001").created


def test_one_notice_per_unread_stretch_not_one_per_message(world, django_capture_on_commit_callbacks, mailoutbox):
    """Three messages before Alice reads: one notice and one email; after she reads, the next one notifies again."""
    from alongside.notify.models import Notification

    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            send(world, key=f"stretch-key-{n}")
    assert Notification.objects.filter(recipient=world.alice, kind="message").count() == 1
    assert len(mailoutbox) == 1
    services.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=3)
    with django_capture_on_commit_callbacks(execute=True):
        send(world, key="stretch-key-9")
    assert Notification.objects.filter(recipient=world.alice, kind="message").count() == 2
    assert len(mailoutbox) == 2
