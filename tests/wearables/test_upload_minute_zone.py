"""The web upload lets the client choose how a Fitbit archive's per-minute times are read (UTC or the profile's
zone), and that choice reaches the import; the choice is keyboard-operable and the page passes axe.

A minute written 04:30 on 10 March in an archive whose profile zone is New York is 23:30 on 9 March read as
UTC (the default) and 04:30 on 10 March read as the profile's wall clock (see the Fitbit source's notes).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from alongside.audit.models import AuditEvent
from alongside.wearables import uploads
from alongside.wearables.models import DailyFeature, Upload
from tests.a11y import assert_no_serious_axe_violations
from tests.wearables.test_fitbit_minute_zone import PROFILE, STEPS
from tests.wearables.test_more_sources import archive
from tests.wearables.test_upload import put, send_all


@pytest.fixture
def sam(world, client, settings, tmp_path, monkeypatch):
    settings.WEARABLES_DIR = tmp_path / "store"
    settings.WEARABLES_UPLOAD_DIR = tmp_path / "uploads"
    monkeypatch.setattr(uploads, "CHUNK_BYTES", 300)
    client.force_login(world.sam.user)
    return world


def fitbit_bytes(tmp_path) -> bytes:
    files = {"Profile.csv": PROFILE, "steps-2024-03-10.json": json.dumps(STEPS)}
    return archive(tmp_path / "fitbit.zip", files).read_bytes()


def start(client, data: bytes, **fields: str):
    form = {"name": "fitbit.zip", "size": len(data), "source": "fitbit", **fields}
    return client.post(reverse("wearables:upload_create"), form)


@pytest.mark.parametrize(("fields", "day"), [({}, 9), ({"minute_zone": "utc"}, 9), ({"minute_zone": "profile"}, 10)])
def test_the_reading_chosen_in_the_upload_reaches_the_import(
    sam, client, tmp_path, django_capture_on_commit_callbacks, fields, day
):
    """No choice or UTC: the steps count for 9 March; the profile's zone: for 10 March. The start is audited."""
    data = fitbit_bytes(tmp_path)
    created = start(client, data, **fields)
    assert created.status_code == 201
    upload = Upload.objects.get(pk=created.json()["id"])
    assert upload.minute_zone == fields.get("minute_zone", "")
    with django_capture_on_commit_callbacks(execute=True):
        send_all(client, str(upload.pk), data)
    assert client.get(reverse("wearables:upload", args=[upload.pk])).json()["status"] == "done"
    steps = DailyFeature.objects.get(client=sam.sam, metric="steps")
    assert (steps.day, steps.value) == (dt.date(2024, 3, day), 120)
    event = AuditEvent.objects.filter(action="wearables.upload_started").latest("id")
    assert event.detail.get("minute_zone") == fields.get("minute_zone")


def test_an_unknown_reading_is_refused_and_other_sources_ignore_it(sam, client, tmp_path):
    """Only UTC and the profile's zone exist; an Apple export keeps no reading."""
    data = fitbit_bytes(tmp_path)
    refused = start(client, data, minute_zone="device")
    assert refused.status_code == 400
    assert "per-minute" in refused.json()["error"]
    assert not Upload.objects.exists()
    created = start(client, data, source="apple", minute_zone="profile")
    assert Upload.objects.get(pk=created.json()["id"]).minute_zone == ""
    assert put(client, created.json()["id"], 0, data[:10]).status_code == 200


def test_the_page_explains_the_choice_in_plain_words(sam, client):
    """The choice is a labelled group with its help text; UTC is chosen unless the client picks otherwise."""
    page = client.get(reverse("wearables:mine")).content.decode()
    assert 'aria-describedby="minute-zone-help"' in page
    assert 'id="minute-zone-help"' in page
    assert 'name="minute_zone" value="utc" checked' in page
    assert 'name="minute_zone" value="profile">' in page


@pytest.mark.browser
def test_sam_chooses_the_profile_reading_with_the_keyboard(live_server, page, world, client, tmp_path, monkeypatch):
    """From the source select: Tab reaches the reading, an arrow key picks the profile's zone, Enter on the
    button uploads; the import reads 04:30 as New York's wall clock. The page passes axe."""
    monkeypatch.setattr(settings, "WEARABLES_DIR", tmp_path / "store", raising=False)
    monkeypatch.setattr(settings, "WEARABLES_UPLOAD_DIR", tmp_path / "uploads", raising=False)
    path = tmp_path / "upload.zip"
    path.write_bytes(fitbit_bytes(tmp_path))
    client.force_login(world.sam.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + "/wearables/")
    assert_no_serious_axe_violations(page, context_label="my body data upload with the Fitbit reading")
    page.set_input_files("#upload-file", str(path))
    page.select_option("#upload-source", "fitbit")
    page.focus("#upload-source")
    page.keyboard.press("Tab")
    expect(page.get_by_label("World time (UTC), the usual choice")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("The time zone set in my Fitbit profile")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-upload-status]")).to_contain_text("Imported", timeout=30_000)
    assert Upload.objects.get(client=world.sam).minute_zone == "profile"
    assert DailyFeature.objects.get(client=world.sam, metric="steps").day == dt.date(2024, 3, 10)
