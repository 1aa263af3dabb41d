"""Web upload: chunked and resumable, imported by a background task; a crash leaves nothing and can be retried."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alongside.wearables import storage, uploads
from alongside.wearables.models import DailyFeature, ImportJob, Upload, UploadStatus
from tests.wearables import exports

START = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def sam(world, client, settings, tmp_path, monkeypatch):
    settings.WEARABLES_DIR = tmp_path / "store"
    settings.WEARABLES_UPLOAD_DIR = tmp_path / "uploads"
    monkeypatch.setattr(uploads, "CHUNK_BYTES", 300)
    client.force_login(world.sam.user)
    return world


def export_bytes(tmp_path) -> bytes:
    records = [
        exports.record("StepCount", START + dt.timedelta(days=d), START + dt.timedelta(days=d, minutes=9), 100 + d)
        for d in range(5)
    ]
    return exports.write_xml(tmp_path / "export.xml", *records).read_bytes()


def start(client, data: bytes, name: str = "export.xml", source: str = "apple"):
    return client.post(reverse("wearables:upload_create"), {"name": name, "size": len(data), "source": source})


def put(client, upload_id: str, offset: int, chunk: bytes):
    url = reverse("wearables:upload", args=[upload_id])
    return client.put(url, chunk, content_type="application/octet-stream", headers={"Upload-Offset": str(offset)})


def send_all(client, upload_id: str, data: bytes, *, size: int = 300) -> dict:
    state = {}
    for offset in range(0, len(data), size):
        state = put(client, upload_id, offset, data[offset : offset + size]).json()
    return state


def test_a_file_sent_in_chunks_is_imported_in_the_background(sam, client, tmp_path, django_capture_on_commit_callbacks):
    """Chunks of 300 bytes build the file; the last queues the import; the page then reads 'done' with counts."""
    data = export_bytes(tmp_path)
    created = start(client, data)
    assert created.status_code == 201
    upload_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        send_all(client, upload_id, data)
    state = client.get(reverse("wearables:upload", args=[upload_id])).json()
    assert state["status"] == "done"
    assert state["received"] == len(data)
    assert state["result"]["samples_stored"] == 5
    assert DailyFeature.objects.filter(client=sam.sam, metric="steps").count() == 5
    assert not list((tmp_path / "uploads").glob("*.part"))


def test_an_interrupted_upload_resumes_from_what_the_server_holds(sam, client, tmp_path):
    """A chunk at the wrong offset gets 409 and the offset to resume from; resending from there completes it."""
    data = export_bytes(tmp_path)
    upload_id = start(client, data).json()["id"]
    put(client, upload_id, 0, data[:300])
    refused = put(client, upload_id, 600, data[600:900])
    assert refused.status_code == 409
    assert refused.json()["received"] == 300
    assert client.get(reverse("wearables:upload", args=[upload_id])).json()["received"] == 300
    for offset in range(300, len(data), 300):
        state = put(client, upload_id, offset, data[offset : offset + 300]).json()
    assert state["received"] == len(data)
    assert state["status"] in {"queued", "done"}


def test_a_crash_mid_import_leaves_nothing_and_can_be_retried(sam, client, tmp_path, monkeypatch):
    """A worker that dies while recording leaves no import, feature or sealed file; a retry then imports it."""
    from alongside.wearables import importing

    data = export_bytes(tmp_path)
    upload_id = start(client, data).json()["id"]
    send_all(client, upload_id, data)  # no on-commit run here: the import waits in the queue

    def crash(**kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(importing, "wearables_import_record", crash)
    with pytest.raises(RuntimeError):
        uploads.import_upload.call(upload_id)
    assert Upload.objects.get(pk=upload_id).status == UploadStatus.PARSING
    assert not ImportJob.objects.exists()
    assert not DailyFeature.objects.exists()
    assert not list(storage.client_dir(sam.sam.pk).glob("*.sealed"))
    monkeypatch.undo()
    retried = client.post(reverse("wearables:upload", args=[upload_id]))
    assert retried.json()["status"] == "queued"
    assert uploads.import_upload.call(upload_id) == "done"
    assert ImportJob.objects.count() == 1


def test_a_bad_file_is_refused_naming_it_and_nothing_is_stored(sam, client, tmp_path):
    """An uploaded file with an impossible heart rate fails with its own name and line; nothing is kept."""
    bad = exports.record("HeartRate", START, START, 900)
    data = exports.write_xml(tmp_path / "x.xml", bad).read_bytes()
    upload_id = start(client, data, name="my-export.xml").json()["id"]
    send_all(client, upload_id, data)
    assert uploads.import_upload.call(upload_id) == "failed"
    upload = Upload.objects.get(pk=upload_id)
    assert upload.status == UploadStatus.FAILED
    assert "my-export.xml" in upload.message
    assert "line" in upload.message
    assert not ImportJob.objects.exists()
    assert not list((tmp_path / "uploads").glob("*.part"))


def test_limits_and_other_peoples_uploads(sam, client, tmp_path, settings):
    """Empty and over-size files are refused at the start; another client cannot read or add to Sam's upload."""
    settings.WEARABLES_MAX_BYTES = 1000
    assert start(client, b"").status_code == 400
    assert start(client, b"x" * 1001).status_code == 413
    upload_id = start(client, b"x" * 10).json()["id"]
    client.force_login(sam.other_client.user)
    assert client.get(reverse("wearables:upload", args=[upload_id])).status_code == 404
    assert put(client, upload_id, 0, b"x" * 10).status_code == 404
