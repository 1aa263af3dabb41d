"""Hooks from other apps: homework reminders and critical alerts are notices in the one outbox."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from alongside.measures import services as measures
from alongside.measures.models import DeliveryChannel
from alongside.notify.models import EmailStatus, Notification, NotificationKind, OutboundEmail
from alongside.notify.selectors import unread_about_count, unread_count
from alongside.notify.services import preferences_set
from alongside.safety.models import AlertStatus, CriticalAlert, alert_topic
from alongside.safety.services import alerts as alert_services
from alongside.selfcare.models import HomeworkTask
from alongside.selfcare.services.homework import AssignmentInput, assignment_set
from tests.measures.support_measures import RAISING_MAILERS, measures_library, phq9_answers  # noqa: F401

pytestmark = pytest.mark.django_db


def _homework_due(world):
    assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=AssignmentInput(kind="exercise", target="thought_record", frequency="daily", starts_on=dt.date.today()),
    )


def _tick(django_capture_on_commit_callbacks):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("alongside.selfcare.services.homework.in_quiet_hours", lambda *a: False)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("selfcare_tick")
            call_command("selfcare_tick")


def test_homework_reminder_is_a_notification(world, mailoutbox, django_capture_on_commit_callbacks):
    """The tick's reminder is one homework notice (in-app and email, naming no task), once however often it runs."""
    _homework_due(world)
    _tick(django_capture_on_commit_callbacks)
    notice = Notification.objects.get()
    assert (notice.recipient_id, notice.kind, notice.link) == (world.sam.user.pk, NotificationKind.HOMEWORK, "/")
    assert notice.emailed_at is not None
    assert len(mailoutbox) == 1
    assert "Thought record" not in mailoutbox[0].body


def test_homework_reminder_respects_email_off(world, mailoutbox, django_capture_on_commit_callbacks):
    """A client who turned homework emails off gets the reminder in the app only, recorded as in-app delivery."""
    preferences_set(actor=world.sam.user, choices={"homework": (True, False)})
    _homework_due(world)
    _tick(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert Notification.objects.filter(kind="homework", in_app=True).count() == 1
    assert set(HomeworkTask.objects.values_list("delivery_channel", flat=True)) == {DeliveryChannel.IN_APP}


def _submit_critical(world):
    response = measures.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="key-notify-01"
    )
    return measures.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=2))


@pytest.mark.usefixtures("measures_library")
def test_an_alert_is_one_notice_in_the_app_and_by_email(world, mailoutbox, django_capture_on_commit_callbacks):
    """A critical answer: Alice gets one alert notice (not one per notification system) and its one email."""
    with django_capture_on_commit_callbacks(execute=True):
        result = _submit_critical(world)
    alert = CriticalAlert.objects.get(response=result.response)
    notice = Notification.objects.get()
    assert (notice.recipient_id, notice.kind, notice.subject_client_id) == (world.alice.pk, "alert", world.sam.pk)
    assert (notice.link, notice.topic) == (f"/measures/alerts/{alert.pk}/", alert_topic(alert.pk))
    assert notice.emailed_at is not None, "the alert email marks this notice emailed"
    assert [m.to for m in mailoutbox] == [[world.alice.email]]
    assert OutboundEmail.objects.get().kind == "notify.alert"


@pytest.mark.usefixtures("measures_library")
def test_escalation_adds_an_in_app_notice_for_admins(world, mailoutbox, django_capture_on_commit_callbacks):
    """An escalated alert reaches the practice admins' notifications, with only the escalation email."""
    alert = CriticalAlert.objects.get(response=_submit_critical(world).response)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(days=2))
    assert Notification.objects.filter(kind="escalation", recipient=world.admin).count() == 1
    assert [m.to for m in mailoutbox] == [[world.admin.email]]


@pytest.mark.usefixtures("measures_library")
@override_settings(MAILERS=RAISING_MAILERS)
def test_alert_survives_email_and_live_pushes_failing(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Mail server and live pushes both down: the alert and its unread in-app notice still exist; failures are logged."""

    def broken():
        raise RuntimeError("live pushes are down")

    monkeypatch.setattr("channels.layers.get_channel_layer", broken)
    caplog.set_level(logging.ERROR, logger="alongside.notify")
    with django_capture_on_commit_callbacks(execute=True):
        result = _submit_critical(world)
    alert = CriticalAlert.objects.get(response=result.response)
    assert alert.status == AlertStatus.OPEN
    assert result.resources, "the client still sees crisis resources"
    notice = Notification.objects.get(topic=alert_topic(alert.pk))
    assert (notice.recipient_id, notice.in_app, notice.read_at, notice.emailed_at) == (world.alice.pk, True, None, None)
    assert OutboundEmail.objects.get().status == EmailStatus.PENDING, "retried later"
    assert "live pushes are down" in caplog.text
    assert str(alert.pk) in caplog.text
    assert "Sam" not in caplog.text


@pytest.mark.usefixtures("measures_library")
def test_opening_the_alert_marks_its_notice_read(world, staff_client):
    """Alice opens the alert page: her one notice of it is read, so the bell and the alerts badge both drop."""
    alert = CriticalAlert.objects.get(response=_submit_critical(world).response)
    assert (unread_count(user=world.alice), unread_about_count(user=world.alice, topic_prefix=alert_topic(""))) == (
        1,
        1,
    )
    assert staff_client(world.alice).get(f"/measures/alerts/{alert.pk}/").status_code == 200
    assert (unread_count(user=world.alice), unread_about_count(user=world.alice, topic_prefix=alert_topic(""))) == (
        0,
        0,
    )
