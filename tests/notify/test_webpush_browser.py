"""The device-notifications section in Chromium: offered when the server has VAPID keys, axe-clean, CSP-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.notify import webpush
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_choices_page_offers_notifications_on_this_device(live_server, page, settings) -> None:
    """With VAPID keys set, Sam's notification choices offer "Turn on notifications on this device" (its script
    shows the button: this browser can subscribe and has not yet); nothing is asked until it is pressed."""
    settings.ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY, settings.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY = webpush.vapid_keys_new()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sam = factories.client(factories.practice()).user
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(sam.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/" not in u)
    page.goto(f"{live_server.url}/notifications/preferences/")
    expect(page.get_by_role("heading", name="Notifications on this device")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off notifications on this device")).to_be_hidden()
    assert_no_serious_axe_violations(page, context_label="notification choices with device notifications")
    assert not [e for e in errors if "Content Security Policy" in e], errors
