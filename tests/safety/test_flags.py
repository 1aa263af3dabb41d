"""Free text other than messages goes through alongside.safety: check-in notes."""

from __future__ import annotations

import json

import pytest

from alongside.audit.models import AuditEvent
from alongside.notify.models import Notification
from alongside.safety.models import FlagLevel, FlagSource, SafetyFlag
from alongside.selfcare import services

pytestmark = pytest.mark.django_db


def checkin(world, note, key):
    return services.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, mood=3, note=note)


def test_a_checkin_note_with_a_plan_is_flagged_urgent_and_the_clinician_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """ "I've been saving my pills" in a check-in note: an urgent flag, an in-app notice and an email."""
    with django_capture_on_commit_callbacks(execute=True):
        saved = checkin(world, "bad day. I've been saving my pills", "key-flag-0001")
    flag = SafetyFlag.objects.get(client=world.sam)
    assert (flag.source, flag.source_id, flag.level) == (FlagSource.CHECKIN_NOTE, str(saved.pk), FlagLevel.URGENT)
    assert "means" in flag.categories
    assert json.loads(flag.evidence)["patterns"][0]["id"] == "en.save_pills"
    assert Notification.objects.filter(recipient=world.alice, kind="alert").exists()
    assert mailoutbox
    assert all("pills" not in m.body for m in mailoutbox)
    assert AuditEvent.objects.filter(action="safety.flag_raised").exists()


def test_a_passive_checkin_note_is_review_without_email(world, mailoutbox, django_capture_on_commit_callbacks):
    """A passive wish is a review flag: the clinician sees a notice in the app, no email."""
    with django_capture_on_commit_callbacks(execute=True):
        checkin(world, "ojalá no despertar mañana", "key-flag-0002")
    assert SafetyFlag.objects.get(client=world.sam).level == FlagLevel.REVIEW
    assert Notification.objects.filter(recipient=world.alice, kind="alert").exists()
    assert mailoutbox == []


def test_an_ordinary_note_raises_nothing(world):
    """Everyday notes are not flagged."""
    checkin(world, "walked the dog, felt calmer", "key-flag-0003")
    assert not SafetyFlag.objects.exists()


def test_a_finished_exercise_entry_is_checked_once(world, django_capture_on_commit_callbacks):
    """A finished exercise's free text is checked; saving it again does not raise a second flag."""
    from alongside.selfcare.services import exercises

    data = {
        "goal": "Go outside again. Honestly some days I wish I was dead",
        "steps": [{"id": "s1", "text": "Bus stop", "suds": 30}, {"id": "s2", "text": "Short ride", "suds": 60}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        entry = exercises.entry_create(
            actor=world.sam.user, kind="exposure_hierarchy", idempotency_key="ladder-flag-1", data=data, complete=True
        )
        exercises.entry_complete(actor=world.sam.user, entry_id=entry.pk, data={**data, "goal": data["goal"] + "!"})
    flag = SafetyFlag.objects.get(client=world.sam)
    assert (flag.source, flag.source_id, flag.level) == (FlagSource.EXERCISE_ENTRY, str(entry.pk), FlagLevel.REVIEW)


def test_a_topic_for_next_session_is_checked(world, django_capture_on_commit_callbacks):
    """A topic the client writes for next session goes through the detector too."""
    from alongside.selfcare.services.topics import topic_raise

    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_raise(
            actor=world.sam.user, text="I want to talk about why I won't be around for our next session"
        )
    flag = SafetyFlag.objects.get(client=world.sam)
    assert (flag.source, flag.source_id, flag.level) == (FlagSource.SESSION_TOPIC, str(topic.pk), FlagLevel.URGENT)
