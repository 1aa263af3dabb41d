"""The critical-alert path for the clinician in a real Chromium, on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from alongside.safety.models import AlertStatus, CriticalAlert
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.support_staff import add_alert


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clinician_sees_the_alert_on_the_caseload_and_acknowledges_it(
    live_server, phone_page, world, staff_client
) -> None:
    """Alice sees Sam's alert at the top of her caseload, opens it, acknowledges it with a note; it leaves the list."""
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    alert = add_alert(world.sam, recipients=(world.alice,))
    web = staff_client(world.alice)
    cookie = web.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    page.goto(f"{live_server.url}/practice/clients/")
    first_row = page.locator("table.caseload tbody tr").first
    assert "Sam" in first_row.inner_text()
    assert "Open critical alert" in first_row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # wide tables scroll in their own box
    # One notice per alert: the Alerts badge and the notifications bell each count it once.
    nav = page.get_by_role("navigation").first
    assert nav.locator("a", has_text="Alerts").locator(".nav-count").inner_text().startswith("1")
    assert nav.locator("a", has_text="Notifications").locator(".nav-count").inner_text().startswith("1")
    assert_no_serious_axe_violations(page, context_label="caseload")

    first_row.get_by_role("link", name="Open the alert").click()
    page.wait_for_url(re.compile(rf"/measures/alerts/{alert.pk}/$"))
    page.get_by_role("button", name="Acknowledge the alert").click()  # no note: refused
    page.wait_for_load_state()
    assert CriticalAlert.objects.get(pk=alert.pk).status == AlertStatus.OPEN
    page.get_by_label("Note").fill("Phoned Sam; he is safe and we reviewed his safety plan.")
    page.get_by_role("button", name="Acknowledge the alert").click()
    page.wait_for_url(re.compile(r"/measures/alerts/$"))

    assert "The alert is acknowledged" in page.content()
    assert page.locator("#no-alerts").is_visible()
    assert CriticalAlert.objects.get(pk=alert.pk).status == AlertStatus.ACKNOWLEDGED
    page.goto(f"{live_server.url}/practice/clients/")
    assert "Open critical alert" not in page.locator("table.caseload").inner_text()
    assert page.locator(".nav-count").count() == 0
    assert not [e for e in errors if "Content Security Policy" in e], errors
