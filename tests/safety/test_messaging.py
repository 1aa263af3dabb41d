"""Messages go through alongside.safety: urgent takes the critical-alert path, review the alert list only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.messaging import services
from alongside.notify.models import Notification
from alongside.safety.models import REVIEW_PREFIX, AlertSource, CriticalAlert, alert_topic
from alongside.safety.services.alerts import alerts_escalate

pytestmark = pytest.mark.django_db


def send(world, body, key):
    return services.message_send(actor=world.sam.user, client_id=world.sam.pk, body=body, idempotency_key=key)


def test_a_disguised_spelling_takes_the_urgent_path(world, mailoutbox, django_capture_on_commit_callbacks):
    """ "k!ll myself" is urgent: the client is told (crisis) and the clinician is alerted and emailed."""
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world, "i want to k!ll myself", "key-safety-001")
    assert result.crisis is True
    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.source == AlertSource.MESSAGE
    assert not alert.risk_level.startswith(REVIEW_PREFIX)
    assert [m for m in mailoutbox if "needs your attention" in m.subject]


def test_review_reaches_the_alert_list_without_email_or_escalation(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """Passive ideation is a review alert for the clinician: listed, not emailed, never escalated."""
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world, "some days I wish I was dead", "key-safety-002")
    assert result.crisis is True  # the client still sees the crisis lines
    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.risk_level.startswith(REVIEW_PREFIX)
    notices = Notification.objects.filter(topic=alert_topic(alert.pk))
    assert list(notices.values_list("recipient_id", flat=True)) == [world.alice.pk]
    assert not [m for m in mailoutbox if "needs your attention" in m.subject]  # only the new-message notice
    assert alerts_escalate(now=timezone.now() + dt.timedelta(days=3)) == []


def test_a_denial_goes_to_review_without_showing_the_client_crisis_lines(world):
    """ "I'd never hurt myself" reaches the clinician as review; the client is not shown the crisis panel."""
    result = send(world, "I'd never hurt myself, I just feel flat", "key-safety-005")
    assert result.crisis is False
    assert CriticalAlert.objects.get(client=world.sam).risk_level.startswith(REVIEW_PREFIX)


def test_the_previous_messages_make_a_timing_phrase_urgent(world, django_capture_on_commit_callbacks):
    """ "Tonight's the night" after "I've been saving my pills" earlier is urgent."""
    with django_capture_on_commit_callbacks(execute=True):
        send(world, "I've been saving my pills", "key-safety-003")
        result = send(world, "tonight's the night", "key-safety-004")
    assert result.crisis is True
    assert CriticalAlert.objects.filter(client=world.sam, message=result.message).exists()


def test_sending_from_the_page_checks_the_message_once(client, world, monkeypatch):
    """One send from the messages page runs the detector once (it ran twice: page and service)."""
    from django.urls import reverse

    from alongside import safety

    calls: list[str] = []
    real = safety.detect

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(safety, "detect", counting)
    client.force_login(world.sam.user)
    data = {"body": "I've got a rope in the wardrobe", "idempotency_key": "form-key-once-01"}
    response = client.post(reverse("messaging:client_thread"), data)
    assert response.status_code == 302
    assert calls == [data["body"]]
    assert CriticalAlert.objects.filter(client=world.sam).exists()
