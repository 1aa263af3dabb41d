"""An urgent check-in note in real Chromium: the clinician gets a critical alert and acknowledges it.

Sam writes a plan in a check-in note on a phone; Alice finds the alert in her alert list, sees
that it came from a check-in note, and acknowledges it with a note, as for an urgent message.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alongside.safety.models import AlertSource, AlertStatus, CriticalAlert, FlagLevel, FlagSource
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.test_alert_path_browser import _as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_urgent_checkin_note_reaches_the_clinician_as_a_critical_alert(live_server, phone_page, browser) -> None:
    """Urgent crisis language in a check-in note: a critical alert Alice opens and acknowledges."""
    world = factories.world()
    page = phone_page
    page.set_default_timeout(120_000)  # the shared machine is slow at times; no timing is asserted
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/selfcare/checkin/")
    page.locator("label.mood-option", has_text="2").first.tap()
    page.get_by_text("Add more (optional)").tap()
    page.get_by_label("A note for yourself").fill("there's a rope in my wardrobe and I can't keep myself safe tonight")
    page.get_by_role("button", name="Save check-in").tap()
    page.wait_for_url(live_server.url + "/selfcare/checkins/")

    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.source == AlertSource.FLAG
    assert (alert.flag.source, alert.flag.level) == (FlagSource.CHECKIN_NOTE, FlagLevel.URGENT)

    alice = _as_staff(browser, live_server, world.alice)
    alice.set_default_timeout(120_000)
    alice.goto(f"{live_server.url}/measures/alerts/")
    expect(alice.get_by_role("link", name=world.sam.preferred_name).first).to_be_visible()
    expect(alice.get_by_text("Crisis language in other free text").first).to_be_visible()
    alice.goto(f"{live_server.url}/measures/alerts/{alert.pk}/")
    expect(alice.get_by_text("Check-in note").first).to_be_visible()
    assert_no_serious_axe_violations(alice, context_label="alert raised by a check-in note")
    alice.get_by_label("Note", exact=True).fill("Called Sam; removed the rope with her partner; safety plan reviewed.")
    alice.get_by_role("button", name="Acknowledge the alert").click()
    alice.wait_for_url(re.compile(r"/measures/alerts/$"))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by_id == world.alice.pk
