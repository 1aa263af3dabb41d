"""'Missed something' on a check-in note, an exercise entry or a topic that raised nothing (issue #13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.consent.services import scopes_set
from alongside.safety.models import CriticalAlert, FeedbackTarget, FeedbackVerdict, SafetyFeedback
from alongside.selfcare import services as selfcare
from alongside.selfcare.models import CheckIn, ExerciseEntry, SessionTopic
from alongside.selfcare.services import exercises
from alongside.selfcare.services.topics import topic_raise

pytestmark = pytest.mark.django_db

QUIET = "sorting the spare room this weekend, boxes everywhere"


def _checkin(world):
    scopes_set(client=world.sam, scopes={"journal": True}, actor=world.sam.user)  # the note is journal text
    selfcare.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="missed-ck", mood=4, note=QUIET)
    return CheckIn.objects.get(client=world.sam).pk, reverse("selfcare:client_checkins", args=[world.sam.pk])


def _entry(world):
    data = {
        "situation": QUIET,
        "thoughts": [{"text": "The move is stressful", "belief": 60}],
        "emotions": [{"name": "sad", "intensity": 50}],
        "balanced_thought": "Unpacking slowly is fine",
        "balanced_belief": 40,
        "rerated": [{"name": "sad", "intensity": 30}],
    }
    exercises.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="missed-en", data=data, complete=True
    )
    return ExerciseEntry.objects.get(client=world.sam).pk, reverse("selfcare:staff_exercises", args=[world.sam.pk])


def _topic(world):
    topic_raise(actor=world.sam.user, text=QUIET)
    return SessionTopic.objects.get(client=world.sam).pk, reverse("selfcare:staff_homework", args=[world.sam.pk])


WRITERS = {"checkin": _checkin, "entry": _entry, "topic": _topic}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_missed_something_on_each_kind_of_quiet_text(staff_client, world, kind):
    """The staff page that shows the text links to "Crisis language missed?"; the verdict is stored with the text."""
    item_id, page = WRITERS[kind](world)
    assert not CriticalAlert.objects.exists()
    web = staff_client(world.alice)
    link = reverse(f"selfcare:{kind}_missed", args=[world.sam.pk, item_id])
    assert link in web.get(page).content.decode()
    assert QUIET in web.get(link).content.decode()
    response = web.post(link, {"note": "the spare room is where she said she would do it"})
    assert response.status_code == 302
    feedback = SafetyFeedback.objects.get()
    assert (feedback.target, feedback.verdict) == (FeedbackTarget.TEXT, FeedbackVerdict.MISSED_SOMETHING)
    assert feedback.target_id == f"{kind}:{item_id}"
    assert QUIET in feedback.text


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("who", ["bob", "carol"])
def test_clinicians_outside_the_care_team_cannot_reach_it(staff_client, world, kind, who):
    """Bob (same practice, not on Sam's team) and Carol (another practice) get a 404; nothing is stored."""
    item_id, _page = WRITERS[kind](world)
    link = reverse(f"selfcare:{kind}_missed", args=[world.sam.pk, item_id])
    web = staff_client(getattr(world, who))
    assert web.get(link).status_code == 404
    assert web.post(link, {"note": "x"}).status_code == 404
    assert not SafetyFeedback.objects.exists()


def test_another_clients_text_is_not_found_under_this_client(staff_client, world):
    """A check-in id read under a client it does not belong to is a 404, even for a care-team clinician."""
    item_id, _page = _checkin(world)
    link = reverse("selfcare:checkin_missed", args=[world.other_client.pk, item_id])
    assert staff_client(world.alice).get(link).status_code == 404
