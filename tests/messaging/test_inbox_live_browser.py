"""The clinician's inbox row and Messages badge follow a new message without a reload."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(browser, server, cookie: str, path: str, viewport: dict[str, int]):
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server.url + path)
    return context, page, errors


def test_sams_message_updates_alices_inbox_row_and_badge_live(browser, asgi_live_server, world, staff_client):
    """Sam sends from his phone; Alice's open inbox shows the unread row and her Messages badge reads 1."""
    sam_web = DjangoClient()
    sam_web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    sam_cookie = sam_web.cookies[settings.SESSION_COOKIE_NAME].value
    alice_cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    sam_ctx, sam, _ = _open(browser, asgi_live_server, sam_cookie, "/messages/thread/", {"width": 390, "height": 844})
    alice_ctx, alice, alice_errors = _open(
        browser, asgi_live_server, alice_cookie, "/messages/", {"width": 1366, "height": 900}
    )
    try:
        badge = alice.locator("[data-message-badge]").first
        expect(badge).to_have_attribute("data-live", "open", timeout=10000)
        expect(badge).to_be_hidden()
        row = alice.locator("[data-live-inbox] tbody tr", has_text="Sam")
        expect(row).not_to_contain_text("Awaiting your reply")
        expect(sam.locator("#message-form[data-live]")).to_have_count(1, timeout=10000)

        sam.get_by_label("Message", exact=True).fill("Is Thursday still on?")
        sam.get_by_role("button", name="Send").click()

        expect(badge).to_be_visible(timeout=10000)
        expect(badge.locator("[data-message-count]")).to_have_text("1")
        expect(badge).to_contain_text("unread message")
        expect(row).to_contain_text("Awaiting your reply", timeout=10000)
        expect(row.locator("td").nth(1)).to_have_text("1")
        assert alice_errors == []
    finally:
        sam_ctx.close()
        alice_ctx.close()
