"""One group call of three through a real Janus: Alice (the clinician), Sam and Kim, in three Chromium contexts.

Chromium runs with fake media devices, so each camera is a generated test pattern. Janus is Debian's, started
by the test on 127.0.0.1 with signed-token auth (tests/telehealth/group_janus.py); the test is skipped only
where /usr/bin/janus is absent. Each page must decode video from both others (``getStats`` ``framesDecoded``
> 0 on each remote tile) within a bounded wait. The time from the last Join click to that moment is printed (and
appended to $GROUP_BENCH_OUT for bench/group_call.py), never asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from alongside.telehealth.group_models import GroupSession
from alongside.telehealth.services import groups as group_services
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.telehealth.group_janus import janus_server, use_janus
from tests.telehealth.test_browser import _cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
WAIT = 45.0  # seconds: a bound for a loaded 2-core machine; the figure itself goes to bench/


@pytest.fixture(scope="module")
def media_browser(playwright):
    """A Chromium whose camera and microphone are fakes that always say yes."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + MEDIA_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def janus_on(tmp_path, settings):
    with janus_server(tmp_path / "janus") as server:
        use_janus(settings, server)
        yield server


def _open(browser, server, cookie: str, path: str):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.grant_permissions(["camera", "microphone"], origin=server.url)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url + path)
    return context, page, errors


def _decoding(page) -> dict[str, int]:
    """Frames decoded per remote participant's tile, by name (written by the page's getStats loop)."""
    tiles = page.locator("#tiles [data-feed]")
    return {
        tiles.nth(i).get_attribute("data-name") or "": int(tiles.nth(i).get_attribute("data-frames-decoded") or 0)
        for i in range(tiles.count())
    }


def test_three_people_in_a_group_call_each_receive_video_from_the_other_two(
    media_browser, asgi_live_server, janus_on, world, staff_client
):
    """Alice, Sam and Kim join; every page decodes video from both others; a leaver's tile goes; ending sends all away."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    group = group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=timezone.now() + dt.timedelta(minutes=5),
        client_ids=[world.sam.pk, kim.pk],
    )
    people = [
        (world.alice.display_name, _cookie(world.alice, staff_client)),
        ("Sam", _cookie(world.sam.user)),
        ("Kim", _cookie(kim.user)),
    ]
    opened = []
    form_ctx, form_page, _errors = _open(media_browser, asgi_live_server, people[0][1], "/telehealth/groups/new/")
    assert_no_serious_axe_violations(form_page, context_label="clinician scheduling a group")
    form_ctx.close()
    try:
        for name, cookie in people:
            context, page, errors = _open(media_browser, asgi_live_server, cookie, f"/telehealth/groups/{group.pk}/")
            opened.append((name, context, page, errors))
            if len(opened) == 2:  # a client's page of the group, before joining
                assert_no_serious_axe_violations(page, context_label="client on a group's page")
            last_join = time.monotonic()  # the last person's click on Join counts
            page.get_by_role("button", name="Join the group session").click()
            expect(page.locator("#group")).to_have_attribute("data-state", "in-call", timeout=15000)
        deadline = last_join + WAIT
        seen: dict[str, dict[str, int]] = {}
        while time.monotonic() < deadline:
            seen = {name: _decoding(page) for name, _c, page, _e in opened}
            if all(len(v) == 2 and min(v.values()) > 0 for v in seen.values()):
                break
            opened[0][2].wait_for_timeout(100)
        elapsed = time.monotonic() - last_join
        problems = {name: errors for name, _c, _p, errors in opened if errors}
        for name, decoded in seen.items():
            others = {n for n, _ in people} - {name}
            assert set(decoded) == others, (name, seen, problems)
            assert min(decoded.values()) > 0, (name, seen, problems)
        print(f"\ngroup of 3: last Join click -> every page decoding both others: {elapsed:.2f} s")
        if os.environ.get("GROUP_BENCH_OUT"):
            with open(os.environ["GROUP_BENCH_OUT"], "a") as out:
                out.write(f"{elapsed:.3f}\n")
        assert_no_serious_axe_violations(opened[1][2], context_label="client in a group call")
        for control in ("Mute", "Camera off"):  # each is a toggle: same label, aria-pressed flips
            button = opened[1][2].get_by_role("button", name=control)
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        # Kim leaves: the others' pages drop Kim's tile.
        opened[2][2].get_by_role("button", name="Leave").click()
        expect(opened[0][2].locator('#tiles [data-name="Kim"]')).to_have_count(0, timeout=15000)
        expect(opened[1][2].locator('#tiles [data-name="Kim"]')).to_have_count(0, timeout=15000)
        # Alice ends the call: Janus destroys the room and Sam's page says so.
        assert GroupSession.objects.get(pk=group.pk).janus_room is not None
        group_services.group_room_close(actor=world.alice, group_id=group.pk)
        expect(opened[1][2].locator("#group")).to_have_attribute("data-state", "left", timeout=15000)
        expect(opened[1][2].locator("#group-status")).to_have_text("The clinician ended the group session.")
    finally:
        for _name, context, _page, _errors in opened:
            context.close()
