"""The critical-answer path: alert in the same transaction, crisis resources, acknowledgement, escalation."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings

from alongside.core.models import PracticeSettings
from alongside.measures import services
from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus
from alongside.notify.models import Notification, NotificationKind
from alongside.safety.models import AlertStatus, CriticalAlert, alert_topic
from alongside.safety.services import alerts as alert_services
from tests.measures.support_measures import RAISING_MAILERS, measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def _submit(world, *, item9: int, key: str = "key-00000001"):
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key=key
    )
    return services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=item9))


def test_critical_item_9_creates_alert_with_the_submission(world, django_capture_on_commit_callbacks, mailoutbox):
    """PHQ-9 item 9 above 0 creates the alert, notifies the treating clinician in-app and by email (no content)."""
    with django_capture_on_commit_callbacks(execute=True):
        result = _submit(world, item9=2)
    alert = CriticalAlert.objects.get(response=result.response)
    assert alert.items == [9]
    assert alert.status == AlertStatus.OPEN
    assert result.critical
    assert result.resources, "the client sees crisis resources at once"
    assert any(r.phone == "988" for r in result.resources)
    notices = Notification.objects.filter(topic=alert_topic(alert.pk))
    assert [n.recipient_id for n in notices] == [world.alice.pk]
    assert notices[0].kind == NotificationKind.ALERT
    assert notices[0].link == f"/measures/alerts/{alert.pk}/"
    assert notices[0].emailed_at is not None
    assert Notification.objects.filter(recipient=world.alice).count() == 1, "one notice, not one per system"
    assert [m.to for m in mailoutbox] == [[world.alice.email]]
    body = mailoutbox[0].subject + mailoutbox[0].body
    assert "PHQ" not in body
    assert "Sam" not in body
    assert "item" not in body.lower()


def test_no_alert_when_item_9_is_zero(world):
    """An answer of 0 to item 9 raises no alert and shows no crisis resources."""
    result = _submit(world, item9=0)
    assert not result.critical
    assert result.resources == []
    assert not CriticalAlert.objects.exists()
    assert not Notification.objects.exists()


def test_alert_is_in_the_same_transaction_as_the_answer(world, monkeypatch):
    """If the alert cannot be written, the submission is not written either: no score without its alert."""
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="key-atomic-1"
    )

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Notification.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=1))
    response.refresh_from_db()
    assert response.status == ResponseStatus.IN_PROGRESS
    assert not MeasureScore.objects.exists()
    assert not CriticalAlert.objects.exists()


def test_saving_a_critical_answer_raises_the_alert_before_submission(world):
    """A critical answer saved item by item alerts at once, even if the client never submits."""
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="key-itemwise"
    )
    result = services.response_save_answer(actor=world.sam.user, response_id=response.pk, link_id="phq9-9", value=3)
    assert result.critical
    assert result.resources
    assert CriticalAlert.objects.get(response=response).items == [9]
    # Submitting later keeps one alert for the response.
    services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=3))
    assert CriticalAlert.objects.filter(response=response).count() == 1


@override_settings(MAILERS=RAISING_MAILERS)
def test_alert_path_works_when_email_raises(world, django_capture_on_commit_callbacks, caplog):
    """The mail server failing loses nothing: alert and in-app notice exist, the client sees resources, logs hold ids."""
    caplog.set_level(logging.ERROR, logger="alongside.measures.services")
    with django_capture_on_commit_callbacks(execute=True):
        result = _submit(world, item9=1)
    alert = CriticalAlert.objects.get(response=result.response)
    notice = Notification.objects.get(topic=alert_topic(alert.pk))
    assert (notice.recipient_id, notice.in_app, notice.read_at, notice.emailed_at) == (world.alice.pk, True, None, None)
    assert result.resources
    assert MeasureResponse.objects.get(pk=result.response.pk).status == ResponseStatus.SUBMITTED
    logged = caplog.text
    assert str(notice.pk) in logged
    assert str(alert.pk) in logged
    assert world.alice.email not in logged
    assert "Sam" not in logged


@override_settings(MAILERS=RAISING_MAILERS)
def test_escalation_works_when_email_raises(world, django_capture_on_commit_callbacks):
    """Escalation still marks the alert and notifies admins in-app when email fails."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(days=2))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED
    assert Notification.objects.filter(topic=alert_topic(alert.pk), kind=NotificationKind.ESCALATION).exists()


def test_acknowledgement_requires_a_note(world):
    """An empty note is refused and the alert stays open."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    with pytest.raises(ValidationError):
        alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="   ")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert alert.acknowledged_at is None


def test_only_the_treating_clinician_may_acknowledge(world):
    """Bob (off the team), Carol (other practice) and Sam get 404; the admin is refused; Alice acknowledges."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    for outsider in (world.bob, world.carol, world.other_client.user):
        with pytest.raises(Http404):
            alert_services.alert_acknowledge(actor=outsider, alert_id=alert.pk, note="seen")
    with pytest.raises(PermissionDenied):
        alert_services.alert_acknowledge(actor=world.admin, alert_id=alert.pk, note="seen")
    with pytest.raises(PermissionDenied):
        alert_services.alert_acknowledge(actor=world.sam.user, alert_id=alert.pk, note="seen")
    done = alert_services.alert_acknowledge(
        actor=world.alice, alert_id=alert.pk, note="Called Sam; safety plan reviewed."
    )
    assert done.status == AlertStatus.ACKNOWLEDGED
    assert done.acknowledged_by_id == world.alice.pk
    stored = CriticalAlert.objects.filter(pk=alert.pk).values_list("note_sealed", flat=True).get()
    assert "safety plan" not in stored, "the note is encrypted at rest"
    assert CriticalAlert.objects.get(pk=alert.pk).note == "Called Sam; safety plan reviewed."
    with pytest.raises(ValidationError):
        alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="again")


def test_escalation_after_the_practice_limit_goes_to_admins_only(world, django_capture_on_commit_callbacks, mailoutbox):
    """An alert unacknowledged past the practice's limit escalates to the practice admins, and only them."""
    PracticeSettings.objects.create(practice=world.practice, escalation_minutes=60)
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    mailoutbox.clear()
    assert alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(minutes=59)) == []
    with django_capture_on_commit_callbacks(execute=True):
        escalated = alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(minutes=61))
    assert [a.pk for a in escalated] == [alert.pk]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED
    assert alert.escalated_at is not None
    recipients = set(
        Notification.objects.filter(topic=alert_topic(alert.pk), kind=NotificationKind.ESCALATION).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.admin.pk}
    assert [m.to for m in mailoutbox] == [[world.admin.email]]
    assert "PHQ" not in mailoutbox[0].body
    # Running again changes nothing; the treating clinician may still acknowledge.
    assert alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(days=3)) == []
    alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="Reached Sam by phone.")


def test_default_escalation_limit_is_a_day(world):
    """Without practice settings, an alert escalates after 24 hours."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    assert alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(hours=23, minutes=59)) == []
    assert len(alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(hours=24))) == 1


def test_acknowledged_alerts_do_not_escalate(world):
    """An acknowledged alert is never escalated."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="Spoke with Sam.")
    assert alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(days=5)) == []


def test_acknowledging_marks_the_clinicians_notice_read(world):
    """Acknowledging an alert marks the acknowledger's own notice of it read, and nobody else's."""
    alert = CriticalAlert.objects.get(response=_submit(world, item9=1).response)
    alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(days=2))
    alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="Spoke with Sam.")
    notices = Notification.objects.filter(topic=alert_topic(alert.pk))
    assert {(n.recipient_id, n.read_at is not None) for n in notices} == {
        (world.alice.pk, True),
        (world.admin.pk, False),
    }
