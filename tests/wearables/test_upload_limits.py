"""Unfinished uploads: three at a time per client, stalled imports retried or discarded, expired after a day."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.wearables import tasks, uploads
from alongside.wearables.models import Upload, UploadStatus


@pytest.fixture
def sam(world, client, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    settings.WEARABLES_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.sam.user)
    return world


def start(client, name: str = "export.xml", size: int = 1000):
    return client.post(reverse("wearables:upload_create"), {"name": name, "size": size, "source": "apple"})


def unfinished(world, status: str = UploadStatus.RECEIVING, *, age: dt.timedelta = dt.timedelta(0), data=b"<x/>"):
    """An upload of Sam's with its bytes on disk, last touched ``age`` ago."""
    upload = Upload.objects.create(
        client=world.sam, name="old.xml", size=len(data), source="apple", received=len(data), status=status
    )
    path = uploads.part_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    Upload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - age)
    upload.refresh_from_db()
    return upload


def test_a_fourth_unfinished_upload_is_refused_with_a_clear_message(sam, client):
    """Three uploads still receiving are allowed; the fourth gets 409 saying why; a finished one frees a place."""
    ids = [start(client).json()["id"] for _ in range(3)]
    refused = start(client)
    assert refused.status_code == 409
    assert "You already have 3 unfinished uploads" in refused.json()["error"]
    assert Upload.objects.filter(client=sam.sam).count() == 3
    Upload.objects.filter(pk=ids[0]).update(status=UploadStatus.DONE)
    assert start(client).status_code == 201


def test_a_stalled_import_is_said_and_may_be_retried_or_discarded(sam, client, django_capture_on_commit_callbacks):
    """An import with no progress for ten minutes reads 'stalled' with a retry; a fresh one is neither."""
    fresh = unfinished(sam, UploadStatus.PARSING)
    state = client.get(reverse("wearables:upload", args=[fresh.pk])).json()
    assert (state["stalled"], state["retry"]) == (False, False)
    refused = client.post(reverse("wearables:upload_discard", args=[fresh.pk]), follow=True)
    assert "cannot be discarded now" in refused.content.decode()
    assert Upload.objects.filter(pk=fresh.pk).exists()

    stuck = unfinished(sam, UploadStatus.PARSING, age=uploads.STALL_AFTER + dt.timedelta(seconds=5))
    state = client.get(reverse("wearables:upload", args=[stuck.pk])).json()
    assert (state["stalled"], state["retry"]) == (True, True)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert f'data-retry="{stuck.pk}"' in body
    assert "Discard old.xml" in body
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("wearables:upload_discard", args=[stuck.pk]), follow=True)
    assert "old.xml was discarded." in done.content.decode()
    assert not Upload.objects.filter(pk=stuck.pk).exists()
    assert not uploads.part_path(stuck).exists()
    assert AuditEvent.objects.filter(action="wearables.deleted", detail__upload=str(stuck.pk)).exists()


def test_an_upload_still_receiving_is_listed_to_resume_or_discard(sam, client):
    """After a reload the page lists Sam's unfinished upload with how far it went, Resume and Discard."""
    upload = Upload.objects.create(client=sam.sam, name="big.zip", size=1000, source="apple", received=250)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "Unfinished uploads" in body
    assert "25% sent" in body
    assert f'<button type="button" data-resume="{upload.pk}">Resume big.zip</button>' in body
    assert f'action="{reverse("wearables:upload_discard", args=[upload.pk])}"' in body


def test_no_one_else_can_discard_an_upload(sam, client):
    """Another client's discard of Sam's upload is a 404, and the upload stays."""
    upload = unfinished(sam)
    client.force_login(sam.other_client.user)
    assert client.post(reverse("wearables:upload_discard", args=[upload.pk])).status_code == 404
    assert Upload.objects.filter(pk=upload.pk).exists()


def test_progress_touches_the_upload_so_a_running_import_is_not_stalled(sam):
    """Each percent the importer reports moves ``updated_at``, the clock of 'stalled' and of expiry."""
    upload = unfinished(sam, UploadStatus.PARSING, age=dt.timedelta(hours=2))
    uploads._report(upload.pk, upload.size)(50, 100)
    upload.refresh_from_db()
    assert timezone.now() - upload.updated_at < dt.timedelta(minutes=1)
    assert not uploads.stalled(upload)


def test_progress_is_the_share_of_the_upload_read_whatever_the_importer_counts_in(sam):
    """An Apple zip's importer counts unpacked bytes (here 10 times the zip): the page's share stays within 100%."""
    upload = unfinished(sam, UploadStatus.PARSING)
    report = uploads._report(upload.pk, upload.size)
    report(upload.size * 5, upload.size * 10)  # half the unpacked export read
    upload.refresh_from_db()
    assert upload.parsed == upload.size // 2
    report(upload.size * 10, upload.size * 10)
    upload.refresh_from_db()
    assert upload.parsed == upload.size


def test_unfinished_uploads_untouched_for_a_day_are_deleted_and_audited(sam, django_capture_on_commit_callbacks):
    """The hourly task deletes rows and bytes older than 24 hours, and stray part files as old; it audits per client."""
    old = unfinished(sam, age=dt.timedelta(hours=25))
    old_parsing = unfinished(sam, UploadStatus.PARSING, age=dt.timedelta(hours=30))
    recent = unfinished(sam, age=dt.timedelta(hours=23))
    finished = Upload.objects.create(client=sam.sam, name="done.xml", size=5, source="apple", status="done")
    Upload.objects.filter(pk=finished.pk).update(updated_at=timezone.now() - dt.timedelta(days=9))
    stray_old = uploads.upload_dir() / "0b5e7d3c-2f7d-4d2c-9a55-0c4f3a9f7d11.part"
    stray_new = uploads.upload_dir() / "1b5e7d3c-2f7d-4d2c-9a55-0c4f3a9f7d11.part"
    for stray in (stray_old, stray_new):
        stray.write_bytes(b"raw export")
    day_ago = (timezone.now() - dt.timedelta(hours=25)).timestamp()
    os.utime(stray_old, (day_ago, day_ago))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_uploads.call() == 2

    assert set(Upload.objects.values_list("pk", flat=True)) == {recent.pk, finished.pk}
    assert not uploads.part_path(old).exists()
    assert not uploads.part_path(old_parsing).exists()
    assert uploads.part_path(recent).exists()
    assert not stray_old.exists()
    assert stray_new.exists()
    event = AuditEvent.objects.get(action="wearables.deleted", client_id=sam.sam.pk)
    assert event.detail["reason"] == "expired"
    assert set(event.detail["uploads"]) == {str(old.pk), str(old_parsing.pk)}
    assert tasks.expire_uploads.call() == 0


def test_the_expiry_runs_on_the_workers_clock():
    """The task is registered with the worker's periodic sweep, hourly."""
    from alongside.notify.schedule import PERIODIC

    assert PERIODIC["wearables_uploads_expire"] == (tasks.expire_uploads, dt.timedelta(hours=1))


def test_the_unfinished_list_and_the_page_sentences_are_in_spanish(sam, client):
    """In Spanish the list, its buttons and the script's sentences (data attributes) are translated."""
    Upload.objects.create(client=sam.sam, name="big.zip", size=1000, source="apple", received=250)
    client.cookies["django_language"] = "es"
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "Subidas sin terminar" in body
    assert "Reanudar big.zip" in body
    assert "Descartar big.zip" in body
    assert "Una subida sin terminar se borra tras 24 horas sin actividad." in body
    assert "desde hace 10 minutos y parece haberse detenido" in body
    assert "Se perdió la conexión." in body
    for english in ("Unfinished uploads", "Resume big.zip", "The connection was lost", "seems to have stopped"):
        assert english not in body
