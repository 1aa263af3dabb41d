"""Idempotency keys: a replay is read-checked, and a key reused with another body is refused (issue #11, 4 and 9).

Every API route that takes an idempotency key is covered: questionnaire start and submit, messages,
check-ins, exercise entries, practice logs and homework tasks.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.http import Http404
from django.utils import timezone

from alongside.accounts import tokens
from alongside.consent.services import scopes_set
from alongside.core.models import IdempotencyRecord
from alongside.measures import services as measures
from alongside.measures.models import MeasureResponse, MeasureScore
from alongside.messaging.models import Message
from alongside.selfcare.models import CheckIn, ExerciseEntry, HomeworkTask, PracticeKind, PracticeLog, TaskStatus
from alongside.selfcare.services import tool_practice_log
from alongside.selfcare.services.homework import AssignmentInput, assignment_set
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]

CONFLICT = "already used for a different request"
LADDER = {"goal": "Walk into the shop", "steps": [{"id": "s1", "text": "Stand at the door", "suds": 35}]}


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def _post(client, path, body, headers, key=None, method="post"):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **extra, **headers)


# --- Finding 4: a replay answers only someone who may read what it returns ----------------------------------


def test_a_clinician_cannot_replay_answers_the_client_stopped_sharing(client, staff_client, world):
    """Alice replaying Sam's guessable questionnaire key after he stopped sharing measures gets 404, not his answers."""
    key = f"homework:{uuid.uuid4().hex}"
    started = measures.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key=key
    )
    measures.response_save_answer(actor=world.sam.user, response_id=started.pk, link_id="phq9-1", value=3)
    staff_client(world.alice)
    replay = {"instrument": "phq9", "idempotency_key": key, "client_id": str(world.sam.pk)}
    shared = _post(client, "/api/v1/measures/responses", replay, {})
    assert shared.status_code == 200, shared.content  # while shared, the replay is what it always was
    assert shared.json()["answers"] == {"phq9-1": 3}

    scopes_set(client=world.sam, scopes={"measures": False}, actor=world.sam.user)
    hidden = _post(client, "/api/v1/measures/responses", replay, {})
    assert hidden.status_code == 404
    assert "phq9-1" not in hidden.content.decode()
    answer = _post(client, f"/api/v1/measures/responses/{started.pk}/answers/phq9-2", {"value": 1}, {}, method="put")
    assert answer.status_code == 404
    submit = _post(client, f"/api/v1/measures/responses/{started.pk}/submit", {"idempotency_key": key}, {})
    assert submit.status_code == 404
    started.refresh_from_db()
    assert (started.answers, started.status) == ({"phq9-1": 3}, "in_progress")


def test_a_clinician_still_starts_a_blank_questionnaire_without_the_measures_scope(client, staff_client, world):
    """Not sharing measures hides Sam's answers from Alice, but she may still start a new, empty questionnaire."""
    scopes_set(client=world.sam, scopes={"measures": False}, actor=world.sam.user)
    staff_client(world.alice)
    body = {"instrument": "phq9", "idempotency_key": "in-session-0001", "client_id": str(world.sam.pk)}
    started = _post(client, "/api/v1/measures/responses", body, {})
    assert started.status_code == 200, started.content
    assert started.json()["answers"] == {}


def test_a_message_replay_is_refused_once_the_client_stops_sharing_messages(client, world):
    """Alice's retried message is not shown back to her after Sam stopped sharing messages (403, nothing new)."""
    alice = _auth(world.alice)
    path = f"/api/v1/messages/{world.sam.pk}"
    assert _post(client, path, {"body": "See you Tuesday"}, alice, key="alice-msg-01").status_code == 201
    scopes_set(client=world.sam, scopes={"messages": False}, actor=world.sam.user)
    replay = _post(client, path, {"body": "See you Tuesday"}, alice, key="alice-msg-01")
    assert replay.status_code in {403, 404}
    assert "Tuesday" not in replay.content.decode()
    assert Message.objects.count() == 1


def test_a_clinician_cannot_replay_a_relaxation_log_the_client_stopped_sharing(world):
    """The tool-log service lets the care team write, but a replay of Sam's key needs his exercises shared (404)."""
    fields = {"client": world.sam, "kind": PracticeKind.BREATHING_BOX, "before": 7, "after": 3, "duration_seconds": 60}
    first = tool_practice_log(actor=world.sam.user, idempotency_key="tool-key-0001", note="after the call", **fields)
    assert (
        tool_practice_log(actor=world.alice, idempotency_key="tool-key-0001", note="after the call", **fields) == first
    )
    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    with pytest.raises(Http404):
        tool_practice_log(actor=world.alice, idempotency_key="tool-key-0001", note="after the call", **fields)


# --- Finding 9: the same key with another body is a conflict, on every route ------------------------------


def _checkin(client, world, variant):
    return _post(
        client, "/api/v1/selfcare/checkins", {"mood": 6 if variant else 2}, _auth(world.sam.user), "checkin-0001"
    )


def _entry(client, world, variant):
    body = {"kind": "thought_record", "data": {"situation": "On the bus" if variant else "At work"}}
    return _post(client, "/api/v1/selfcare/entries", body, _auth(world.sam.user), "entry-0001")


def _practice(client, world, variant):
    headers = _auth(world.sam.user)
    if not ExerciseEntry.objects.exists():
        body = {"kind": "exposure_hierarchy", "data": LADDER, "complete": True}
        assert _post(client, "/api/v1/selfcare/entries", body, headers, "ladder-0001").status_code == 201
    entry = ExerciseEntry.objects.get()
    body = {"entry_id": str(entry.pk), "kind": "exposure", "step_id": "s1", "rating_before": 50, "rating_after": 20}
    body["rating_peak"] = 70 if variant else 90
    return _post(client, "/api/v1/selfcare/practice-logs", body, headers, "log-0001")


def _message(client, world, variant):
    body = {"body": "I slept better this week" if variant else "I want to stop coming"}
    return _post(client, f"/api/v1/messages/{world.sam.pk}", body, _auth(world.sam.user), "msg-0001")


def _start(client, world, variant):
    body = {"instrument": "phq9", "idempotency_key": "start-0001"}
    if not variant:
        body["request_id"] = str(uuid.uuid4())
    return _post(client, "/api/v1/measures/responses", body, _auth(world.sam.user))


def _submit(client, world, variant):
    headers = _auth(world.sam.user)
    rid = _post(client, "/api/v1/measures/responses", {"instrument": "phq9", "idempotency_key": "submit-01"}, headers)
    body = {"idempotency_key": "submit-01", "answers": phq9_answers(rest=1 if variant else 3)}
    return _post(client, f"/api/v1/measures/responses/{rid.json()['id']}/submit", body, headers)


ROUTES = {
    "check-in": (_checkin, CheckIn),
    "exercise entry": (_entry, ExerciseEntry),
    "practice log": (_practice, PracticeLog),
    "message": (_message, Message),
    "questionnaire start": (_start, MeasureResponse),
    "questionnaire submit": (_submit, MeasureScore),
}


@pytest.mark.parametrize("route", ROUTES)
def test_the_same_key_with_another_body_is_refused_with_409(client, world, route):
    """A retry with the same body replays the first result; the same key with another body gets 409 and saves nothing."""
    call, model = ROUTES[route]
    first = call(client, world, True)
    assert first.status_code in {200, 201}, first.content
    again = call(client, world, True)
    assert again.status_code in {200, 201}, again.content
    first_id = first.json().get("id") or first.json()["response"]["id"]
    assert (again.json().get("id") or again.json()["response"]["id"]) == first_id
    before = model.objects.count()

    other = call(client, world, False)
    assert other.status_code == 409, other.content
    assert CONFLICT in other.json()["detail"]
    assert model.objects.count() == before
    assert IdempotencyRecord.objects.exists()


def test_a_homework_key_reused_for_another_task_is_a_conflict(client, world):
    """Completing a second task with the key of the first gets 409 and leaves the second task open."""
    for target in ("thought_record", "problem_solving"):
        data = AssignmentInput(kind="exercise", target=target, due_on=timezone.localdate() + dt.timedelta(2))
        assignment_set(actor=world.alice, client_id=world.sam.pk, data=data)
    first, second = HomeworkTask.objects.order_by("assignment__target")
    headers = _auth(world.sam.user)
    done = _post(client, f"/api/v1/selfcare/homework/tasks/{first.pk}/complete", {}, headers, "hw-key-0001")
    assert done.status_code == 200, done.content
    reused = _post(client, f"/api/v1/selfcare/homework/tasks/{second.pk}/complete", {}, headers, "hw-key-0001")
    assert reused.status_code == 409
    assert CONFLICT in reused.json()["detail"]
    second.refresh_from_db()
    assert second.status != TaskStatus.COMPLETED


def test_keys_saved_before_fingerprints_replay_as_before_unless_the_stored_object_disagrees(client, world):
    """A check-in key without a record replays as before; an exercise key without one still must name the same type."""
    headers = _auth(world.sam.user)
    assert _checkin(client, world, True).status_code == 201
    assert _entry(client, world, True).status_code == 201
    IdempotencyRecord.objects.all().delete()  # as if both were saved before this change
    assert _checkin(client, world, False).status_code == 201
    assert CheckIn.objects.count() == 1
    other_kind = {"kind": "problem_solving", "data": {}}
    assert _post(client, "/api/v1/selfcare/entries", other_kind, headers, "entry-0001").status_code == 409
    assert ExerciseEntry.objects.count() == 1
