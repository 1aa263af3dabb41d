"""Import one file for one client: parse, drop what is already stored, seal the new samples, recompute features.

Parsing runs outside any transaction; the database changes in one short transaction at the end
(:func:`~alongside.wearables.services.wearables_import_record`). The sealed file is renamed into place
before that transaction and removed if it fails; a file without its import row (a crash in between) is
never read, since only files named by an import row are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import Q

from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.idempotency import replay_check
from alongside.wearables import arrow, chunked, storage
from alongside.wearables.features import DAY, daily_features
from alongside.wearables.models import CsvMapping, ImportJob
from alongside.wearables.samples import BadInput, Samples
from alongside.wearables.services import PUSH_SCOPE, wearables_import_record
from alongside.wearables.sources import Parsed, get_source
from alongside.wearables.spill import WINDOW, Spill


@dataclass(frozen=True)
class ImportResult:
    """What the command prints as its last line."""

    records: int
    samples_stored: int
    duplicates_dropped: int
    days: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def stored_samples(client: ClientProfile) -> pa.Table:
    """Every sample stored for the client, decrypted in memory."""
    jobs = list(ImportJob.objects.filter(client=client).order_by("created_at").values_list("id", flat=True))
    return storage.read(client_id=client.pk, job_ids=jobs)


def _parse(path: Path, source: str, client: ClientProfile, spill: Spill, minute_zone: str | None) -> Parsed:
    """Parse ``path``, handing the samples to ``spill`` as they are read."""
    try:
        if source == "csv":  # the one source that needs the client's saved column mapping
            from alongside.wearables.sources.csv import parser

            saved = CsvMapping.objects.filter(client=client).first()
            mapping = parser.ColumnMapping.model_validate(saved.mapping) if saved else None
            return parser.parse(path, mapping, spill)
        if source == "apple":
            from alongside.wearables.sources.apple_health import parser as apple

            return apple.parse(path, spill)
        if source == "fitbit":
            from alongside.wearables.sources.fitbit import parser as fitbit

            return fitbit.parse(path, spill, minute_zone=minute_zone or fitbit.MINUTE_ZONE)
        if source == "omh":
            from alongside.wearables.sources.omh import parser as omh

            return omh.parse(path, spill)
        if source == "fit":
            from alongside.wearables.sources.fit import parser as fit

            return fit.parse(path, spill)
        return get_source(source).parse(path)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise BadInput(path.name, f"the archive is damaged ({error}).") from None


def import_file(
    *, actor: Actor, client: ClientProfile, path: Path, source: str = "apple", minute_zone: str | None = None
) -> ImportResult:
    """Import ``path`` for ``client``; the same file twice changes nothing. Raise :class:`BadInput` on bad files.

    ``minute_zone`` is the Fitbit reading of per-minute times (``"utc"`` or ``"profile"``; ``None`` is the
    default rule, see the Fitbit source).

    The samples are set aside per window of time as they are parsed, then de-duplicated, sealed and turned
    into features a window at a time (:mod:`~alongside.wearables.chunked`), so memory does not grow with
    the file.
    """
    began = time.perf_counter()
    storage.system_allocator()
    digest = file_sha256(path) if path.is_file() else ""
    previous = _previous(client, digest, began)
    if previous is not None:
        return previous
    job_id = uuid.uuid4()
    spill = Spill(storage.root() / f".spill-{job_id}")  # its key lives only in this process
    try:
        parsed = _parse(path, source, client, spill, minute_zone)
        spill.take(parsed.samples)
        return store_spilled(
            actor=actor,
            client=client,
            spill=spill,
            parsed=parsed,
            digest=digest,
            source=source,
            job_id=job_id,
            began=began,
        )
    finally:
        spill.close()


def stored_reader(client: ClientProfile, low: int, high: int) -> chunked.StoredReader:
    """Read the client's stored samples a range at a time, from the imports whose starts reach ``low``-``high``.

    Each import's file is decrypted once and kept (compressed) while the import runs.
    """
    jobs = list(
        ImportJob.objects.filter(client=client, samples_stored__gt=0)
        .filter(Q(first_start__isnull=True) | Q(first_start__lte=high, last_start__gte=low))
        .order_by("created_at")
        .values_list("id", flat=True)
    )
    opened = [storage.opened(client_id=client.pk, job_id=job) for job in jobs]

    def read(start: int, end: int) -> list[pa.Table]:
        return [arrow.empty(storage.SCHEMA) if p is None else storage.from_plain(p, (start, end)) for p in opened]

    return read


def store_spilled(
    *,
    actor: Actor,
    client: ClientProfile,
    spill: Spill,
    parsed: Parsed,
    digest: str,
    source: str,
    job_id: uuid.UUID,
    began: float,
) -> ImportResult:
    """Keep the spilled samples not already stored, seal them, record the import and recompute the features."""
    windows = spill.windows()
    reach = (chunked.GROUP + 2) * WINDOW + (MARGIN_DAYS + AFTER_DAYS) * DAY  # more than any window reads
    low, high = (windows[0] * WINDOW - reach, (windows[-1] + 1) * WINDOW + reach) if windows else (0, 0)
    writer = storage.SealedWriter(client_id=client.pk, job_id=job_id)
    try:
        outcome = chunked.run(spill=spill, like=parsed.samples, stored=stored_reader(client, low, high), writer=writer)
        written = writer.close()
    except BaseException:
        writer.abort()
        raise
    try:
        wearables_import_record(
            actor=actor,
            client=client,
            job_id=job_id,
            source=source,
            file_sha256=digest,
            records=parsed.records,
            samples_stored=outcome.stored,
            duplicates_dropped=outcome.incoming - outcome.stored,
            features=outcome.features,
            span=outcome.span,
            starts=outcome.starts,
        )
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    dropped = outcome.incoming - outcome.stored
    return ImportResult(parsed.records, outcome.stored, dropped, outcome.days, round(time.perf_counter() - began, 3))


def import_points(
    *, actor: Actor, client: ClientProfile, points: list[Any], idempotency_key: str | None = None
) -> ImportResult:
    """Import a pushed batch of Open mHealth data points; the same batch again changes nothing.

    A batch is recognised by the samples it holds (their fingerprint), not by its JSON text, so the same
    points with keys in another order or other spacing are the same batch. With an idempotency key, the
    same key with a batch of other samples raises ``IdempotencyConflict``.
    """
    from alongside.wearables.sources.omh.parser import parse_points

    began = time.perf_counter()
    parsed = parse_points(points, "the pushed batch", source="Companion app")
    digest = samples_sha256(parsed.samples)
    fingerprint = {"samples_sha256": digest}
    if idempotency_key:
        replay_check(user_id=client.pk, scope=PUSH_SCOPE, key=idempotency_key, payload=fingerprint)
    previous = _previous(client, digest, began)
    if previous is not None:
        return previous
    key = (idempotency_key, fingerprint) if idempotency_key else None
    return store(actor=actor, client=client, parsed=parsed, digest=digest, source="omh", began=began, key=key)


def samples_sha256(samples: Samples) -> str:
    """Return the SHA-256 of the samples' arrays and source names (far cheaper than the batch's JSON, sorted)."""
    digest = hashlib.sha256(b"alongside-wearables-samples-1")
    for column in (samples.kind, samples.start, samples.end, samples.offset, samples.value, samples.source):
        digest.update(len(column).to_bytes(8, "little"))
        digest.update(column.tobytes())
    digest.update(json.dumps(sorted(samples.sources.items())).encode())
    return digest.hexdigest()


def _previous(client: ClientProfile, digest: str, began: float) -> ImportResult | None:
    previous = ImportJob.objects.filter(client=client, file_sha256=digest).first() if digest else None
    if previous is None:
        return None
    dropped = previous.samples_stored + previous.duplicates_dropped
    return ImportResult(previous.records, 0, dropped, 0, round(time.perf_counter() - began, 3))


# How far around a batch's own days the samples are read, and which days' features a new sample can change.
# A sample counts for its local day, or (sleep) for the night of 6 hours later; a sleep sample lasts at most
# two days, so it reaches the minute-by-minute patterns of up to 3 nights after its own; and a day's sleep
# regularity index compares the patterns of the 7 days ending on it. So the features of the days ``lo`` to
# ``hi + AFTER_DAYS`` are recomputed, from every sample that starts between ``lo - MARGIN_DAYS`` and
# ``hi + MARGIN_DAYS`` (a day's samples start within 14 hours of it, at any UTC offset).
AFTER_DAYS = chunked.AFTER_DAYS
MARGIN_DAYS = chunked.MARGIN_DAYS
_EPOCH = dt.date(1970, 1, 1)


def _span(table: pa.Table) -> tuple[int, int]:
    """Return the first and last local epoch day (or night, for sleep) of the samples in ``table``."""
    local = pc.add(table.column("start"), pc.multiply(table.column("offset").cast(pa.int64()), 60))
    bounds = pc.min_max(local).as_py()
    return int(bounds["min"]) // DAY, (int(bounds["max"]) + 6 * 3600) // DAY


def _stored_around(client: ClientProfile, low: int, high: int) -> pa.Table:
    """The client's stored samples that start between the UTC seconds ``low`` and ``high``, in import order."""
    overlapping = (
        ImportJob.objects.filter(client=client, samples_stored__gt=0)
        .filter(Q(first_start__isnull=True) | Q(first_start__lte=high, last_start__gte=low))
        .order_by("created_at")
        .values_list("id", flat=True)
    )
    return storage.read(client_id=client.pk, job_ids=list(overlapping), between=(low, high))


def store(
    *,
    actor: Actor,
    client: ClientProfile,
    parsed: Parsed,
    digest: str,
    source: str,
    began: float,
    key: tuple[str, dict[str, Any]] | None = None,
) -> ImportResult:
    """Keep the parsed samples not already stored, seal them, record the import and recompute the features.

    Only the stored samples around the new ones are read, and only the days the new samples can change are
    recomputed (see :data:`AFTER_DAYS`), so the cost follows the batch, not the client's whole history.
    """
    incoming = storage.to_table(parsed.samples)
    features: dict[dt.date, dict[str, float]] = {}
    span: tuple[dt.date, dt.date] | None = None
    starts: tuple[int, int] | None = None
    stored = storage.SCHEMA.empty_table()
    if incoming.num_rows:
        lo, hi = _span(incoming)
        stored = _stored_around(client, (lo - MARGIN_DAYS) * DAY, (hi + MARGIN_DAYS) * DAY)
        new = storage.new_only(incoming, stored)
    else:
        new = incoming
    if new.num_rows:
        lo, hi = _span(new)
        first, last = _EPOCH + dt.timedelta(days=lo), _EPOCH + dt.timedelta(days=hi + AFTER_DAYS)
        everything = daily_features(pa.concat_tables([stored, new]))
        features = {day: values for day, values in everything.items() if first <= day <= last}
        span = (first, last)
        bounds = pc.min_max(new.column("start")).as_py()
        starts = (int(bounds["min"]), int(bounds["max"]))
    job_id = uuid.uuid4()
    written = storage.write(client_id=client.pk, job_id=job_id, table=new) if new.num_rows else None
    try:
        wearables_import_record(
            actor=actor,
            client=client,
            job_id=job_id,
            source=source,
            file_sha256=digest,
            records=parsed.records,
            samples_stored=new.num_rows,
            duplicates_dropped=incoming.num_rows - new.num_rows,
            features=features,
            span=span,
            starts=starts,
            idempotency=key,
        )
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    dropped = incoming.num_rows - new.num_rows
    return ImportResult(
        parsed.records, new.num_rows, dropped, len(_days_of(new)), round(time.perf_counter() - began, 3)
    )


def _days_of(table: pa.Table) -> set[int]:
    starts, offsets = table.column("start").to_pylist(), table.column("offset").to_pylist()
    return {(s + o * 60) // 86_400 for s, o in zip(starts, offsets, strict=True)}
