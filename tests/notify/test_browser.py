"""In a real browser: the navigation badge updates live when a notification is sent; the pages pass axe."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from alongside.notify.services import group_name, notification_send
from tests.a11y import assert_no_serious_axe_violations


def _send_from_another_thread(**kwargs) -> None:
    """Send as a view would: from a thread with no running event loop (Playwright's thread has one)."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            notification_send(**kwargs)
        except BaseException as error:  # reported to the test below
            failures.append(error)
        finally:
            from django.db import connection

            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=20)
    assert not failures, failures


def _wait_for_socket(user) -> None:
    """Wait until the page's socket has joined the person's group on the server."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    deadline = time.monotonic() + 15
    while not getattr(layer, "groups", {}).get(group_name(user.pk)):
        assert time.monotonic() < deadline, "the page never opened its notifications socket"
        time.sleep(0.05)


@pytest.mark.browser
def test_badge_updates_live(asgi_live_server, page, world, staff_client):
    """Alice has her notifications open; a new message notice makes her badge show 1 without a reload, then 2."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": asgi_live_server.url}])
    page.goto(asgi_live_server.url + "/notifications/")
    badge = page.locator("[data-notify-badge]")
    expect(badge).to_be_hidden()
    _wait_for_socket(world.alice)

    _send_from_another_thread(recipients=[world.alice], kind="message", link="/notifications/", client=world.sam)
    expect(badge).to_be_visible(timeout=10000)
    expect(badge.locator("[data-notify-count]")).to_have_text("1")
    _send_from_another_thread(recipients=[world.alice], kind="alert", link="/notifications/")
    expect(badge.locator("[data-notify-count]")).to_have_text("2", timeout=10000)

    # Without JavaScript's help the page shows the same after a reload, and opening a notice marks it read.
    page.reload()
    expect(page.get_by_text("2 unread notifications.")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="notifications list")
    page.get_by_role("button", name="New message").click()
    expect(page.get_by_text("1 unread notification.")).to_be_visible()
    page.goto(asgi_live_server.url + "/notifications/preferences/")
    assert_no_serious_axe_violations(page, context_label="notification choices")
    assert not [e for e in errors if "Content Security Policy" in e], errors
