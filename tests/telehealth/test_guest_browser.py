"""Three Chromium contexts with fake cameras: clinician, client and an outside interpreter (by join link) in one call.

Each of the three decodes video from the two others (``getStats`` ``framesDecoded`` > 0): the
client-clinician pair on its own connection as before, and every pair with the interpreter on
a mesh connection of its own. The link then refuses a second browser, and an expired link says so.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from playwright.sync_api import expect

from alongside.sessions.models import Appointment
from alongside.telehealth.services.guest_links import guest_link_create
from tests.a11y import assert_no_serious_axe_violations
from tests.telehealth.support import appointment
from tests.telehealth.test_browser import _call_number, _cookie, _open, media_browser  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_guest(browser, server, path: str):
    """A browser with no account at all: it has only the join link."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.grant_permissions(["camera", "microphone"], origin=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url + path)
    return context, page, errors


def _decoding(tile, timeout: float = 15.0) -> int:
    """Poll a mesh tile's ``data-frames-decoded`` (written by the page's getStats loop) until it is above 0."""
    deadline = time.monotonic() + timeout
    value = 0
    while time.monotonic() < deadline:
        value = int(tile.get_attribute("data-frames-decoded") or 0)
        if value > 0:
            return value
        tile.page.wait_for_timeout(100)
    state = tile.get_attribute("data-state")
    raise AssertionError(f"the tile decoded {value} frames in {timeout} s (connection {state})")


def test_clinician_client_and_an_outside_interpreter_each_see_the_two_others(
    media_browser,  # noqa: F811
    asgi_live_server,
    world,
    staff_client,
):
    """Ana opens her link, waits, Alice lets her in; Sam, Alice and Ana each decode the other two's video."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    _link, url = guest_link_create(
        actor=world.alice, appointment_id=booked.pk, name="Ana", base_url=asgi_live_server.url
    )
    later = appointment(world, starts_in=dt.timedelta(minutes=200))
    _expired, expired_url = guest_link_create(
        actor=world.alice, appointment_id=later.pk, name="Ana", base_url=asgi_live_server.url
    )
    Appointment.objects.filter(pk=later.pk).update(starts_at=booked.starts_at - dt.timedelta(hours=5))

    sam_ctx, sam, sam_errors = _open(
        media_browser, asgi_live_server, _cookie(world.sam.user), f"/telehealth/{booked.pk}/"
    )
    alice_ctx, alice, alice_errors = _open(
        media_browser, asgi_live_server, _cookie(world.alice, staff_client), f"/telehealth/{booked.pk}/"
    )
    ana_ctx, ana, ana_errors = _open_guest(media_browser, asgi_live_server, url.removeprefix(asgi_live_server.url))
    contexts = [sam_ctx, alice_ctx, ana_ctx]
    try:
        ana.get_by_role("button", name="Continue to the video session").click()  # binds the link to this browser
        expect(ana.get_by_role("button", name="Enter the waiting room")).to_be_visible()
        expect(ana.locator("h1")).to_have_text("Video session")
        assert world.sam.preferred_name not in ana.content()  # by default the guest sees no name of the client

        sam.get_by_role("button", name="Enter the waiting room").click()
        alice.get_by_role("button", name="Open the session").click()
        admit = alice.get_by_role("button", name="Let Sam in")
        expect(admit).to_be_visible(timeout=10000)
        admit.click()

        ana.get_by_role("button", name="Enter the waiting room").click()
        expect(ana.locator("#waiting")).to_be_visible(timeout=10000)
        assert_no_serious_axe_violations(ana, context_label="outside guest in the waiting room")
        let_in = alice.get_by_role("button", name="Let in: Interpreter · Ana")
        expect(let_in).to_be_visible(timeout=10000)
        let_in.click()

        # The pair keeps its own connection: Sam and Alice decode each other on #call as before.
        _call_number(sam, "frames-decoded", 0, 15)
        _call_number(alice, "frames-decoded", 0, 15)
        # Each pair with Ana is a mesh connection with its own tile.
        _decoding(sam.locator(".mesh-peer[data-pid^='link-']"))
        _decoding(alice.locator(".mesh-peer[data-pid^='link-']"))
        _decoding(ana.locator(".mesh-peer[data-pid^='clinician-']"))
        _decoding(ana.locator(".mesh-peer[data-pid^='client-']"))
        expect(sam.locator(".mesh-peer figcaption")).to_have_text("Interpreter · Ana")
        expect(ana.locator(".mesh-peer[data-pid^='client-'] figcaption")).to_have_text("Client")
        assert_no_serious_axe_violations(ana, context_label="outside guest in a three-way call")

        ana.get_by_label("Chat message").fill("I can hear you both.")
        ana.get_by_label("Chat message").press("Enter")
        expect(sam.locator("#chat-log")).to_contain_text("Interpreter · Ana: I can hear you both.")

        # The same link in another browser, and a link whose session is over: each says why.
        other = media_browser.new_context()
        contexts.append(other)
        reused = other.new_page()
        response = reused.goto(url)
        assert response is not None
        assert response.status == 403
        expect(reused.locator("#link-refused")).to_contain_text("already used in another browser")
        response = reused.goto(expired_url)
        assert response is not None
        assert response.status == 403
        expect(reused.locator("#link-refused")).to_contain_text("has expired")

        assert sam_errors == []
        assert alice_errors == []
        assert ana_errors == []
    finally:
        for context in contexts:
            context.close()
