"""Sending notifications: rows in the caller's transaction, content-free email after commit, choices respected."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils.translation import gettext_lazy

from alongside.notify.models import Notification, NotificationKind, NotificationPreference
from alongside.notify.selectors import preferences_of, unread_about_count, unread_count, unread_ids_about
from alongside.notify.services import (
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
    notifications_mark_read,
    preferences_set,
)
from tests.measures.support_measures import RAISING_MAILERS

pytestmark = pytest.mark.django_db


def test_send_creates_rows_and_emails_after_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    """A message notice is listed at once and emailed after commit, saying only that something is waiting."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = notification_send(
            recipients=[world.alice], kind=NotificationKind.MESSAGE, link="/messages/1/", client=world.sam
        )
        assert len(made) == 1
        assert mailoutbox == [], "no email before the caller's transaction commits"
    for callback in callbacks:
        callback()
    notice = Notification.objects.get()
    assert (notice.recipient_id, notice.kind, notice.subject_client_id) == (world.alice.pk, "message", world.sam.pk)
    assert notice.emailed_at is not None
    assert [m.to for m in mailoutbox] == [[world.alice.email]]
    assert mailoutbox[0].body == "You have a new message in Alongside. Sign in to read it."


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_email_never_names_the_client_or_carries_content(world, mailoutbox, django_capture_on_commit_callbacks, kind):
    """No kind of email names the client, their email address or the link it points at."""
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.alice], kind=kind, link="/messages/secret-thread/", client=world.sam)
    assert len(mailoutbox) == 1
    text = mailoutbox[0].subject + mailoutbox[0].body
    for leak in ("Sam", world.sam.user.email, "secret-thread", str(world.sam.pk)):
        assert leak not in text
    assert "Alongside" in text


def test_rolled_back_caller_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    """If the caller's transaction fails, there is neither a notice nor an email."""

    def save_message_and_fail() -> None:
        with transaction.atomic():
            notification_send(recipients=[world.alice], kind=NotificationKind.MESSAGE, link="/")
            raise RuntimeError("the message could not be saved")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        save_message_and_fail()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_dedupe_key_makes_a_retry_send_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    """A retried send with the same key makes no second notice and no second email; others still get theirs."""
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.alice], kind="message", link="/", dedupe_key="message:42")
        again = notification_send(
            recipients=[world.alice, world.bob], kind="message", link="/", dedupe_key="message:42"
        )
    assert [n.recipient_id for n in again] == [world.bob.pk]
    assert Notification.objects.filter(recipient=world.alice).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.alice.email, world.bob.email])


@override_settings(MAILERS=RAISING_MAILERS)
def test_email_failure_never_reaches_the_caller(world, django_capture_on_commit_callbacks, caplog):
    """The mail server failing is logged by notice id (no address) and leaves emailed_at empty; the notice stays."""
    caplog.set_level(logging.ERROR, logger="alongside.notify")
    with django_capture_on_commit_callbacks(execute=True):
        made = notification_send(recipients=[world.alice], kind="message", link="/")
    notice = Notification.objects.get(pk=made[0].pk)
    assert notice.emailed_at is None
    assert str(notice.pk) in caplog.text
    assert world.alice.email not in caplog.text


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/", "messages/", "/a\\b", ""])
def test_links_must_be_paths_on_this_site(world, link):
    """An absolute, protocol-relative or relative link is refused."""
    with pytest.raises(ValidationError):
        notification_send(recipients=[world.alice], kind="message", link=link)
    assert not Notification.objects.exists()


def test_preferences_are_respected(world, mailoutbox, django_capture_on_commit_callbacks):
    """Email off: listed but not emailed. In-app off: emailed but not listed. Both off: nothing at all."""
    sam = world.sam.user
    preferences_set(
        actor=sam, choices={"homework": (True, False), "measure_due": (False, True), "message": (False, False)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[sam], kind="homework", link="/")
        notification_send(recipients=[sam], kind="measure_due", link="/")
        nothing = notification_send(recipients=[sam], kind="message", link="/")
    assert nothing == []
    assert [m.subject for m in mailoutbox] == ["A questionnaire is ready in Alongside"]
    assert unread_count(user=sam) == 1
    assert set(Notification.objects.filter(in_app=True).values_list("kind", flat=True)) == {"homework"}


def test_alerts_cannot_be_switched_off(world, mailoutbox, django_capture_on_commit_callbacks):
    """Asking to switch alerts or escalations off changes nothing: they still arrive in-app and by email."""
    preferences_set(actor=world.alice, choices={"alert": (False, False), "escalation": (False, False)})
    assert not NotificationPreference.objects.filter(user=world.alice, kind__in=["alert", "escalation"]).exists()
    locked = {c.kind: (c.in_app, c.email, c.locked) for c in preferences_of(user=world.alice)}
    assert locked["alert"] == (True, True, True)
    assert locked["escalation"] == (True, True, True)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.alice], kind="alert", link="/")
    assert len(mailoutbox) == 1
    assert unread_count(user=world.alice) == 1


def test_database_refuses_an_alert_switched_off(world):
    """The rule holds in the database too, not only in the service."""
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=world.alice, kind="alert", in_app=False, email=True)


def test_mark_read_is_for_the_recipient_only(world):
    """Alice marks her own notice read; Bob cannot mark Alice's (404) and it stays unread."""
    from django.http import Http404

    notice = notification_send(recipients=[world.alice], kind="message", link="/")[0]
    with pytest.raises(Http404):
        notification_mark_read(actor=world.bob, notification_id=notice.pk)
    with pytest.raises(Http404):
        notification_mark_read(actor=world.bob, notification_id="not-a-uuid")
    assert Notification.objects.get(pk=notice.pk).read_at is None
    notification_mark_read(actor=world.alice, notification_id=notice.pk)
    assert Notification.objects.get(pk=notice.pk).read_at is not None


def test_mark_all_read_touches_only_ones_own(world):
    """Marking all read leaves other people's notices unread."""
    notification_send(recipients=[world.alice, world.bob], kind="message", link="/")
    notification_send(recipients=[world.alice], kind="alert", link="/")
    assert notifications_mark_all_read(actor=world.alice) == 2
    assert unread_count(user=world.alice) == 0
    assert unread_count(user=world.bob) == 1


def test_notices_about_a_topic_are_found_and_read_by_their_recipient_only(world):
    """Notices carry a topic; each person finds and marks read only their own, by topic or by id."""
    made = notification_send(recipients=[world.alice, world.bob], kind="alert", link="/", topic="test.thing:1")
    alice, bob = sorted(made, key=lambda n: n.recipient_id != world.alice.pk)
    notification_send(recipients=[world.alice], kind="alert", link="/", topic="other.thing:1")
    assert unread_ids_about(user=world.alice, topic="test.thing:1") == [alice.pk]
    assert unread_about_count(user=world.alice, topic_prefix="test.thing:") == 1
    assert notifications_mark_read(actor=world.bob, notification_ids=[alice.pk]) == 0, "not Bob's to mark"
    assert notifications_mark_read(actor=world.alice, topic="test.thing:1") == 1
    assert (unread_count(user=world.alice), unread_count(user=world.bob)) == (1, 1)
    assert notifications_mark_read(actor=world.bob, notification_ids=[bob.pk]) == 1


def test_a_quiet_notice_is_not_pushed_and_custom_email_text_is_in_the_recipients_language(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """live=False pushes nothing to open pages; email_text replaces the generic text, translated per recipient."""
    pushed = []
    monkeypatch.setattr("alongside.notify.services._push", lambda ids, **kw: pushed.append(list(ids)))
    world.alice.locale = "es"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.alice], kind="alert", link="/", live=False, email=False)
    assert pushed == []
    text = (gettext_lazy("A client needs your attention"), gettext_lazy("A client needs your attention"))
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.alice, world.bob], kind="alert", link="/", email_text=text)
    assert [sorted(ids) for ids in pushed] == [sorted([str(world.alice.pk), str(world.bob.pk)])]
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {
        world.alice.email: "Un paciente necesita tu atención",
        world.bob.email: "A client needs your attention",
    }
