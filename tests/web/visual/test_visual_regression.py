"""Visual regression of 12 key screens at 390 px and 1366 px, against stored PNG baselines.

The data is the same on every run (the named world, fixed check-ins, one PHQ-9) and both clocks are frozen:
the server's with time_machine, the page's with Playwright's clock. A screen passes when at most
``TOLERANCE`` of its pixels differ by more than ``CHANNEL_DELTA`` in some channel (anti-aliasing and font
hinting move a few). Regenerate the baselines with ``ALONGSIDE_UPDATE_SCREENSHOTS=1`` after an intended change
and look at them before committing (docs/developers/visual-regression.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.test import Client as DjangoClient
from PIL import Image, ImageChops

from alongside.measures import services as measures
from alongside.selfcare import services as selfcare
from tests import factories
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASELINES = Path(__file__).parent / "baselines"
WIDTHS = {"phone": (390, 844), "desk": (1366, 900)}
TOLERANCE = 0.005  # share of pixels allowed to differ
CHANNEL_DELTA = 24  # per-channel difference below which a pixel counts as the same
NOW = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)

CLIENT_SCREENS = {
    "client-home": "/",
    "checkin": "/selfcare/checkin/",
    "mood-chart": "/selfcare/checkins/",
    "messages": "/messages/thread/",
    "exercises": "/selfcare/exercises/",
    "get-help": "/measures/help/",
}
STAFF_SCREENS = {
    "caseload": "/practice/clients/",
    "brief": "/sessions/clients/{sam}/brief/",
    "client-record": "/practice/clients/{sam}/",
    "alerts": "/measures/alerts/",
    "progress-chart": "/measures/clients/{sam}/progress/",
    "calendar": "/telehealth/schedule/",
}


def _world() -> SimpleNamespace:
    """Alice (Dr Okonkwo) and her client Sam, made a month before NOW with fixed addresses."""
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        home = factories.practice("Riverside Therapy")
        alice = factories.staff(home, email="okonkwo@example.test")
        alice.name = "Dr Okonkwo"
        alice.save(update_fields=["name"])
        sam = factories.client(
            home, clinicians=(alice,), email="sam@example.test", scopes=("mood", "measures", "exercises", "messages")
        )
    return SimpleNamespace(alice=alice, sam=sam)


def _data(world) -> None:
    for days, mood in enumerate((4, 5, 3, 6, 5, 7, 6)):
        with time_machine.travel(NOW - dt.timedelta(days=7 - days, hours=3), tick=False):
            selfcare.checkin_create(
                actor=world.sam.user, client=world.sam, idempotency_key=f"visual-{days:02d}", mood=mood
            )
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        response = measures.response_start(
            actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="visual-phq9"
        )
        measures.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=1))


def _differs(shot: bytes, baseline: Path) -> float:
    """Return the share of pixels that differ noticeably (1.0 when the sizes differ)."""
    new = Image.open(io.BytesIO(shot)).convert("RGB")
    old = Image.open(baseline).convert("RGB")
    if new.size != old.size:
        return 1.0
    diff = ImageChops.difference(new, old).convert("L").point(lambda v: 255 if v > CHANNEL_DELTA else 0)
    changed = diff.histogram()[255]
    return changed / (new.size[0] * new.size[1])


def _shoot(browser, server, cookie: str, screens: dict[str, str], sam_id: str) -> dict[str, float]:
    update = os.environ.get("ALONGSIDE_UPDATE_SCREENSHOTS") == "1"
    BASELINES.mkdir(exist_ok=True)
    failures: dict[str, float] = {}
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])
        page = context.new_page()
        page.clock.set_fixed_time(NOW.timestamp())
        for name, path in screens.items():
            page.goto(server.url + path.format(sam=sam_id))
            page.wait_for_load_state("networkidle")
            shot = page.screenshot(full_page=True, animations="disabled", caret="hide")
            baseline = BASELINES / f"{name}-{width_name}.png"
            if update or not baseline.exists():
                baseline.write_bytes(shot)
                continue
            share = _differs(shot, baseline)
            if share > TOLERANCE:
                (BASELINES.parent / f"{name}-{width_name}.actual.png").write_bytes(shot)
                failures[f"{name}-{width_name}"] = share
        context.close()
    return failures


def test_twelve_key_screens_look_as_they_did(browser, asgi_live_server, staff_client, measures_library):  # noqa: F811
    """The six client and six clinician screens at both widths match their baselines within the tolerance."""
    world = _world()
    _data(world)
    with time_machine.travel(NOW, tick=False):
        sam_web = DjangoClient()
        sam_web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
        sam_cookie = sam_web.cookies[settings.SESSION_COOKIE_NAME].value
        alice_cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
        failures = _shoot(browser, asgi_live_server, sam_cookie, CLIENT_SCREENS, str(world.sam.pk))
        failures |= _shoot(browser, asgi_live_server, alice_cookie, STAFF_SCREENS, str(world.sam.pk))
    assert failures == {}, f"screens differ from their baselines (share of pixels): {failures}"
