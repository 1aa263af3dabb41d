"""Clinician feedback on the crisis-language check: stored encrypted, audited, care team only, exported for evaluate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from alongside.audit.models import AuditEvent
from alongside.safety.evaluation import evaluate, read_rows
from alongside.safety.models import FeedbackTarget, FeedbackVerdict, SafetyFeedback
from alongside.safety.services import feedback_give

pytestmark = pytest.mark.django_db

MISSED = "drove out to the cliffs today and sat in the car working up the nerve"


def _give(world, actor, verdict=FeedbackVerdict.MISSED_SOMETHING, text=MISSED):
    return feedback_give(
        actor=actor,
        client_id=world.sam.pk,
        target=FeedbackTarget.MESSAGE,
        target_id="m-1",
        verdict=verdict,
        text=text,
        note="she told me in session this was a rehearsal",
    )


def test_feedback_is_stored_encrypted_and_audited_without_the_text(world):
    """Alice marks a message 'missed something': the text and note are not readable in the table; the audit
    event names the verdict only."""
    feedback = _give(world, world.alice)
    assert SafetyFeedback.objects.get(pk=feedback.pk).text == MISSED
    with connection.cursor() as cursor:
        cursor.execute("SELECT text_sealed, note_sealed FROM safety_safetyfeedback WHERE id = %s", [feedback.pk.hex])
        raw = " ".join(
            bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v) for v in cursor.fetchone()
        )
    assert "cliffs" not in raw
    assert "rehearsal" not in raw
    event = AuditEvent.objects.get(action="safety.feedback_given")
    assert event.detail == {"target": "message", "verdict": "missed_something"}


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_care_team_can_give_feedback(world, who):
    """Bob (same practice, not on Sam's team) and Carol (another practice) are refused; nothing is stored."""
    with pytest.raises(PermissionDenied):
        _give(world, getattr(world, who))
    assert not SafetyFeedback.objects.exists()


def test_feedback_export_is_read_by_evaluate(world, tmp_path):
    """'Missed something' exports as label 1, 'not a crisis' as label 0, in a file evaluate reads."""
    _give(world, world.alice)
    _give(world, world.alice, FeedbackVerdict.NOT_A_CRISIS, "this spreadsheet is killing me\tlol")
    out = tmp_path / "feedback.tsv"
    call_command("safety", "feedback-export", "--out", str(out))
    rows = read_rows(out)
    assert [(r["label"], r["category"]) for r in rows] == [("1", "clinician_missed"), ("0", "clinician_not_a_crisis")]
    assert rows[1]["text"] == "this spreadsheet is killing me lol"
    report = evaluate(rows)
    assert report.render(show_misses=True)


def _message_alert(world):
    from alongside.messaging import services as messaging
    from alongside.safety.models import CriticalAlert

    messaging.message_send(
        actor=world.sam.user,
        client_id=world.sam.pk,
        body="lol I could kill my brother for eating my fries",
        idempotency_key="key-feedback-01",
    )
    return CriticalAlert.objects.get(client=world.sam)


def test_the_clinician_marks_a_message_alert_not_a_crisis_on_its_page(world, staff_client):
    """Alice opens the alert, sees the feedback form, and marks it "not a crisis": stored with the message text."""
    from django.urls import reverse

    alert = _message_alert(world)
    web = staff_client(world.alice)
    assert 'id="safety-feedback"' in web.get(reverse("measures:alert_detail", args=[alert.pk])).content.decode()
    web.post(reverse("safety:alert_feedback", args=[alert.pk]), {"verdict": "not_a_crisis", "note": "a joke"})
    feedback = SafetyFeedback.objects.get()
    assert (feedback.target, feedback.target_id, feedback.verdict) == ("alert", str(alert.pk), "not_a_crisis")
    assert "fries" in feedback.text
    assert feedback.note == "a joke"


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_outsiders_cannot_post_feedback_on_an_alert(world, staff_client, who):
    """Bob and Carol get 404 on another clinician's client's alert; nothing is stored."""
    from django.urls import reverse

    alert = _message_alert(world)
    response = staff_client(getattr(world, who)).post(
        reverse("safety:alert_feedback", args=[alert.pk]), {"verdict": "not_a_crisis"}
    )
    assert response.status_code == 404
    assert not SafetyFeedback.objects.exists()
