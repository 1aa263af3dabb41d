"""In a real browser: Sam uploads an export in chunks from My body data and watches it imported; the page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import expect

from alongside.wearables import uploads
from alongside.wearables.models import DailyFeature, Upload
from tests.a11y import assert_no_serious_axe_violations
from tests.wearables import exports

START = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)


@pytest.mark.browser
def test_sam_uploads_an_export_in_chunks_and_sees_it_imported(live_server, page, world, client, tmp_path, monkeypatch):
    """The page's script sends 500-byte chunks, the import runs as a task, the status ends 'Imported'; charts pass axe."""
    monkeypatch.setattr(settings, "WEARABLES_DIR", tmp_path / "store", raising=False)
    monkeypatch.setattr(settings, "WEARABLES_UPLOAD_DIR", tmp_path / "uploads", raising=False)
    monkeypatch.setattr(uploads, "CHUNK_BYTES", 500)
    records = [
        exports.record("StepCount", START + dt.timedelta(days=d), START + dt.timedelta(days=d, minutes=9), 300 + d)
        for d in range(6)
    ]
    path = exports.write_xml(tmp_path / "export.xml", *records)
    client.force_login(world.sam.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/wearables/")
    assert_no_serious_axe_violations(page, context_label="my body data")
    page.set_input_files("#upload-file", str(path))
    page.select_option("#upload-source", "apple")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("[data-upload-status]")).to_contain_text("Imported", timeout=30_000)
    upload = Upload.objects.get(client=world.sam)
    assert upload.received == path.stat().st_size
    assert upload.size > 2 * 500  # it really went in several chunks
    assert DailyFeature.objects.filter(client=world.sam, metric="steps").count() == 6
    page.reload()
    expect(page.locator(".wearables-chart").first).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="my body data with charts and imports")
    assert not errors
