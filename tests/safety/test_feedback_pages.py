"""Clinician feedback from the pages: on a flag's alert, and "missed something" on a quiet message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.messaging import services as messaging
from alongside.safety.models import CriticalAlert, FeedbackTarget, FeedbackVerdict, SafetyFeedback
from alongside.selfcare import services as selfcare

pytestmark = pytest.mark.django_db


def test_the_clinician_marks_a_checkin_flag_not_a_crisis_and_the_note_text_is_kept(staff_client, world):
    """A flag's alert page takes the feedback form; the checked note is stored with the verdict, encrypted."""
    note = "I've got a rope in the wardrobe"
    selfcare.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="fb-page-01", mood=3, note=note)
    alert = CriticalAlert.objects.get(client=world.sam)
    web = staff_client(world.alice)
    page = web.get(reverse("measures:alert_detail", args=[alert.pk])).content.decode()
    assert 'id="safety-feedback"' in page
    response = web.post(reverse("safety:alert_feedback", args=[alert.pk]), {"verdict": "not_a_crisis", "note": "x"})
    assert response.status_code == 302
    feedback = SafetyFeedback.objects.get()
    assert (feedback.target, feedback.verdict) == (FeedbackTarget.ALERT, FeedbackVerdict.NOT_A_CRISIS)
    assert feedback.text == note


def test_missed_something_on_a_message_that_raised_nothing(staff_client, world):
    """A quiet client message offers "Crisis language missed?"; the clinician's verdict is stored with the text."""
    body = "the bus ticket is for one way only this time"
    sent = messaging.message_send(actor=world.sam.user, client_id=world.sam.pk, body=body, idempotency_key="quiet-01")
    assert not CriticalAlert.objects.exists()
    web = staff_client(world.alice)
    thread = web.get(reverse("messaging:staff_thread", args=[world.sam.pk])).content.decode()
    link = reverse("messaging:message_missed", args=[world.sam.pk, sent.message.seq])
    assert link in thread
    assert body in web.get(link).content.decode()
    response = web.post(link, {"note": "one-way ticket: she told me in session what it means"})
    assert response.status_code == 302
    feedback = SafetyFeedback.objects.get()
    assert (feedback.target, feedback.verdict) == (FeedbackTarget.MESSAGE, FeedbackVerdict.MISSED_SOMETHING)
    assert feedback.text == body
    assert feedback.target_id == str(sent.message.id)


def test_a_clinician_outside_the_care_team_cannot_reach_the_missed_page(staff_client, world):
    """Another clinician of the practice gets a 404, and nothing is stored."""
    sent = messaging.message_send(
        actor=world.sam.user, client_id=world.sam.pk, body="hello", idempotency_key="quiet-02"
    )
    link = reverse("messaging:message_missed", args=[world.sam.pk, sent.message.seq])
    assert staff_client(world.bob).post(link, {"note": "x"}).status_code in (403, 404)
    assert not SafetyFeedback.objects.exists()
