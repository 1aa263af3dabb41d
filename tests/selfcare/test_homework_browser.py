"""Homework end to end on a phone-sized screen: assigned, seen under Today, done, gone from Today, counted for the therapist."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from alongside.selfcare.models import HomeworkTask, TaskStatus
from alongside.selfcare.services.homework import AssignmentInput, assignment_set
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next(page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()


def test_assigned_thought_record_is_done_from_today_and_counted(live_server, phone_page, staff_client) -> None:
    """Alice assigns a thought record; Sam opens it from Today, completes it, Today empties; Alice sees 1 of 1."""
    world = factories.world()
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=AssignmentInput(
            kind="exercise",
            target="thought_record",
            instructions="Try one after a hard moment.",
            due_on=timezone.localdate() + dt.timedelta(days=2),
        ),
    )

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    today = page.locator("section[aria-labelledby='homework-today-title']")
    expect(today.get_by_role("link", name="Thought record")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="client home: Today")
    today.get_by_role("link", name="Thought record").click()
    expect(page.get_by_text("Try one after a hard moment.")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="client homework task")
    assert HomeworkTask.objects.get().opened_at is not None

    page.get_by_role("link", name="Start", exact=True).click()
    page.get_by_role("button", name="Start Thought record").click()
    page.get_by_label("What happened?").fill("Friend didn't reply to my message")
    _next(page)
    page.get_by_label("Thought 1").fill("She is angry with me")
    page.get_by_label("Belief % 1").fill("80")
    _next(page)
    page.get_by_label("Emotion 1").fill("Worried")
    page.get_by_label("How strong (0-100) 1").fill("70")
    _next(page)
    page.get_by_label("Mind reading").check()
    _next(page)
    page.get_by_label("Evidence for the thought").fill("She usually replies fast")
    page.get_by_label("Evidence against the thought").fill("She is at work today")
    _next(page)
    page.get_by_label("Balanced thought").fill("She is probably busy")
    page.get_by_label("How much do you believe it (0-100%)?").fill("65")
    _next(page)
    page.get_by_label("How strong (0-100) 1").fill("30")
    page.get_by_role("button", name="Review").click()
    page.get_by_role("button", name="Finish exercise").click()
    expect(page.get_by_text("Well done: your exercise is complete.")).to_be_visible()

    page.goto(live_server.url + "/")
    expect(today.get_by_text("Nothing set for today.")).to_be_visible()
    expect(today.get_by_role("link", name="Thought record")).to_have_count(0)
    task = HomeworkTask.objects.get()
    assert (task.status, task.completion_type) == (TaskStatus.COMPLETED, "selfcare.exerciseentry")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.context.clear_cookies()
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + reverse("selfcare:staff_homework", args=[world.sam.pk]))
    expect(page.get_by_text(re.compile(r"Adherence:\s*1 of 1 \(100%\)"))).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="clinician homework page")
    assert not [e for e in errors if "Content Security Policy" in e], errors
