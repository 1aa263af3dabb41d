"""The breathing pacer on a phone-sized screen in a real Chromium, with and without reduced motion."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.selfcare.models import PracticeKind, PracticeLog
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

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


def test_box_breathing_on_a_phone(live_server, phone_page) -> None:
    """Sam rates 7, runs the box pacer (sped up), rates 3, and sees '7 before, 3 after' in the history."""
    world = factories.world()
    page = phone_page
    errors = _sign_in(page, live_server, world)
    page.goto(live_server.url + "/selfcare/tools/box-breathing/?speed=20")
    expect(page.get_by_role("heading", name="Box breathing")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="box breathing pacer")
    page.locator("#before-7").check()
    expect(page.locator("[data-pacer-visual]")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-pacer-phase]")).to_have_text("Hold", timeout=3000)
    scale = page.locator("[data-pacer-circle]").evaluate("el => getComputedStyle(el).transform")
    assert scale != "none"
    expect(page.locator("[data-pacer-phase]")).to_have_text("Well done. Now rate how you feel below.", timeout=10000)
    page.locator("#after-3").check()
    page.get_by_role("button", name="Save my ratings").click()
    expect(page.get_by_text("7 before, 3 after")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [e for e in errors if "Content Security Policy" in e], errors
    log = PracticeLog.objects.get()
    assert (log.kind, log.rating_before, log.rating_after) == (PracticeKind.BREATHING_BOX, 7, 3)


def test_reduced_motion_shows_a_text_count(live_server, browser) -> None:
    """With reduced motion the circle is hidden and a text count runs; a button brings the circle back."""
    world = factories.world()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    page = context.new_page()
    try:
        errors = _sign_in(page, live_server, world)
        page.goto(live_server.url + "/selfcare/tools/breathing-4-7-8/?speed=2")
        expect(page.locator("[data-pacer-visual]")).to_be_hidden()
        switch = page.get_by_role("button", name="Use the moving circle")
        expect(switch).to_be_visible()
        assert_no_serious_axe_violations(page, context_label="4-7-8 pacer, reduced motion")
        page.get_by_role("button", name="Start").click()
        expect(page.locator("[data-pacer-phase]")).to_have_text("Breathe in")
        expect(page.locator("[data-pacer-count]")).to_have_text("2", timeout=3000)
        switch.click()
        expect(page.locator("[data-pacer-visual]")).to_be_visible()
        expect(page.get_by_role("button", name="Use a text count instead")).to_be_visible()
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
