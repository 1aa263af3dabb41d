"""A thought record on a phone-sized screen in a real Chromium: step by step, leave, resume, complete."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.selfcare.models import EntryStatus, ExerciseEntry
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next(page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()


def test_thought_record_on_a_phone_leave_resume_and_complete(live_server, phone_page) -> None:
    """Sam writes a thought record step by step, leaves after the emotions, resumes from the draft and finishes."""
    world = factories.world()
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("button", name="Start Thought record").click()
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    page.get_by_label("What happened?").fill("Friend didn't reply to my message")
    _next(page)
    page.get_by_label("Thought 1").fill("She is angry with me")
    page.get_by_label("Belief % 1").fill("80")
    _next(page)
    page.get_by_label("Emotion 1").fill("Worried")
    page.get_by_label("How strong (0-100) 1").fill("70")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Save and leave").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()

    page.get_by_role("link", name="Home").click()
    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("link", name="Continue Thought record").click()
    expect(page.get_by_text("Step 4 of 7")).to_be_visible()  # resumes at thinking traps
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Emotion 1")).to_have_value("Worried")
    _next(page)
    page.get_by_label("Mind reading").check()
    expect(page.get_by_text("Being sure you know what others think of you")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="thought record: thinking traps step")
    _next(page)
    page.get_by_label("Evidence for the thought").fill("She usually replies fast")
    page.get_by_label("Evidence against the thought").fill("She is at work today")
    _next(page)
    page.get_by_label("Balanced thought").fill("She is probably busy")
    page.get_by_label("How much do you believe it (0-100%)?").fill("65")
    _next(page)
    expect(page.get_by_label("Emotion 1")).to_have_value("Worried")  # re-rating starts from the same emotions
    page.get_by_label("How strong (0-100) 1").fill("30")
    page.get_by_role("button", name="Review").click()
    page.get_by_role("button", name="Finish exercise").click()
    expect(page.get_by_text("Well done: your exercise is complete.")).to_be_visible()
    expect(page.get_by_text("She is probably busy")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page, context_label="thought record: finished")
    assert not [e for e in errors if "Content Security Policy" in e], errors
    entry = ExerciseEntry.objects.get()
    assert entry.status == EntryStatus.COMPLETE
    assert entry.data["rerated"] == [{"name": "Worried", "intensity": 30}]
    assert entry.data["traps"] == ["mind_reading"]
