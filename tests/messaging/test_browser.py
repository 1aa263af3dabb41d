"""Two real browser contexts, a client on a phone and a clinician at a desk, talking live over WebSockets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from alongside.core.models import OfficeHours
from alongside.messaging.models import Message
from alongside.safety.models import CriticalAlert
from alongside.selfcare import services as selfcare_services
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cookie(django_client) -> str:
    return django_client.cookies[settings.SESSION_COOKIE_NAME].value


def _open(browser, server, cookie: str, path: str, *, phone: bool):
    if phone:
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server.url + path)
    return context, page, errors


def _live(page) -> None:
    """Wait until the page's socket is open (thread.js marks the form)."""
    expect(page.locator("#message-form[data-live]")).to_have_count(1, timeout=10000)


def _people(world, staff_client):
    sam_web = DjangoClient()
    sam_web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    alice_web = staff_client(world.alice)
    return _cookie(sam_web), _cookie(alice_web)


def test_client_and_clinician_exchange_messages_live_with_read_receipts(browser, asgi_live_server, world, staff_client):
    """Sam writes on his phone; Alice's open page shows it without a reload; her reading shows Sam "Seen"."""
    sam_cookie, alice_cookie = _people(world, staff_client)
    sam_ctx, sam, sam_errors = _open(browser, asgi_live_server, sam_cookie, "/messages/thread/", phone=True)
    alice_ctx, alice, alice_errors = _open(
        browser, asgi_live_server, alice_cookie, f"/messages/clients/{world.sam.pk}/", phone=False
    )
    try:
        _live(sam)
        _live(alice)
        expect(sam.locator("#emergency-notice")).to_contain_text("Messages are not for emergencies.")
        assert_no_serious_axe_violations(sam, context_label="client thread")

        sam.get_by_label("Message", exact=True).fill("Could we talk about the panic on the bus on Thursday?")
        sam.get_by_role("button", name="Send").click()
        expect(alice.locator("#thread")).to_contain_text("the panic on the bus", timeout=10000)
        expect(sam.locator("#thread .msg-mine")).to_contain_text("the panic on the bus")
        expect(sam.locator("#read-receipt")).to_have_text("Seen by your care team", timeout=10000)

        alice.get_by_label("Message", exact=True).fill("Yes, let's start with that. Take care until then.")
        alice.get_by_role("button", name="Send").click()
        expect(sam.locator("#thread")).to_contain_text("let's start with that", timeout=10000)
        expect(alice.locator("#read-receipt")).to_have_text(re.compile(r"Seen by Sam"), timeout=10000)
        assert_no_serious_axe_violations(alice, context_label="staff thread")

        assert Message.objects.count() == 2
        # A reload shows the same two messages: nothing duplicated, nothing lost.
        sam.reload()
        expect(sam.locator("#thread .msg")).to_have_count(2)
        assert sam_errors == []
        assert alice_errors == []
    finally:
        sam_ctx.close()
        alice_ctx.close()


def test_a_client_attaches_an_exercise_and_the_clinician_opens_it_from_the_message(
    browser, asgi_live_server, world, staff_client
):
    entry = selfcare_services.entry_create(
        actor=world.sam.user,
        kind="exposure_hierarchy",
        idempotency_key="ladder-browser-1",
        data={"goal": "Take the bus", "steps": [{"id": "s1", "text": "Bus stop", "suds": 30}]},
        complete=True,
    )
    sam_cookie, alice_cookie = _people(world, staff_client)
    sam_ctx, sam, _ = _open(browser, asgi_live_server, sam_cookie, "/messages/thread/", phone=True)
    alice_ctx, alice, _ = _open(
        browser, asgi_live_server, alice_cookie, f"/messages/clients/{world.sam.pk}/", phone=False
    )
    try:
        _live(sam)
        _live(alice)
        sam.get_by_label("Attach one of your entries (optional)").select_option(value=f"exercise:{entry.pk}")
        sam.get_by_label("Message", exact=True).fill("This is my ladder.")
        sam.get_by_role("button", name="Send").click()
        link = alice.get_by_role("link", name="Open the attached exercise")
        expect(link).to_be_visible(timeout=10000)
        link.click()
        alice.wait_for_url(re.compile(rf"/selfcare/clients/{world.sam.pk}/exercises/#entry-{entry.pk}$"))
        expect(alice.locator(f"#entry-{entry.pk}")).to_contain_text("Bus stop")
    finally:
        sam_ctx.close()
        alice_ctx.close()


def test_crisis_language_shows_the_client_help_at_once_and_alerts_the_clinician(
    browser, asgi_live_server, world, staff_client
):
    sam_cookie, alice_cookie = _people(world, staff_client)
    sam_ctx, sam, _ = _open(browser, asgi_live_server, sam_cookie, "/messages/thread/", phone=True)
    try:
        _live(sam)
        expect(sam.locator("#crisis-panel")).to_be_hidden()
        sam.get_by_label("Message", exact=True).fill("I can't do this anymore, I want to end my life")
        sam.get_by_role("button", name="Send").click()
        panel = sam.locator("#crisis-panel")
        expect(panel).to_be_visible(timeout=10000)
        expect(panel).to_be_focused()
        expect(panel.get_by_role("link", name="Call 988")).to_be_visible()
        assert_no_serious_axe_violations(sam, context_label="client thread with crisis lines")
    finally:
        sam_ctx.close()
    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.source == "message"
    alice_ctx, alice, _ = _open(browser, asgi_live_server, alice_cookie, "/measures/alerts/", phone=False)
    try:
        expect(alice.locator("main")).to_contain_text("Crisis language in a message")
        alice.goto(f"{asgi_live_server.url}/measures/alerts/{alert.pk}/")
        alice.get_by_role("link", name="Open the message").click()
        expect(alice.locator("#thread")).to_contain_text("I want to end my life")
    finally:
        alice_ctx.close()


def test_outside_office_hours_the_client_sees_the_notice_before_sending(browser, asgi_live_server, world):
    OfficeHours.objects.create(
        practice=world.practice, office_days=[], opens_at=dt.time(9), closes_at=dt.time(17), reply_within_hours=24
    )
    sam_web = DjangoClient()
    sam_web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    context, page, _ = _open(browser, asgi_live_server, _cookie(sam_web), "/messages/thread/", phone=True)
    try:
        notice = page.locator("#office-notice")
        expect(notice).to_contain_text("The office is closed now.")
        expect(notice).to_contain_text("within 24 hours")
        box = page.get_by_label("Message", exact=True).bounding_box()
        assert notice.bounding_box()["y"] < box["y"]
    finally:
        context.close()
