"""The session brief in a real Chromium: readable, accessible, and printable on one page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from alongside.measures import services as measure_services
from alongside.messaging.services import message_send
from alongside.selfcare import services as selfcare
from alongside.selfcare.services.topics import topic_raise
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("measures_library")
def test_clinician_opens_prints_the_brief(live_server, page, world, staff_client) -> None:
    """Alice opens Sam's brief from his record: each section reads in words, axe finds nothing serious, Print prints."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    now = timezone.now()
    for days, mood in ((5, 4), (3, 6), (1, 7)):
        selfcare.checkin_create(
            actor=world.sam.user,
            client=world.sam,
            idempotency_key=f"brief-ui-{days}",
            mood=mood,
            at=now - dt.timedelta(days=days),
        )
    response = measure_services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="brief-ui-phq"
    )
    measure_services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(rest=1))
    topic_raise(actor=world.sam.user, text="Sleep before exams")
    message_send(actor=world.sam.user, client_id=world.sam.pk, body="See you soon", idempotency_key="brief-ui-msg")

    web = staff_client(world.alice)
    cookie = web.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(f"{live_server.url}/practice/clients/{world.sam.pk}/")
    page.get_by_role("link", name="Session brief").click()
    page.wait_for_url(re.compile(rf"/sessions/clients/{world.sam.pk}/brief/$"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Session brief: Sam")
    for name in ("Alerts", "Topics the client raised", "Questionnaires", "Mood", "Exercises and homework", "Messages"):
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.get_by_text("No earlier session: this brief covers the last 14 days.")).to_be_visible()
    expect(page.get_by_text("Sleep before exams")).to_be_visible()
    expect(page.get_by_text("3 check-ins on 3 of 15 days.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Daily mood out of 10"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Latest score"))).to_contain_text("PHQ-9")
    expect(page.get_by_text("1 message waiting for a reply", exact=False)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Generated at "))).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="session brief")

    # The Print button (shown by the page's module) opens the print dialog.
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1

    # Printed: no header, navigation or buttons, and the brief fits on one A4 page at 96 dpi.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    assert page.evaluate("document.querySelector('main').scrollHeight") <= 1123
    page.emulate_media(media="screen")
    assert errors == []
