"""The plain-words access log in Chromium: axe-clean with its listings section open, on a phone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from alongside.audit.log import record
from alongside.audit.models import AuditAction
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_access_log_reads_and_passes_axe_with_listings_open(browser, live_server, world) -> None:
    """Sam opens the collapsed listings; the page stays axe-clean at 390 px."""
    record(AuditAction.CLIENT_VIEWED, actor=world.alice, obj=world.sam, client_id=world.sam.pk)
    record(AuditAction.CLIENT_LISTED, actor=world.admin, obj=world.sam, client_id=world.sam.pk)
    web = DjangoClient()
    web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/consent/access-log/")
        expect(page.locator("main")).to_contain_text("viewed your record, once today")
        page.get_by_text("Your name appeared in 1 list").click()
        expect(page.locator("details")).to_contain_text("your practice's client list")
        assert_no_serious_axe_violations(page, context_label="access log, listings open")
    finally:
        context.close()
