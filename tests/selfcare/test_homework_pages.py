"""Homework pages: the clinician assigns and reads adherence; the client's "today" shows what is due and hides what is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from alongside.selfcare.models import Assignment, HomeworkTask, PracticeLog, TaskStatus
from alongside.selfcare.services.homework import AssignmentInput, assignment_set, tasks_complete_for

pytestmark = pytest.mark.django_db


def test_clinician_assigns_from_the_client_page(world, staff_client):
    """Alice assigns daily box breathing; the page lists it with adherence."""
    browser = staff_client(world.alice)
    url = reverse("selfcare:staff_homework", args=[world.sam.pk])
    response = browser.post(url, {"target": "tool:breathing_box", "frequency": "daily", "instructions": "Mornings"})
    assert response.status_code == 302
    assignment = Assignment.objects.get(client=world.sam)
    assert assignment.kind == "tool"
    page = browser.get(url)
    assert page.status_code == 200
    assert "Box breathing" in page.content.decode()
    change = reverse("selfcare:staff_homework_change", args=[assignment.pk])
    assert browser.get(change).status_code == 200
    browser.post(change, {"target": "tool:grounding", "frequency": "per_week", "times_per_week": "2"})
    assert Assignment.objects.filter(client=world.sam, ended_at__isnull=True).get().target == "grounding"
    assert Assignment.objects.filter(client=world.sam).count() == 2


def test_outsiders_get_404(world, staff_client):
    """Bob and Carol cannot open Sam's homework page, change or end Sam's homework."""
    assignment = assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=AssignmentInput(kind="tool", target="grounding", frequency="daily"),
    )
    for outsider in (world.bob, world.carol):
        browser = staff_client(outsider)
        assert browser.get(reverse("selfcare:staff_homework", args=[world.sam.pk])).status_code == 404
        assert browser.get(reverse("selfcare:staff_homework_change", args=[assignment.pk])).status_code == 404
        assert browser.post(reverse("selfcare:staff_homework_end", args=[assignment.pk])).status_code == 404
    assignment.refresh_from_db()
    assert assignment.ended_at is None


def test_today_shows_due_and_hides_finished(world, client):
    """The home page lists due homework (recording it as seen); once done, it leaves the list."""
    assignment = assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=AssignmentInput(kind="tool", target="grounding", frequency="daily"),
    )
    client.force_login(world.sam.user)
    home = client.get(reverse("web:home")).content.decode()
    assert "5-4-3-2-1 grounding" in home
    task = HomeworkTask.objects.get(assignment=assignment)
    assert task.seen_at is not None
    assert client.get(reverse("selfcare:task", args=[task.pk])).status_code == 200
    task.refresh_from_db()
    assert task.opened_at is not None
    log = PracticeLog.objects.create(client=world.sam, kind="grounding", idempotency_key="practice-001")
    tasks_complete_for(client=world.sam, kind="tool", target="grounding", when=log.at, completion=log)
    assert "5-4-3-2-1 grounding" not in client.get(reverse("web:home")).content.decode()
    # Another client cannot open Sam's task.
    client.force_login(world.other_client.user)
    assert client.get(reverse("selfcare:task", args=[task.pk])).status_code == 404


def test_tick_command_makes_expires_and_reminds(world, mailoutbox, django_capture_on_commit_callbacks):
    """The tick makes today's tasks and sends one reminder naming no task; a second run sends nothing."""
    assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=AssignmentInput(kind="exercise", target="thought_record", frequency="daily", starts_on=dt.date.today()),
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("alongside.selfcare.services.homework.in_quiet_hours", lambda *a: False)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("selfcare_tick")
            call_command("selfcare_tick")
    assert len(mailoutbox) == 1
    assert "Thought record" not in mailoutbox[0].body
    assert HomeworkTask.objects.filter(status=TaskStatus.DUE, delivered_at__isnull=False).count() == 1


def test_start_links_lead_to_real_pages() -> None:
    """Each kind of homework links to a page that exists: the tool itself, the module, the exercise list."""
    from django.urls import resolve

    from alongside.selfcare.models import AssignmentKind, PracticeKind
    from alongside.selfcare.views.homework import _start_url

    tool = _start_url(AssignmentKind.TOOL, PracticeKind.BREATHING_BOX)
    assert tool is not None
    assert resolve(tool).kwargs == {"tool": "box-breathing"}
    assert _start_url(AssignmentKind.EXERCISE, "thought_record") == "/selfcare/exercises/"
    module = _start_url(AssignmentKind.MODULE, "worry")
    assert module is not None
    assert resolve(module).url_name == "module"
