"""Every kind of free text a client writes reaches the clinician the same way as a message.

Urgent crisis language in a message, a check-in note, an exercise entry (thought record) or a
topic for next session raises a critical alert: emailed without content, acknowledged with a
note, escalated to the practice admins when nobody does. Review raises an alert-list entry
only: no email, no live push, no escalation. Questionnaires have no free-text items, so
there is no such field to check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.messaging import services as messaging
from alongside.notify import services as notify
from alongside.safety.models import (
    REVIEW_PREFIX,
    AlertSource,
    AlertStatus,
    CriticalAlert,
    FlagLevel,
    FlagSource,
    SafetyFlag,
)
from alongside.safety.services.alerts import alert_acknowledge, alerts_escalate
from alongside.selfcare import services as selfcare
from alongside.selfcare.services import exercises
from alongside.selfcare.services.topics import topic_raise

pytestmark = pytest.mark.django_db

URGENT = {
    "en": "I've got a rope in the wardrobe and I can't keep myself safe tonight",
    "es": "ya tengo la soga guardada y no puedo mantenerme a salvo esta noche",
}
REVIEW = "honestly some days I wish I was dead"


def _message(world, text, key):
    return messaging.message_send(actor=world.sam.user, client_id=world.sam.pk, body=text, idempotency_key=key)


def _checkin(world, text, key):
    return selfcare.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, mood=2, note=text)


def _thought_data(text):
    return {
        "situation": "At home after work",
        "thoughts": [{"text": text, "belief": 80}],
        "emotions": [{"name": "sad", "intensity": 90}],
        "balanced_thought": "I can ask for help",
        "balanced_belief": 30,
        "rerated": [{"name": "sad", "intensity": 80}],
    }


def _thought_record(world, text, key):
    data = _thought_data(text)
    return exercises.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key=key, data=data, complete=True
    )


def _topic(world, text, key):
    return topic_raise(actor=world.sam.user, text=text)


WRITERS = {"message": _message, "checkin_note": _checkin, "exercise_entry": _thought_record, "session_topic": _topic}


@pytest.fixture
def pushes(monkeypatch):
    """The live pushes notify makes after commit (recorded, then made as usual)."""
    made: list[str] = []
    real = notify._push

    def record(user_ids, *, kind, link):
        made.append(str(kind))
        return real(user_ids, kind=kind, link=link)

    monkeypatch.setattr(notify, "_push", record)
    return made


def _alert_of(world, kind):
    alert = CriticalAlert.objects.get(client=world.sam)
    if kind == "message":
        assert alert.source == AlertSource.MESSAGE
    else:
        assert alert.source == AlertSource.FLAG
        assert alert.flag.source == FlagSource(kind)
    return alert


@pytest.mark.parametrize("kind", list(WRITERS))
def test_urgent_text_of_every_kind_takes_the_critical_alert_path(
    world, kind, mailoutbox, pushes, django_capture_on_commit_callbacks
):
    """Urgent: emailed without content, pushed live, acknowledged with a note; the flag keeps the text."""
    with django_capture_on_commit_callbacks(execute=True):
        WRITERS[kind](world, URGENT["en"], f"key-urgent-{kind}")
    alert = _alert_of(world, kind)
    assert not alert.risk_level.startswith(REVIEW_PREFIX)
    if kind != "message":
        assert alert.flag.level == FlagLevel.URGENT
        assert URGENT["en"] in alert.flag.text
    emails = [m for m in mailoutbox if "needs your attention" in m.subject]
    assert emails
    assert all("rope" not in m.body for m in emails)
    assert "alert" in pushes
    acknowledged = alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="Called; safety plan reviewed.")
    assert acknowledged.status == AlertStatus.ACKNOWLEDGED


@pytest.mark.parametrize("kind", list(WRITERS))
def test_an_unacknowledged_urgent_alert_of_every_kind_is_escalated(world, kind, django_capture_on_commit_callbacks):
    """Nobody acknowledges in time: the alert is escalated to the practice admins, whatever the field."""
    with django_capture_on_commit_callbacks(execute=True):
        WRITERS[kind](world, URGENT["es"], f"key-escalate-{kind}")
    alert = _alert_of(world, kind)
    escalated = alerts_escalate(now=timezone.now() + dt.timedelta(days=3))
    assert [a.pk for a in escalated] == [alert.pk]
    assert CriticalAlert.objects.get(pk=alert.pk).status == AlertStatus.ESCALATED


@pytest.mark.parametrize("kind", list(WRITERS))
def test_review_text_of_every_kind_is_listed_without_email_push_or_escalation(
    world, kind, mailoutbox, pushes, django_capture_on_commit_callbacks
):
    """Review: an entry in the clinician's alert list, never emailed, pushed or escalated."""
    with django_capture_on_commit_callbacks(execute=True):
        WRITERS[kind](world, REVIEW, f"key-review-{kind}")
    alert = _alert_of(world, kind)
    assert alert.risk_level.startswith(REVIEW_PREFIX)
    assert not [m for m in mailoutbox if "needs your attention" in m.subject]
    assert "alert" not in pushes
    assert alerts_escalate(now=timezone.now() + dt.timedelta(days=3)) == []
    if kind != "message":
        assert SafetyFlag.objects.get(client=world.sam).level == FlagLevel.REVIEW


def test_saving_the_same_entry_again_raises_no_second_alert(world, django_capture_on_commit_callbacks):
    """A finished entry saved twice keeps one flag and one alert."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = _thought_record(world, URGENT["en"], "key-twice")
        exercises.entry_complete(actor=world.sam.user, entry_id=entry.pk, data=_thought_data(URGENT["en"] + "."))
    assert CriticalAlert.objects.filter(client=world.sam).count() == 1
