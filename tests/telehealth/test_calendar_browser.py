"""The calendar in a real Chromium: the week grid and its list, keyboard-only blocking, the phone layout, booking; axe."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from alongside.sessions.models import Appointment
from alongside.telehealth.models import BlockedTime
from alongside.telehealth.services.availability import booking_policy_set, hours_set
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.telehealth.support import appointment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def _context(browser, server, cookie: str, *, phone: bool):
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    return context


def _world():
    world = factories.world()
    for person in (world.alice, world.sam.user):
        person.time_zone = "Europe/London"
        person.save(update_fields=["time_zone"])
    hours_set(actor=world.alice, rows=[(d, dt.time(9), dt.time(17)) for d in range(7)], time_zone="Europe/London")
    return world


def test_the_week_is_usable_by_keyboard_and_passes_axe_on_desk_and_phone(live_server, browser, staff_client):
    """Alice's week: headers, her session, free slots; Tab to a Block button and Enter blocks it; a phone shows the list."""
    world = _world()
    booked = appointment(world, starts_in=dt.timedelta(days=1))
    day = booked.starts_at.astimezone(LONDON).date()
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    context = _context(browser, live_server, cookie, phone=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/telehealth/schedule/?date={day.isoformat()}")
    expect(page.get_by_role("heading", name="Calendar", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Your week by hour")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader").first).to_be_visible()
    expect(table.get_by_text(world.sam.preferred_name).first).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="calendar week, desk")
    first_block = table.get_by_role("button", name="Block").first
    first_block.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The time is blocked.")).to_be_visible()
    assert BlockedTime.objects.filter(clinician=world.alice).count() == 1
    context.close()

    phone = _context(browser, live_server, cookie, phone=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/telehealth/schedule/?view=day&date={day.isoformat()}")
    expect(page.get_by_role("table")).to_be_hidden()
    expect(page.get_by_role("heading", name="As a list")).to_be_visible()
    expect(page.get_by_role("region", name="As a list").get_by_text(world.sam.preferred_name)).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="calendar day, phone")
    phone.close()


def test_a_client_books_a_free_time_on_a_phone(live_server, browser):
    """Sam, on a phone, sees his clinician's free times, books one with the keyboard, and the page passes axe."""
    world = _world()
    booking_policy_set(
        actor=world.admin,
        allow_self_booking=True,
        notice_hours=24,
        cancel_hours=24,
        horizon_days=14,
        duration_minutes=50,
    )
    web = DjangoClient()
    web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    context = _context(browser, live_server, web.cookies[settings.SESSION_COOKIE_NAME].value, phone=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/telehealth/book/")
    expect(page.get_by_role("heading", name="Free times")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="booking, phone")
    page.locator("ul.slot-list button").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your session is booked.")).to_be_visible()
    assert Appointment.objects.filter(client=world.sam, created_by=world.sam.user).count() == 1
    expect(page.get_by_role("button", name="Cancel this session")).to_be_visible()
    context.close()
