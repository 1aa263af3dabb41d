"""In a real browser: after a reload Sam resumes an interrupted upload, and a stalled import is said and retried."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import expect

from alongside.wearables import uploads
from alongside.wearables.models import DailyFeature, Upload, UploadStatus
from tests.a11y import assert_no_serious_axe_violations
from tests.wearables import exports

START = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def sams_page(live_server, page, world, client, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "WEARABLES_DIR", tmp_path / "store", raising=False)
    monkeypatch.setattr(settings, "WEARABLES_UPLOAD_DIR", tmp_path / "uploads", raising=False)
    monkeypatch.setattr(uploads, "CHUNK_BYTES", 500)
    client.force_login(world.sam.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # a test that cuts the network off expects its failed requests there
    yield page
    assert not errors


def export(tmp_path):
    records = [
        exports.record("StepCount", START + dt.timedelta(days=d), START + dt.timedelta(days=d, minutes=9), 300 + d)
        for d in range(6)
    ]
    return exports.write_xml(tmp_path / "export.xml", *records)


def held(world, data: bytes, *, received: int, status: str) -> Upload:
    """An upload of Sam's that got ``received`` bytes of ``data`` before the page went away."""
    upload = Upload.objects.create(
        client=world.sam, name="export.xml", size=len(data), source="apple", received=received, status=status
    )
    uploads.upload_dir().mkdir(parents=True, exist_ok=True)
    uploads.part_path(upload).write_bytes(data[:received])
    return upload


@pytest.mark.browser
def test_an_interrupted_upload_resumes_after_a_reload_with_the_same_file(sams_page, live_server, world, tmp_path):
    """The page lists the upload; Resume asks for the file, refuses another one, then sends the rest and imports."""
    page = sams_page
    path = export(tmp_path)
    data = path.read_bytes()
    upload = held(world, data, received=500, status=UploadStatus.RECEIVING)
    other = tmp_path / "other.xml"
    other.write_bytes(data[:-1])
    page.goto(live_server.url + "/wearables/")
    assert_no_serious_axe_violations(page, context_label="my body data with an unfinished upload")
    status = page.get_by_role("status")
    resume = page.get_by_role("button", name="Resume export.xml")
    resume.focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Choose the same file")
    expect(page.locator("#upload-file")).to_be_focused()
    page.set_input_files("#upload-file", str(other))
    resume.click()
    expect(status).to_contain_text("not the file this upload started with")
    page.set_input_files("#upload-file", str(path))
    resume.click()
    expect(status).to_contain_text("Imported", timeout=30_000)
    upload.refresh_from_db()
    assert upload.received == len(data)
    assert DailyFeature.objects.filter(client=world.sam, metric="steps").count() == 6


@pytest.mark.browser
def test_a_stalled_import_is_said_and_retried_from_the_page(sams_page, live_server, world, tmp_path, monkeypatch):
    """An import left waiting is followed after a reload; with no progress the page says so and Retry imports it."""
    monkeypatch.setattr(uploads, "STALL_AFTER", dt.timedelta(seconds=2))
    page = sams_page
    data = export(tmp_path).read_bytes()
    held(world, data, received=len(data), status=UploadStatus.QUEUED)  # its worker never came
    page.goto(live_server.url + "/wearables/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("seems to have stopped", timeout=15_000)
    retry = page.get_by_role("button", name="Retry the import")
    expect(retry).to_be_visible()
    expect(page.get_by_role("button", name="Discard the upload")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="my body data with a stalled import")
    retry.click()
    expect(status).to_contain_text("Imported", timeout=30_000)
    expect(retry).to_be_hidden()
    assert DailyFeature.objects.filter(client=world.sam, metric="steps").count() == 6


@pytest.mark.browser
def test_following_stops_with_a_message_when_the_server_cannot_be_reached(sams_page, live_server, world, tmp_path):
    """The page follows an import after a reload; when its polls keep failing it stops and says to reload."""
    page = sams_page
    data = export(tmp_path).read_bytes()
    upload = held(world, data, received=len(data), status=UploadStatus.QUEUED)
    page.route(f"**/wearables/uploads/{upload.pk}/", lambda route: route.abort())
    page.goto(live_server.url + "/wearables/")
    expect(page.get_by_role("status")).to_contain_text("lost contact with the server", timeout=40_000)
    expect(page.get_by_role("button", name="Retry the import")).to_be_hidden()
    assert page.console_errors
    assert all("net::ERR_FAILED" in error for error in page.console_errors)
    page.console_errors.clear()
