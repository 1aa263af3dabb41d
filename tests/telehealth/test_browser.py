"""Two Chromium contexts with fake cameras: the client waits, the clinician admits, both see video.

The browser here is launched with Chromium's fake media devices and fake permission prompt,
so getUserMedia gets a generated test pattern and a beep. The second test forces the call
through a real coturn relay on 127.0.0.1, started by the test with a shared secret.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from alongside.sessions.models import AppointmentStatus
from alongside.telehealth.models import VideoRoom
from tests.a11y import assert_no_serious_axe_violations
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.telehealth.support import appointment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def media_browser(playwright):
    """A Chromium whose camera and microphone are fakes that always say yes."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + MEDIA_ARGS, headless=True)
    yield browser
    browser.close()


def _cookie(user, staff_client=None) -> str:
    """Sign in and return the session cookie, trying again when SQLite's shared-cache test database reports a
    table locked by the live server's thread (a full run once failed here on accounts_user while Sam's page read it).
    """
    for attempt in range(5):
        try:
            web = staff_client(user) if staff_client else DjangoClient()
            if not staff_client:
                web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
            return web.cookies[settings.SESSION_COOKIE_NAME].value
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _open(browser, server, cookie: str, path: str):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.grant_permissions(["camera", "microphone"], origin=server.url)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url + path)
    return context, page, errors


def _call_number(page, name: str, above: int, timeout: float = 10.0) -> int:
    """Poll a number the page's getStats loop writes on #call until it exceeds ``above``; return it.

    Polled from Python: the page's CSP forbids the string evaluation ``wait_for_function`` uses.
    """
    deadline = time.monotonic() + timeout
    value = 0
    while time.monotonic() < deadline:
        value = int(page.locator("#call").get_attribute(f"data-{name}") or 0)
        if value > above:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"{name} stayed at {value} (needed more than {above}) for {timeout} s")


def _receiving(page, timeout: float = 10.0) -> None:
    """Wait until the page decodes video frames, then check that received bytes keep growing."""
    _call_number(page, "frames-decoded", 0, timeout)
    before = _call_number(page, "bytes-received", 0, timeout)
    _call_number(page, "bytes-received", before, timeout)


def _call(media_browser, server, world, staff_client, booked, *, axe: bool = False):
    sam_ctx, sam, sam_errors = _open(media_browser, server, _cookie(world.sam.user), f"/telehealth/{booked.pk}/")
    alice_ctx, alice, alice_errors = _open(
        media_browser, server, _cookie(world.alice, staff_client), f"/telehealth/{booked.pk}/"
    )
    sam.get_by_role("button", name="Enter the waiting room").click()
    try:
        expect(sam.locator("#room-status")).to_have_text(
            "You are in the waiting room. Your clinician will let you in.", timeout=10000
        )
    except AssertionError:
        raise AssertionError(f"Sam's page: {sam_errors}") from None
    if axe:
        assert_no_serious_axe_violations(sam, context_label="client in the waiting room")
    alice.get_by_role("button", name="Open the session").click()
    admit = alice.get_by_role("button", name="Let Sam in")
    expect(admit).to_be_visible(timeout=10000)
    admit.click()
    return sam_ctx, sam, sam_errors, alice_ctx, alice, alice_errors


def test_the_client_waits_the_clinician_admits_both_see_video_and_a_drop_recovers(
    media_browser, asgi_live_server, world, staff_client
):
    """Sam waits; Alice admits him; both decode video within 10 s; Sam's network drops and the call comes back."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    sam_ctx, sam, sam_errors, alice_ctx, alice, alice_errors = _call(
        media_browser, asgi_live_server, world, staff_client, booked, axe=True
    )
    try:
        _receiving(sam)
        _receiving(alice)
        expect(sam.locator("#quality")).to_contain_text("Connection:")
        assert_no_serious_axe_violations(sam, context_label="client in a video call")
        assert_no_serious_axe_violations(alice, context_label="clinician in a video call")

        # The switches say what they do and whether they are on, for screen readers too.
        mute = sam.get_by_role("button", name="Mute")
        mute.click()
        expect(mute).to_have_attribute("aria-pressed", "true")
        mute.click()
        expect(mute).to_have_attribute("aria-pressed", "false")

        # The chat reaches the other side and is kept nowhere.
        sam.get_by_label("Chat message").fill("Is the sound all right?")
        sam.get_by_label("Chat message").press("Enter")
        expect(alice.locator("#chat-log")).to_contain_text("Is the sound all right?")

        assert sam_errors == []
        assert alice_errors == []

        # A network drop: the signalling socket closes, comes back, and the call restarts ICE.
        # Requests cut off by the drop are logged as failed loads; anything else is still an error.
        sam_ctx.set_offline(True)
        expect(sam.locator("#room-status")).to_have_text("The connection dropped. Reconnecting…", timeout=10000)
        sam_ctx.set_offline(False)
        expect(sam.locator("#room-status")).to_have_text("You are in the call.", timeout=15000)
        assert int(sam.locator("#call").get_attribute("data-ice-restarts")) >= 1
        expect(alice.locator("#room-status")).to_have_text("You are in the call.", timeout=10000)
        _receiving(alice)
        _receiving(sam)

        alice.get_by_role("button", name="End the session").click()
        expect(sam.locator("#ended")).to_be_visible(timeout=10000)
        assert [e for e in sam_errors if not e.startswith("Failed to load resource")] == []
        assert alice_errors == []
    finally:
        sam_ctx.close()
        alice_ctx.close()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.ATTENDED
    assert VideoRoom.objects.get(appointment=booked).ended_at is not None


def test_the_same_call_goes_through_a_coturn_relay(
    media_browser, asgi_live_server, world, staff_client, coturn, settings
):
    """With iceTransportPolicy "relay" and per-join TURN passwords, video flows through coturn on 127.0.0.1."""
    port, secret, _log = coturn
    settings.TELEHEALTH_TURN_URLS = [f"turn:127.0.0.1:{port}?transport=udp"]
    settings.TELEHEALTH_TURN_SECRET = secret
    settings.TELEHEALTH_ICE_POLICY = "relay"
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    sam_ctx, sam, _, alice_ctx, alice, _ = _call(media_browser, asgi_live_server, world, staff_client, booked)
    try:
        _receiving(sam)
        _receiving(alice)
        # A relay candidate exists only after coturn accepted the per-join TURN password.
        assert sam.locator("#call").get_attribute("data-route") == "relay"
        assert alice.locator("#call").get_attribute("data-route") == "relay"
    finally:
        sam_ctx.close()
        alice_ctx.close()
