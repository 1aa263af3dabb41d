"""Everyday use in a phone browser (issue #14): counters, the time-zone search, a Spanish questionnaire, axe-clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.support_client import due_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _sign_in(page, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def test_phone_client_sees_limits_a_zone_search_and_a_spanish_questionnaire(live_server, phone_page) -> None:
    """Sam's note counter counts as he types; the zone search narrows the list; in Spanish a questionnaire keeps the
    English original with a Spanish notice. Every page stays axe-clean with no script errors."""
    world = factories.world()
    request = due_request(world, "core10")
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    _sign_in(page, live_server.url, world.sam.user.email)
    page.screenshot(path=str(SHOTS / "after-client-home-phone-en.png"), full_page=True)

    page.goto(live_server.url + "/selfcare/checkin/")
    page.locator("details").first.evaluate("el => el.open = true")
    page.locator("#note").fill("x" * 1900)
    counter = page.locator('[data-count-for="note"]')
    expect(counter).to_have_text("(1,900 / 2,000)")
    expect(page.locator("#note-limit")).to_have_class("help counter counter-near")
    assert_no_serious_axe_violations(page, context_label="check-in with counter")

    page.goto(live_server.url + "/accounts/settings/")
    search = page.locator("#id_time_zone-search")
    search.fill("madrid")
    visible = page.evaluate(
        "() => [...document.querySelectorAll('#id_time_zone option')].filter(o => !o.hidden).map(o => o.value)"
    )
    assert "Europe/Madrid" in visible
    assert len(visible) < 5, visible
    assert_no_serious_axe_violations(page, context_label="settings with time-zone search")

    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(f"{live_server.url}/measures/requests/{request.pk}/")
    expect(page.locator("#original-language-notice")).to_be_visible()
    page.screenshot(path=str(SHOTS / "after-questionnaire-phone-es.png"), full_page=True)
    assert_no_serious_axe_violations(page, context_label="Spanish questionnaire intro")
    page.goto(live_server.url + "/")
    page.screenshot(path=str(SHOTS / "after-client-home-phone-es.png"), full_page=True)
    assert not errors, errors
