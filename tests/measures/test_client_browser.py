"""Answering questionnaires on a phone-sized screen in a real Chromium: resume, branching, crisis lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.measures.models import MeasureResponse, ResponseStatus
from alongside.safety.models import CriticalAlert
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.support_client import due_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, world) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    return errors


def _choose(page, label: str, *, nav: str = "Next") -> None:
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name=nav, exact=True).click()


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    heights = page.locator("label.option").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights
    assert min(heights) >= 44, heights


def test_phq9_on_a_phone_with_leaving_and_resuming(live_server, phone_page) -> None:
    """Sam answers PHQ-9 one question per screen, leaves after four, resumes at five, goes back, and sends."""
    world = factories.world()
    due_request(world)
    page = phone_page
    errors = _sign_in(page, live_server, world)

    page.get_by_role("link", name="Answer PHQ-9").click()
    expect(page.get_by_text("Over the last 2 weeks").first).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1 of 9")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="PHQ-9 question step")
    for n in range(1, 5):
        # Once the total is above 0 the difficulty item joins, so there are 10 questions.
        expect(page.get_by_text(f"Question {n} of {9 if n == 1 else 10}")).to_be_visible()
        _fits_the_phone(page)
        _choose(page, "Several days")
    expect(page.get_by_text("Question 5 of 10")).to_be_visible()

    page.get_by_role("link", name="Home").click()  # leave mid-way
    page.get_by_role("link", name="Continue PHQ-9").click()
    page.get_by_role("button", name="Continue where I left off").click()
    expect(page.get_by_text("Question 5 of 10")).to_be_visible()

    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Question 4 of 10")).to_be_visible()
    expect(page.get_by_role("radio", name="Several days", exact=True)).to_be_checked()
    page.get_by_role("button", name="Next", exact=True).click()
    for _n in range(5, 10):
        _choose(page, "Not at all")
    expect(page.get_by_text("Question 10 of 10")).to_be_visible()  # total above 0: the difficulty item
    page.get_by_role("radio", name="Somewhat difficult").check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("Your PHQ-9 score is 4 out of 27.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert MeasureResponse.objects.get().status == ResponseStatus.SUBMITTED


def test_cssrs_branching_on_a_phone(live_server, phone_page) -> None:
    """C-SSRS: a No to question 2 skips to question 6; going back and answering Yes brings in questions 3 to 5."""
    world = factories.world()
    due_request(world, "cssrs")
    page = phone_page
    _sign_in(page, live_server, world)
    page.get_by_role("link", name="Answer C-SSRS Screener").click()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("These questions are about the past month")).to_be_visible()
    _choose(page, "No")
    _choose(page, "No")
    expect(page.get_by_text("Have you ever done anything")).to_be_visible()
    expect(page.get_by_text("Question 3 of 3")).to_be_visible()
    page.get_by_role("button", name="Back").click()
    _choose(page, "Yes")
    expect(page.get_by_text("Have you been thinking about how you might do this?")).to_be_visible()
    expect(page.get_by_text("Question 3 of 6")).to_be_visible()
    _fits_the_phone(page)


def test_critical_answer_shows_crisis_resources_on_a_phone(live_server, phone_page) -> None:
    """A PHQ-9 item 9 answer above 0 brings up the crisis lines at once, with a way back to the questionnaire."""
    world = factories.world()
    due_request(world)
    page = phone_page
    _sign_in(page, live_server, world)
    page.get_by_role("link", name="Answer PHQ-9").click()
    page.get_by_role("button", name="Start").click()
    for _n in range(1, 9):
        _choose(page, "Not at all")
    _choose(page, "Several days")
    expect(page.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    expect(page.get_by_text("Your care team has been told")).to_be_visible()
    call = page.get_by_role("link", name="Call 988")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:988"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert CriticalAlert.objects.filter(client=world.sam).exists()
    page.get_by_role("link", name="Continue the questionnaire").click()
    expect(page.get_by_text("Question 10 of 10")).to_be_visible()
    page.get_by_role("link", name="Get help now").click()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
