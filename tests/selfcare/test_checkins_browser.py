"""Check-in in the browser on a phone: three taps from home, then the day on the calendar."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from alongside.selfcare.models import CheckIn
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _bulleted_items(page, selector: str) -> tuple[int, int]:
    """Return how many items the list has, and how many of them the browser draws with a bullet."""
    return tuple(
        page.evaluate(
            """(selector) => {
                const items = [...document.querySelectorAll(selector + " > li")];
                const bulleted = items.filter((li) => {
                    const style = getComputedStyle(li);
                    return style.display === "list-item" && style.listStyleType !== "none";
                });
                return [items.length, bulleted.length];
            }""",
            selector,
        )
    )


def test_check_in_with_three_taps_from_home(live_server, phone_page) -> None:
    """Sam taps Check in, a mood and Save (three taps, under ten seconds), and sees today on the calendar.

    The check-in list below the calendar and the form's list of activities are drawn without list bullets.
    """
    world = factories.world()
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    started = time.monotonic()
    page.get_by_role("link", name="Check in").tap()  # tap 1
    page.locator("label.mood-option", has_text="7").first.tap()  # tap 2
    expect(page.get_by_role("radio", name="7", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save check-in").tap()  # tap 3
    page.wait_for_url(live_server.url + "/selfcare/checkins/")
    elapsed = time.monotonic() - started

    checkin = CheckIn.objects.get()
    assert checkin.mood == 7
    cell = page.locator(f'#mood-calendar .mood[data-day="{checkin.local_date:%Y-%m-%d}"]')
    expect(cell).to_contain_text("7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert elapsed < 10, elapsed
    assert not errors, errors
    assert_no_serious_axe_violations(page, context_label="check-in calendar")
    assert _bulleted_items(page, ".checkin-list") == (1, 0)
    page.goto(live_server.url + "/selfcare/checkin/")
    assert_no_serious_axe_violations(page, context_label="check-in form")
    page.get_by_text("Add more (optional)").tap()
    items, bulleted = _bulleted_items(page, ".checkin-activities")
    assert items > 0
    assert bulleted == 0
    print(f"check-in: 3 taps, {elapsed:.2f}s")
