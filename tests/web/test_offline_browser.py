"""The installable app: offline check-ins are kept on the device and sent exactly once when back online.

Sam opens the check-in page (the service worker takes control and keeps it), goes offline, checks in
twice, sees "Waiting to send: 2", reloads the page from the worker's cache while still offline, comes
back online, and exactly two check-ins are stored, with the moods he chose. Signing out clears what the
app kept on the device (Clear-Site-Data).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from alongside.selfcare.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _until(page, script: str, *, tries: int = 100) -> None:
    """Poll ``script`` with page.evaluate (wait_for_function evaluates strings, which the strict CSP forbids)."""
    for _ in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def test_two_offline_check_ins_arrive_once_each(browser, live_server, world, client) -> None:
    """Offline twice, online once: two check-ins, no duplicate, the waiting line gone; the manifest is linked."""
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("selfcare:checkin"))
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now controlled: this load is kept for offline use
        _until(page, "() => navigator.serviceWorker.controller !== null")
        assert page.locator('link[rel="manifest"]').count() == 1

        context.set_offline(True)
        for mood in ("3", "8"):
            page.locator(f'input[name="mood"][value="{mood}"]').check()
            page.get_by_role("button", name="Save check-in").click()
            page.wait_for_timeout(300)
        waiting = page.locator("#offline-waiting")
        assert waiting.is_visible()
        assert "2" in waiting.inner_text()
        page.reload()  # served by the worker while offline
        assert "2" in page.locator("#offline-waiting").inner_text()
        assert CheckIn.objects.filter(client=world.sam).count() == 0

        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        _until(page, "() => document.getElementById('offline-waiting').hidden")
        moods = sorted(CheckIn.objects.filter(client=world.sam).values_list("mood", flat=True))
        assert moods == [3, 8]
        page.reload()
        page.wait_for_timeout(500)
        assert CheckIn.objects.filter(client=world.sam).count() == 2
    finally:
        context.close()
