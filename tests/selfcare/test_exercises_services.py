"""Exercise services: schema checks on every write, drafts, completion, practice logs, idempotency."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.selfcare.models import EntryStatus, ExerciseEntry, PracticeKind, PracticeLog, SelfcareAuditAction
from alongside.selfcare.schemas import validate_data
from alongside.selfcare.selectors import exercises as selectors
from alongside.selfcare.services import exercises as services
from alongside.selfcare.services import practice as practice_services

pytestmark = pytest.mark.django_db

FULL_RECORD = {
    "situation": "Presentation at work",
    "thoughts": [{"text": "Everyone will see I'm useless", "belief": 80}],
    "emotions": [{"name": "Anxious", "intensity": 90}],
    "traps": ["mind_reading", "labelling"],
    "evidence_for": "I stumbled once",
    "evidence_against": "People asked good questions",
    "balanced_thought": "I was nervous and it still went fine",
    "balanced_belief": 60,
    "rerated": [{"name": "Anxious", "intensity": 40}],
}


def _ladder(world, key: str = "ladder-key-1") -> ExerciseEntry:
    return services.entry_create(
        actor=world.sam.user,
        kind="exposure_hierarchy",
        idempotency_key=key,
        data={
            "goal": "Take the bus to work",
            "steps": [
                {"id": "s1", "text": "Stand at the bus stop", "suds": 30},
                {"id": "s2", "text": "Ride", "suds": 70},
            ],
        },
    )


def test_schema_rejects_unknown_fields_out_of_range_and_missing_parts(world) -> None:
    """Unknown fields, ratings outside 0-100 and (on completion) missing parts are clear errors."""
    with pytest.raises(ValidationError, match="Unknown field: mood"):
        validate_data("thought_record", {"mood": 3})
    with pytest.raises(ValidationError, match="at most 100"):
        validate_data("thought_record", {"thoughts": [{"text": "x", "belief": 101}]})
    with pytest.raises(ValidationError, match="at least 0"):
        validate_data("exposure_hierarchy", {"steps": [{"id": "a", "text": "x", "suds": -1}]})
    with pytest.raises(ValidationError, match="a balanced thought"):
        validate_data("thought_record", {"situation": "x"}, complete=True)
    assert validate_data("thought_record", FULL_RECORD, complete=True)["traps"] == ["mind_reading", "labelling"]


def test_a_refused_write_changes_nothing(world) -> None:
    """A draft update with a bad rating, or completing with parts missing, leaves the entry and audit as they were."""
    entry = services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="tr-key-0001", data={"situation": "Bus"}
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.entry_update(actor=world.sam.user, entry_id=entry.pk, data={"situation": "Changed", "extra": 1})
    with pytest.raises(ValidationError):
        services.entry_update(
            actor=world.sam.user, entry_id=entry.pk, data={"situation": "Changed", "balanced_belief": 150}
        )
    with pytest.raises(ValidationError, match="at least one automatic thought"):
        services.entry_complete(actor=world.sam.user, entry_id=entry.pk)
    entry.refresh_from_db()
    assert entry.data["situation"] == "Bus"
    assert entry.status == EntryStatus.DRAFT
    assert AuditEvent.objects.count() == events


def test_draft_saved_and_resumed_then_completed(world) -> None:
    """A draft keeps each step's answers; completing it stamps the time and audits without client text."""
    sam = world.sam.user
    entry = services.entry_create(actor=sam, kind="thought_record", idempotency_key="tr-key-0002")
    services.entry_update(actor=sam, entry_id=entry.pk, data={"situation": "Bus"}, step="situation")
    resumed = selectors.entry_own(user=sam, entry_id=entry.pk)
    assert resumed.data["situation"] == "Bus"
    assert resumed.status == EntryStatus.DRAFT
    done = services.entry_complete(actor=sam, entry_id=entry.pk, data=FULL_RECORD)
    assert done.status == EntryStatus.COMPLETE
    assert done.completed_at is not None
    event = AuditEvent.objects.filter(action=SelfcareAuditAction.ENTRY_SAVED).order_by("-seq").first()
    assert event is not None
    assert event.detail["status"] == "complete"
    assert "Presentation" not in str(event.detail)
    with pytest.raises(ValidationError):  # a complete entry cannot lose a required part
        services.entry_update(actor=sam, entry_id=entry.pk, data={**FULL_RECORD, "situation": ""})


def test_idempotent_create(world) -> None:
    """The same key returns the same entry and the same practice log; nothing is duplicated."""
    first = _ladder(world)
    again = _ladder(world)
    assert first.pk == again.pk
    assert ExerciseEntry.objects.count() == 1
    kwargs = {"rating_before": 50, "rating_peak": 70, "rating_after": 30, "idempotency_key": "log-key-0001"}
    a = practice_services.exposure_log_create(actor=world.sam.user, entry_id=first.pk, step_id="s1", **kwargs)
    b = practice_services.exposure_log_create(actor=world.sam.user, entry_id=first.pk, step_id="s1", **kwargs)
    assert a.pk == b.pk
    assert PracticeLog.objects.count() == 1


def test_exposure_suds_logs_and_habituation(world) -> None:
    """Exposure practices log SUDS before, peak and after; habituation shows the peak coming down."""
    ladder = _ladder(world)
    for n, (before, peak, after) in enumerate([(60, 80, 50), (50, 65, 30), (40, 45, 20)]):
        practice_services.exposure_log_create(
            actor=world.sam.user,
            entry_id=ladder.pk,
            step_id="s1",
            rating_before=before,
            rating_peak=peak,
            rating_after=after,
            idempotency_key=f"exp-key-000{n}",
        )
    log = PracticeLog.objects.first()
    assert log is not None
    assert log.kind == PracticeKind.EXPOSURE
    assert log.entry_id == ladder.pk
    steps = selectors.habituation(ladder)
    assert [s.id for s in steps] == ["s1", "s2"]
    assert [lg.rating_peak for lg in steps[0].logs] == [80, 65, 45]
    assert steps[0].change == 35
    assert len(steps[0].peak_points.split()) == 3
    assert steps[1].logs == []
    assert steps[1].change is None


def test_practice_logs_refuse_bad_ratings_and_unknown_steps(world) -> None:
    """SUDS above 100, mastery above 10 or a step not on the ladder are refused and nothing is logged."""
    ladder = _ladder(world)
    with pytest.raises(ValidationError, match="at most 100"):
        practice_services.exposure_log_create(
            actor=world.sam.user,
            entry_id=ladder.pk,
            step_id="s1",
            rating_before=50,
            rating_peak=120,
            rating_after=10,
            idempotency_key="bad-key-0001",
        )
    with pytest.raises(ValidationError, match="no such step"):
        practice_services.exposure_log_create(
            actor=world.sam.user,
            entry_id=ladder.pk,
            step_id="nope",
            rating_before=50,
            rating_peak=60,
            rating_after=10,
            idempotency_key="bad-key-0002",
        )
    plan = services.entry_create(
        actor=world.sam.user,
        kind="behavioural_activation",
        idempotency_key="ba-key-0001",
        data={"activities": [{"id": "walk", "text": "Walk in the park", "day": 2}]},
    )
    with pytest.raises(ValidationError, match="at most 10"):
        practice_services.activity_log_create(
            actor=world.sam.user, entry_id=plan.pk, step_id="walk", done=True, mastery=11, idempotency_key="ba-log-0001"
        )
    assert PracticeLog.objects.count() == 0
    practice_services.activity_log_create(
        actor=world.sam.user,
        entry_id=plan.pk,
        step_id="walk",
        done=True,
        mastery=6,
        pleasure=8,
        idempotency_key="ba-log-0002",
    )
    week = selectors.activity_week(plan)
    assert week[0].lift == 14
    assert selectors.what_lifted(week) == week


def test_only_the_client_writes_their_exercises(world) -> None:
    """Alice (care team), Bob and another client cannot write Sam's exercises: 404."""
    entry = services.entry_create(actor=world.sam.user, kind="thought_record", idempotency_key="tr-key-0003")
    for outsider in (world.alice, world.bob, world.carol, world.other_client.user):
        with pytest.raises(Http404):
            services.entry_update(actor=outsider, entry_id=entry.pk, data={"situation": "x"})
        with pytest.raises(Http404):
            services.entry_create(
                actor=outsider, client_id=world.sam.pk, kind="thought_record", idempotency_key="tr-key-0004"
            )
