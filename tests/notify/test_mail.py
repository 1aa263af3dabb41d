"""The email outbox: sealed rows in the caller's transaction, retries with backoff, one send per claim."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.crypto.models import DataKey
from alongside.notify.mail import deliver_email, email_enqueue, outbox_counts, outbox_sweep, retry_delay
from alongside.notify.models import EmailStatus, Notification, OutboundEmail
from alongside.notify.services import notification_send
from tests.measures.support_measures import RAISING_MAILERS

pytestmark = pytest.mark.django_db


def _queue(world, **extra):
    return email_enqueue(
        to=world.alice.email, subject="Subject", body="Sign in to Alongside.", kind="test.kind", **extra
    )


def test_an_email_is_sealed_and_sent_after_commit_with_a_stable_message_id(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """The row holds no readable address or text; after commit it is sent once, then its content is erased."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue(world)
        row = OutboundEmail.objects.filter(pk=email.pk).values("to_sealed", "body_sealed").get()
        assert world.alice.email not in row["to_sealed"]
        assert "Sign in" not in row["body_sealed"]
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.to_sealed, email.body_sealed) == (EmailStatus.SENT, 1, "", "")
    assert not DataKey.objects.filter(owner_id=email.pk).exists(), "the row's own key is destroyed once sent"
    assert [m.to for m in mailoutbox] == [[world.alice.email]]
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<{email.pk}@alongside.invalid>"
    assert outbox_counts()["test.kind"] == {"pending": 0, "sending": 0, "sent": 1, "failed": 0, "attempts": 1}


def test_a_rolled_back_caller_leaves_no_email(world, mailoutbox, django_capture_on_commit_callbacks):
    """The outbox row belongs to the caller's transaction: a rollback takes it away, and nothing is sent."""

    def queue_and_fail() -> None:
        with transaction.atomic():
            _queue(world)
            raise RuntimeError("the caller failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        queue_and_fail()
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_a_failed_email_is_retried_with_backoff_until_it_is_sent(world, mailoutbox, django_capture_on_commit_callbacks):
    """Mail server down: the notice stays unsent and due later; the sweep retries it; once up, it is sent once."""
    start = timezone.now()
    with override_settings(MAILERS=RAISING_MAILERS), django_capture_on_commit_callbacks(execute=True):
        (notice,) = notification_send(recipients=[world.alice], kind="message", link="/")
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.PENDING, 1, "SMTPException")
    assert email.next_attempt_at >= start + retry_delay(1)
    assert email.ref == f"notify.Notification:{notice.pk}"

    assert outbox_sweep(now=start) == 0, "nothing is due before the backoff has passed"
    before = timezone.now()
    with override_settings(MAILERS=RAISING_MAILERS):
        assert outbox_sweep(now=email.next_attempt_at + dt.timedelta(minutes=5)) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 2)
    assert email.next_attempt_at >= before + retry_delay(2) > before + retry_delay(1), "the wait grows"

    outbox_sweep(now=email.next_attempt_at + dt.timedelta(hours=1))
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 3)
    assert Notification.objects.get(pk=notice.pk).emailed_at is not None
    assert [m.to for m in mailoutbox] == [[world.alice.email]]


@override_settings(MAILERS=RAISING_MAILERS, ALONGSIDE_EMAIL_MAX_ATTEMPTS=2)
def test_an_email_is_given_up_after_its_attempts_and_audited(world, django_capture_on_commit_callbacks):
    """After the last attempt the email is marked failed, its content and key erased, and an audit event written."""
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(world)
    outbox_sweep(now=timezone.now() + dt.timedelta(days=1))
    email.refresh_from_db()
    assert (email.status, email.attempts, email.to_sealed) == (EmailStatus.FAILED, 2, "")
    assert not DataKey.objects.filter(owner_id=email.pk).exists()
    event = AuditEvent.objects.get(action="notify.email_failed")
    assert event.detail == {
        "kind": "test.kind",
        "email": str(email.pk),
        "attempts": 2,
        "error": "SMTPException",
        "smtp_code": None,
    }
    assert outbox_sweep(now=timezone.now() + dt.timedelta(days=30)) == 0, "a given-up email is never retried"


def test_a_second_task_for_the_same_email_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    """Two tasks for one email (a re-enqueue racing the first): the committed claim lets one through."""
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(world)
    assert deliver_email.call(str(email.pk)) == "skipped"
    assert len(mailoutbox) == 1


def test_an_email_whose_worker_died_is_sent_again_after_its_lease(world, mailoutbox):
    """A claim left by a killed worker blocks resends until its lease runs out; then the same message goes again."""
    with transaction.atomic():
        email = _queue(world)
    now = timezone.now()
    # What a worker killed after the mail server accepted the email leaves behind.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, lease_until=now + dt.timedelta(seconds=120)
    )
    assert outbox_sweep(now=now) == 0
    assert mailoutbox == []
    # The lease runs out (moved back rather than waiting for it).
    OutboundEmail.objects.filter(pk=email.pk).update(lease_until=now - dt.timedelta(seconds=1))
    assert outbox_sweep(now=now) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<{email.pk}@alongside.invalid>"


def test_a_ref_must_name_a_row_with_emailed_at(world):
    """A ref to a model without emailed_at is a programming error, refused before anything is written."""
    with pytest.raises(ValueError):
        _queue(world, ref=f"accounts.User:{world.alice.pk}")
    assert not OutboundEmail.objects.exists()


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient and, as real ones do, quotes the address in its reply."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode()) for m in email_messages for to in m.to}
        )


@override_settings(
    MAILERS={"default": {"BACKEND": "tests.notify.test_mail.RefusingBackend"}}, ALONGSIDE_EMAIL_MAX_ATTEMPTS=2
)
def test_a_refused_address_is_recorded_by_error_class_and_smtp_code_only(
    world, django_capture_on_commit_callbacks, caplog
):
    """A refusal quoting the address: the outbox row, the audit event and the logs keep the class and 550, not the text."""
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(world)
    outbox_sweep(now=timezone.now() + dt.timedelta(days=1))
    email.refresh_from_db()
    assert (email.status, email.last_error) == (EmailStatus.FAILED, "SMTPRecipientsRefused 550")
    event = AuditEvent.objects.get(action="notify.email_failed")
    assert (event.detail["error"], event.detail["smtp_code"]) == ("SMTPRecipientsRefused", 550)
    address = world.alice.email
    assert address not in json.dumps(event.detail)
    assert address.split("@")[0] not in json.dumps(event.detail)
    assert "SMTPRecipientsRefused 550" in caplog.text
    assert address not in caplog.text
    assert "Recipient address rejected" not in caplog.text + json.dumps(event.detail) + email.last_error


def test_an_email_whose_ref_names_a_removed_model_is_still_marked_sent(world, mailoutbox, caplog):
    """An outbox email queued for a model that is gone (measures.AlertNotification) is sent once and marked sent."""
    caplog.set_level(logging.ERROR, logger="alongside.notify")
    email = OutboundEmail(kind="measures.alert", ref="measures.AlertNotification:7")
    email.to, email.subject, email.body = world.alice.email, "Subject", "Sign in to Alongside."
    email.save(force_insert=True)
    assert deliver_email.call(str(email.pk)) == "sent"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mailoutbox] == [[world.alice.email]]
    assert "measures.AlertNotification:7" in caplog.text
