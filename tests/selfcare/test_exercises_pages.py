"""Exercise pages: guided steps without JavaScript, ladder reordering and practice, and the clinician view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.selfcare.models import EntryStatus, ExerciseEntry, PracticeLog, SelfcareAuditAction
from alongside.selfcare.services import exercises as services
from alongside.selfcare.services import practice as practice_services

pytestmark = pytest.mark.django_db


def _sam(client, world):
    client.force_login(world.sam.user)
    return client


def _ladder(world) -> ExerciseEntry:
    return services.entry_create(
        actor=world.sam.user,
        kind="exposure_hierarchy",
        idempotency_key="ladder-page-1",
        data={
            "goal": "Take the bus",
            "steps": [{"id": "s1", "text": "Bus stop", "suds": 30}, {"id": "s2", "text": "Short ride", "suds": 60}],
        },
    )


def test_thought_record_steps_save_a_draft_and_resume(client, world) -> None:
    """Each step is a plain POST that saves; leaving and resuming opens the first unfilled step."""
    c = _sam(client, world)
    assert c.get(reverse("selfcare:exercises")).status_code == 200
    response = c.post(reverse("selfcare:exercise_start", args=["thought_record"]), {"key": "start-key-0001"})
    entry = ExerciseEntry.objects.get()
    assert response.url == reverse("selfcare:exercise_step", args=[entry.pk, "situation"])
    c.post(response.url, {"situation": "Meeting", "nav": "next"})
    step = reverse("selfcare:exercise_step", args=[entry.pk, "thoughts"])
    page = c.get(step)
    assert page.status_code == 200
    assert b"Step 2 of 7" in page.content
    c.post(
        step,
        {"thoughts-count": "3", "thoughts-0-text": "They think I'm boring", "thoughts-0-belief": "70", "nav": "leave"},
    )
    entry.refresh_from_db()
    assert entry.data["thoughts"] == [{"text": "They think I'm boring", "belief": 70}]
    resume = c.get(reverse("selfcare:exercise_resume", args=[entry.pk]))
    assert resume.url == reverse("selfcare:exercise_step", args=[entry.pk, "emotions"])


def test_a_bad_rating_on_a_step_is_shown_and_not_saved(client, world) -> None:
    """A belief of 150% re-renders the step with the error; the draft keeps its earlier answer."""
    c = _sam(client, world)
    entry = services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="tr-page-0001", data={"thoughts": [{"text": "a"}]}
    )
    step = reverse("selfcare:exercise_step", args=[entry.pk, "thoughts"])
    page = c.post(step, {"thoughts-count": "1", "thoughts-0-text": "b", "thoughts-0-belief": "150", "nav": "next"})
    assert page.status_code == 400
    assert b"at most 100" in page.content
    entry.refresh_from_db()
    assert entry.data["thoughts"] == [{"text": "a", "belief": None}]


def test_finishing_with_parts_missing_lists_them(client, world) -> None:
    """Finish on an incomplete thought record shows what is missing and keeps the draft."""
    c = _sam(client, world)
    entry = services.entry_create(actor=world.sam.user, kind="thought_record", idempotency_key="tr-page-0002")
    page = c.post(reverse("selfcare:exercise_finish", args=[entry.pk]))
    assert page.status_code == 400
    assert b"a balanced thought" in page.content
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_ladder_reorder_and_log_exposure_practice(client, world) -> None:
    """Up/down buttons reorder the ladder; a practice form logs SUDS and the page shows the habituation table."""
    c = _sam(client, world)
    ladder = _ladder(world)
    c.post(reverse("selfcare:exercise_move", args=[ladder.pk]), {"step_id": "s2", "direction": "up"})
    ladder.refresh_from_db()
    assert [s["id"] for s in ladder.data["steps"]] == ["s2", "s1"]
    practice = reverse("selfcare:exercise_practice", args=[ladder.pk])
    c.post(
        practice,
        {"step_id": "s1", "rating_before": "50", "rating_peak": "70", "rating_after": "30", "key": "k-0000001"},
    )
    c.post(
        practice,
        {"step_id": "s1", "rating_before": "40", "rating_peak": "50", "rating_after": "20", "key": "k-0000002"},
    )
    bad = c.post(
        practice, {"step_id": "s1", "rating_before": "40", "rating_peak": "500", "rating_after": "20", "key": "k-3"}
    )
    assert bad.status_code == 400
    assert PracticeLog.objects.filter(entry=ladder).count() == 2
    page = c.get(reverse("selfcare:exercise", args=[ladder.pk]))
    assert b"<polyline" in page.content
    assert b"Peak distress has come down by 20 points" in page.content
    assert b'style="' not in page.content
    assert b"<script>" not in page.content


def test_activity_plan_week_view(client, world) -> None:
    """Planned activities recorded as done with mastery and pleasure show in the week and what lifted mood."""
    c = _sam(client, world)
    plan = services.entry_create(
        actor=world.sam.user,
        kind="behavioural_activation",
        idempotency_key="ba-page-0001",
        data={"activities": [{"id": "walk", "text": "Walk", "day": 0}, {"id": "call", "text": "Call Jo", "day": 1}]},
    )
    c.post(
        reverse("selfcare:exercise_practice", args=[plan.pk]),
        {"step_id": "walk", "done": "yes", "mastery": "5", "pleasure": "8", "key": "ba-log-page-1"},
    )
    page = c.get(reverse("selfcare:exercise", args=[plan.pk]))
    assert b"What lifted your mood" in page.content
    assert b"mastery 5, pleasure 8" in page.content


def test_clinician_sees_entries_in_full_and_the_read_is_audited(staff_client, world) -> None:
    """Alice sees Sam's exercises and practice logs; the read is audited without client data."""
    ladder = _ladder(world)
    practice_services.exposure_log_create(
        actor=world.sam.user,
        entry_id=ladder.pk,
        step_id="s1",
        rating_before=50,
        rating_peak=60,
        rating_after=20,
        idempotency_key="staff-log-01",
    )
    c = staff_client(world.alice)
    page = c.get(reverse("selfcare:staff_exercises", args=[world.sam.pk]))
    assert page.status_code == 200
    assert b"Take the bus" in page.content
    assert b"Bus stop" in page.content
    event = AuditEvent.objects.filter(action=SelfcareAuditAction.SELFCARE_VIEWED).get()
    assert event.client_id == world.sam.pk
    assert "bus" not in str(event.detail).lower()


def test_revoked_exercises_scope_hides_entries_at_once(staff_client, world) -> None:
    """When Sam stops sharing exercises, Alice's very next page view shows none of them."""
    _ladder(world)
    c = staff_client(world.alice)
    url = reverse("selfcare:staff_exercises", args=[world.sam.pk])
    assert b"Take the bus" in c.get(url).content
    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    page = c.get(url)
    assert page.status_code == 200
    assert b"Take the bus" not in page.content
    assert b"does not share exercises" in page.content


def test_outsiders_get_404(client, staff_client, world) -> None:
    """Bob (off the team), Carol (other practice) and another client cannot open Sam's exercises."""
    ladder = _ladder(world)
    for outsider in (world.bob, world.carol):
        c = staff_client(outsider)
        assert c.get(reverse("selfcare:staff_exercises", args=[world.sam.pk])).status_code == 404
    client.force_login(world.other_client.user)
    assert client.get(reverse("selfcare:exercise", args=[ladder.pk])).status_code == 404
    assert client.get(reverse("selfcare:exercise_step", args=[ladder.pk, "goal"])).status_code == 404
    move = client.post(reverse("selfcare:exercise_move", args=[ladder.pk]), {"step_id": "s2", "direction": "up"})
    assert move.status_code == 404
    assert client.get(reverse("selfcare:staff_exercises", args=[world.sam.pk])).status_code in {403, 404}


def test_starting_again_carries_on_the_empty_draft_and_clinicians_never_see_it(client, staff_client, world) -> None:
    """Opening "Start thought record" three times without writing leaves one empty draft, offered once in the
    client's list; the clinician's view leaves it out, and a draft with words in it is shown to both."""
    c = _sam(client, world)
    for n in range(3):
        c.post(reverse("selfcare:exercise_start", args=["thought_record"]), {"key": f"empty-start-{n:04d}"})
    assert ExerciseEntry.objects.filter(kind="thought_record").count() == 1
    services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="empty-start-api-1"
    )  # another empty one, made through the API
    listing = c.get(reverse("selfcare:exercises")).content.decode()
    resume_links = [e.pk for e in ExerciseEntry.objects.all() if str(e.pk) in listing]
    assert len(resume_links) == 1
    written = services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="written-0001", data={"situation": "Meeting"}
    )
    staff_page = staff_client(world.alice).get(reverse("selfcare:staff_exercises", args=[world.sam.pk])).content
    assert b"Meeting" in staff_page
    for entry in ExerciseEntry.objects.exclude(pk=written.pk):
        assert str(entry.pk).encode() not in staff_page
    assert staff_page.count(b"\xe2\x80\x94") < 10  # no empty draft rendered as rows of dashes
