"""Web upload of wearable files up to 2 GB: chunked, resumable, then imported by a background task.

A small protocol of our own, not tus: the maintained Django tus servers need Django REST framework (this
project uses django-ninja) and the others (django-tus, django-chunked-upload, django-resumable) have had no
release since 2017-2020. Ours is three requests, all same-origin with the session and CSRF token:

1. ``POST /wearables/uploads/`` with ``name``, ``size`` and ``source`` starts an upload and returns its id;
2. ``PUT /wearables/uploads/<id>/`` with ``Upload-Offset: N`` and up to :data:`CHUNK_BYTES` bytes appends them
   when N is exactly what the server holds (otherwise 409 with the right offset, so a client resumes from there);
   the last chunk queues the import;
3. ``GET /wearables/uploads/<id>/`` reports ``received``, ``parsed`` (bytes read by the importer), the status and,
   at the end, the result or the refusal, which the page polls for live progress.

The import runs in :func:`import_upload` (``django.tasks``). It changes the database in one transaction at the
end (see importing), so a worker that dies mid-import leaves nothing partial; the upload stays ``parsing`` and
the client may retry it (the bytes are kept until an import ends).

Limits, so unfinished uploads do not pile up on disk: a client has at most :data:`MAX_OPEN` unfinished uploads
(receiving, waiting or being read) at a time, and :func:`uploads_expire` (a periodic task, see tasks) deletes the
bytes and the row of any unfinished upload not touched for :data:`EXPIRE_AFTER`. An import that reports no progress
for :data:`STALL_AFTER` is *stalled*: the page offers to retry or discard it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.services import service, unaudited
from alongside.wearables.inputs import max_bytes, progress
from alongside.wearables.models import SourceName, Upload, UploadStatus, WearablesAuditAction
from alongside.wearables.samples import BadInput

CHUNK_BYTES = 8 * 1024**2
MAX_OPEN = 3  # unfinished uploads per client
OPEN = (UploadStatus.RECEIVING, UploadStatus.QUEUED, UploadStatus.PARSING)
# The importer writes its progress at every percent of the file (a few seconds apart even for 2 GB); after the
# last percent it computes features, a minute or two at most. Ten minutes without a write is a dead worker.
STALL_AFTER = dt.timedelta(minutes=10)
EXPIRE_AFTER = dt.timedelta(hours=24)


def upload_dir() -> Path:
    """Return the folder holding the bytes of uploads in progress."""
    return Path(getattr(settings, "WEARABLES_UPLOAD_DIR", Path(settings.VAR_DIR) / "wearables-uploads"))


def part_path(upload: Upload) -> Path:
    return upload_dir() / f"{upload.id}.part"


class UploadRefused(Exception):
    """A request the upload cannot take; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


MINUTE_ZONES = ("", "utc", "profile")  # Fitbit's per-minute times: the default rule, UTC, or the profile's zone


@service
def upload_start(
    *, actor: Actor, client: ClientProfile, name: str, size: int, source: str, minute_zone: str = ""
) -> Upload:
    """Start an upload of ``size`` bytes; refuse an empty file, one over the limit, or an unknown source.

    ``minute_zone`` (Fitbit only, ignored for other sources) is how the archive's per-minute times are read:
    ``"utc"``, ``"profile"`` (the zone in the archive's ``Profile.csv``), or empty for the default rule.
    """
    if source not in SourceName.values:
        raise UploadRefused(_("%(name)s: unknown source.") % {"name": name})
    if minute_zone not in MINUTE_ZONES:
        raise UploadRefused(_("%(name)s: unknown reading of Fitbit's per-minute times.") % {"name": name})
    minute_zone = minute_zone if source == SourceName.FITBIT else ""
    if size <= 0:
        raise UploadRefused(_("%(name)s: the file is empty (0 bytes).") % {"name": name})
    if size > max_bytes():
        limit = {"name": name, "size": size, "limit": max_bytes()}
        raise UploadRefused(_("%(name)s: the file is %(size)d bytes, over the limit of %(limit)d bytes.") % limit, 413)
    # The client's row is locked so two starts at once cannot both pass the count.
    list(ClientProfile.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))
    if Upload.objects.filter(client=client, status__in=OPEN).count() >= MAX_OPEN:
        message = _(
            "You already have %(count)d unfinished uploads. Finish or discard one of them before starting another."
        )
        raise UploadRefused(message % {"count": MAX_OPEN}, 409)
    upload = Upload.objects.create(
        client=client, name=Path(name).name[:200] or "upload", size=size, source=source, minute_zone=minute_zone
    )
    detail: dict[str, Any] = {"size": size, **({"minute_zone": minute_zone} if minute_zone else {})}
    record(WearablesAuditAction.UPLOAD_STARTED, actor=actor, obj=upload, client_id=client.pk, detail=detail)
    return upload


@unaudited("progress bookkeeping of an upload audited at its start; the import audits itself")
def upload_chunk(*, upload: Upload, offset: int, data: bytes) -> Upload:
    """Append one chunk at ``offset``; the last one queues the import. A wrong offset is refused with 409."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.status != UploadStatus.RECEIVING:
        raise UploadRefused(_("This upload is complete."), 409)
    if offset != locked.received:
        raise UploadRefused(_("Expected offset %(offset)d.") % {"offset": locked.received}, 409)
    if len(data) > CHUNK_BYTES or locked.received + len(data) > locked.size:
        raise UploadRefused(_("The chunk is too large."), 413)
    path = part_path(locked)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as out:
        out.truncate(offset)  # bytes past the offset are from a chunk whose answer was lost: drop them
        out.write(data)
    locked.received += len(data)
    if locked.received == locked.size:
        locked.status = UploadStatus.QUEUED
        upload_id = str(locked.pk)
        transaction.on_commit(lambda: import_upload.enqueue(upload_id))
    locked.save(update_fields=["received", "status", "updated_at"])
    return locked


@unaudited("re-queues an upload audited at its start; the import audits itself")
def upload_retry(*, upload: Upload) -> Upload:
    """Queue the import of a complete upload again (after a worker died while reading it)."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.status not in (UploadStatus.PARSING, UploadStatus.QUEUED) or not part_path(locked).exists():
        raise UploadRefused(_("This upload cannot be retried."), 409)
    locked.status, locked.parsed = UploadStatus.QUEUED, 0
    locked.save(update_fields=["status", "parsed", "updated_at"])
    upload_id = str(locked.pk)
    transaction.on_commit(lambda: import_upload.enqueue(upload_id))
    return locked


@unaudited("stores the bytes of an upload audited at its start; the import audits itself")
def upload_hold(*, upload: Upload, chunks: Iterable[bytes]) -> Upload:
    """Store a whole file sent in one form post and hold it, unqueued, until :func:`upload_queue` (CSV preview)."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    path = part_path(locked)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("wb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > locked.size:
                raise UploadRefused(_("The chunk is too large."), 413)
            out.write(chunk)
    locked.received = written
    locked.save(update_fields=["received", "updated_at"])
    return locked


def upload_held(upload: Upload) -> bool:
    """Whether the upload is a whole file waiting for its CSV column mapping."""
    return upload.status == UploadStatus.RECEIVING and upload.received == upload.size and part_path(upload).exists()


@unaudited("queues an upload audited at its start; the import audits itself")
def upload_queue(*, upload: Upload) -> Upload:
    """Queue the import of a held upload once its column mapping is saved."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if not upload_held(locked):
        raise UploadRefused(_("This upload cannot be imported now."), 409)
    locked.status = UploadStatus.QUEUED
    locked.save(update_fields=["status", "updated_at"])
    upload_id = str(locked.pk)
    transaction.on_commit(lambda: import_upload.enqueue(upload_id))
    return locked


def _report(upload_id: uuid.UUID, size: int) -> Any:
    """Store the importer's progress as the share of the upload's ``size`` it has read.

    The importer counts in its own units (an Apple zip's unpacked bytes out of the unpacked size, a Fitbit
    archive's compressed bytes): scaled to the upload's size, ``parsed / size`` is the share on the page.
    """
    shown = [-1]

    def report(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent != shown[0]:  # at most a hundred small writes per import
            shown[0] = percent
            parsed = min(size, size * done // max(total, 1))
            Upload.objects.filter(pk=upload_id).update(parsed=parsed, updated_at=timezone.now())

    return report


@task
def import_upload(upload_id: str) -> str:
    """Import a complete upload for its client; record the result or the refusal, then drop the bytes."""
    from alongside.wearables.importing import import_file

    claimed = Upload.objects.filter(pk=upload_id, status=UploadStatus.QUEUED).update(status=UploadStatus.PARSING)
    if not claimed:
        return "skipped"
    upload = Upload.objects.select_related("client").get(pk=upload_id)
    path = part_path(upload)
    token = progress.set(_report(upload.pk, upload.size))
    try:
        result = import_file(
            actor=upload.client.user,
            client=upload.client,
            path=path,
            source=upload.source,
            minute_zone=upload.minute_zone or None,
        )
    except BadInput as error:
        message = str(error).replace(path.name, upload.name)
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.FAILED, message=f"{message} Nothing was imported."
        )
        path.unlink(missing_ok=True)
        return "failed"
    finally:
        progress.reset(token)
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.DONE, parsed=upload.size, result=result.as_dict())
    path.unlink(missing_ok=True)
    return "done"


def stalled(upload: Upload, now: dt.datetime | None = None) -> bool:
    """Whether the import waits or runs with no progress reported for :data:`STALL_AFTER` (a worker died)."""
    waiting = upload.status in (UploadStatus.QUEUED, UploadStatus.PARSING)
    return waiting and upload.updated_at < (now or timezone.now()) - STALL_AFTER


def describe(upload: Upload) -> dict[str, Any]:
    """What the page polls: how far the upload and the import went, and whether it may be retried."""
    stuck = stalled(upload)
    return {
        "stalled": stuck,
        "retry": stuck and part_path(upload).exists(),
        "id": str(upload.pk),
        "name": upload.name,
        "size": upload.size,
        "received": upload.received,
        "parsed": upload.parsed,
        "status": upload.status,
        "status_label": str(UploadStatus(upload.status).label),
        "message": upload.message,
        "result": upload.result,
        "chunk_bytes": CHUNK_BYTES,
    }


@service
def upload_discard(*, actor: Actor, upload: Upload) -> None:
    """Delete an unfinished upload and its bytes: one still receiving, or a stalled import; refuse others (409)."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.status != UploadStatus.RECEIVING and not stalled(locked):
        raise UploadRefused(_("This upload cannot be discarded now."), 409)
    path = part_path(locked)
    detail = {"upload": str(locked.pk), "reason": "discarded"}
    record(WearablesAuditAction.DELETED, actor=actor, obj=None, client_id=locked.client_id, detail=detail)
    locked.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


@service
def uploads_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the bytes and rows of unfinished uploads not touched for :data:`EXPIRE_AFTER`, and part files with
    no upload left that are as old; audit one event per client. Return how many uploads went."""
    before = (now or timezone.now()) - EXPIRE_AFTER
    old = list(Upload.objects.select_for_update().filter(status__in=OPEN, updated_at__lt=before))
    by_client: dict[uuid.UUID, list[str]] = {}
    for upload in old:
        by_client.setdefault(upload.client_id, []).append(str(upload.pk))
    for client_id, ids in by_client.items():
        detail = {"uploads": ids, "reason": "expired"}
        record(WearablesAuditAction.DELETED, actor=None, obj=None, client_id=client_id, detail=detail)
    Upload.objects.filter(pk__in=[upload.pk for upload in old]).delete()
    paths = [part_path(upload) for upload in old]
    transaction.on_commit(lambda: _remove(paths, before))
    return len(old)


def _remove(paths: list[Path], before: dt.datetime) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    # A part file whose row is gone (a crash between the two) is swept once it is as old.
    if not upload_dir().is_dir():
        return
    old_parts = {}
    for path in upload_dir().glob("*.part"):
        with contextlib.suppress(OSError, ValueError):
            if path.stat().st_mtime < before.timestamp():
                old_parts[uuid.UUID(path.stem)] = path
    kept = set(Upload.objects.filter(pk__in=list(old_parts), status__in=OPEN).values_list("id", flat=True))
    for pk, path in old_parts.items():
        if pk not in kept:
            with contextlib.suppress(OSError):
                path.unlink()


def delete_parts(*, client_id: uuid.UUID) -> None:
    """Remove the bytes of the client's unfinished uploads (erasure and delete-all)."""
    for upload_id in Upload.objects.filter(client_id=client_id).values_list("id", flat=True):
        with contextlib.suppress(OSError):
            (upload_dir() / f"{upload_id}.part").unlink(missing_ok=True)
