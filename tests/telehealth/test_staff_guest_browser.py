"""Staff guests in Chromium: a co-therapist's mesh pairs survive a network drop, and a group's change page works by keyboard.

The first test is a three-way one-to-one session (Sam, Alice, and Bob as an invited co-therapist),
with fake cameras. Bob's browser goes offline for a few seconds and comes back: his two mesh pairs
are kept and ICE-restarted (new ICE credentials on both sides), not rebuilt, and each of the four
mesh tiles decodes frames again. The second test changes a group from its page with the keyboard
alone, checked with axe.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.telehealth.services import groups as group_services
from alongside.telehealth.services.guests import guest_invite
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.telehealth.support import appointment
from tests.telehealth.test_browser import _call, _cookie, _open, media_browser  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_cookie(user) -> str:
    """A staff session of its own (second factor given): signing in on the shared test client would end Alice's."""
    from django.conf import settings
    from django.test import Client as DjangoClient

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    web = DjangoClient()
    web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    session = web.session
    session.update({SESSION_MFA_OK: True, SESSION_AUTH_AT: time.time(), SESSION_SEEN_AT: time.time()})
    session.save()
    return web.cookies[settings.SESSION_COOKIE_NAME].value


def _number(tile, name: str, above: int, timeout: float = 15.0) -> int:
    """Poll a number the page writes on a mesh tile (``data-<name>``) until it exceeds ``above``; return it."""
    deadline = time.monotonic() + timeout
    value = 0
    while time.monotonic() < deadline:
        value = int(tile.get_attribute(f"data-{name}") or 0)
        if value > above:
            return value
        tile.page.wait_for_timeout(100)
    state = tile.get_attribute("data-state")
    raise AssertionError(f"{name} stayed at {value} (needed more than {above}) for {timeout} s (connection {state})")


def test_a_staff_guest_goes_offline_and_both_its_pairs_come_back_by_ice_restart(
    media_browser,  # noqa: F811
    asgi_live_server,
    world,
    staff_client,
):
    """Bob drops off the network for 4 s; his pairs with Sam and Alice restart ICE, are not rebuilt, decode again."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.bob.email, role="co_therapist")
    sam_ctx, sam, sam_errors, alice_ctx, alice, alice_errors = _call(
        media_browser, asgi_live_server, world, staff_client, booked
    )
    bob_ctx, bob, bob_errors = _open(
        media_browser, asgi_live_server, _staff_cookie(world.bob), f"/telehealth/{booked.pk}/"
    )
    try:
        bob.get_by_role("button", name="Join the call").click()
        tiles = {
            "Bob sees Sam": bob.locator(".mesh-peer[data-pid^='client-']"),
            "Bob sees Alice": bob.locator(".mesh-peer[data-pid^='clinician-']"),
            "Sam sees Bob": sam.locator(".mesh-peer[data-pid^='staff-']"),
            "Alice sees Bob": alice.locator(".mesh-peer[data-pid^='staff-']"),
        }
        before = {who: _number(tile, "frames-decoded", 0) for who, tile in tiles.items()}
        built = {who: tile.get_attribute("data-builds") for who, tile in tiles.items()}

        bob_ctx.set_offline(True)
        expect(bob.locator("#room-status")).to_have_text("The connection dropped. Reconnecting…", timeout=10000)
        # Bob's socket is gone: Sam keeps the pair, marked away, instead of dropping it.
        expect(tiles["Sam sees Bob"]).to_have_attribute("data-away", "1", timeout=10000)
        bob.wait_for_timeout(4000)
        bob_ctx.set_offline(False)

        for who, tile in tiles.items():
            assert _number(tile, "ice-restarts", 0, 20) >= 1, who  # new ICE credentials arrived on this side
            after = _number(tile, "frames-decoded", before[who], 15)
            _number(tile, "frames-decoded", after, 15)  # and still growing
            assert tile.get_attribute("data-builds") == built[who], who  # the same connection: restarted, not rebuilt
            assert tile.get_attribute("data-state") == "connected", who
        expect(tiles["Sam sees Bob"]).not_to_have_attribute("data-away", "1")
        expect(sam.locator(".mesh-peer")).to_have_count(1)
        expect(bob.locator(".mesh-peer")).to_have_count(2)

        # Bob leaves: the others drop his tile at once (he says so), without waiting for the away timeout.
        bob.get_by_role("button", name="Leave").click()
        expect(sam.locator(".mesh-peer")).to_have_count(0, timeout=5000)
        expect(alice.locator(".mesh-peer")).to_have_count(0, timeout=5000)
        # Requests and socket attempts cut off by the drop are logged as errors; anything else is a fault.
        assert [e for e in bob_errors if "ERR_INTERNET_DISCONNECTED" not in e and "Failed to load" not in e] == []
        assert sam_errors == []
        assert alice_errors == []
    finally:
        for context in (sam_ctx, alice_ctx, bob_ctx):
            context.close()


def test_the_clinician_changes_a_group_by_keyboard(media_browser, asgi_live_server, world, staff_client):  # noqa: F811
    """Alice renames the group, adds Lee and Bob and removes Kim with the keyboard; each page passes axe."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    factories.client(world.practice, clinicians=(world.alice,), name="Lee")
    group = group_services.group_create(
        actor=world.alice,
        title="Skills group",
        starts_at=(timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0),
        client_ids=[world.sam.pk, kim.pk],
    )
    context, page, errors = _open(
        media_browser, asgi_live_server, _cookie(world.alice, staff_client), f"/telehealth/groups/{group.pk}/"
    )
    try:
        page.get_by_role("link", name="Change the time, clients or guests").focus()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Change the group session")
        assert_no_serious_axe_violations(page, context_label="a group's change page")

        title = page.get_by_role("textbox", name="Title")
        title.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("Thursday group")
        page.get_by_role("button", name="Save the title and time").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".muted").first).to_contain_text("Thursday group")

        page.get_by_label("Client to add").focus()  # Lee is the only client left to add
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#group-members")).to_contain_text("Lee")

        page.get_by_label("Sign-in email of a co-therapist or interpreter").focus()
        page.keyboard.type(world.bob.email)
        page.keyboard.press("Enter")
        expect(page.locator("#group-guests")).to_contain_text(world.bob.display_name)
        expect(page.locator("#group-people")).to_contain_text("5 of at most 10 people")

        page.get_by_role("button", name="Remove Kim").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#group-members")).not_to_contain_text("Kim")
        assert_no_serious_axe_violations(page, context_label="a group's change page after changes")
        assert errors == []
    finally:
        context.close()
    group.refresh_from_db()
    assert group.title == "Thursday group"
    assert {m.client.preferred_name for m in group.members.select_related("client")} == {"Sam", "Lee"}
