"""Writes of the wearables app: record a finished import with its features, delete sensor data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.idempotency import remember
from alongside.core.services import service
from alongside.wearables.models import CsvMapping, DailyFeature, ImportJob, WearablesAuditAction

PUSH_SCOPE = "wearables.push"


def _check_may_write(actor: Actor, client: ClientProfile) -> None:
    # ``None`` is the operator at the command line, who already holds the database.
    if actor is not None and not decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("You cannot change this client's wearable data."))


def _replace_features(
    client: ClientProfile, features: dict[dt.date, dict[str, tuple[float, float | None, float | None]]]
) -> int:
    DailyFeature.objects.filter(client=client).delete()
    rows = [
        DailyFeature(client=client, day=day, metric=metric, value=value, baseline_median=median, baseline_mad=mad)
        for day, metrics in features.items()
        for metric, (value, median, mad) in metrics.items()
    ]
    DailyFeature.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _replace_span(client: ClientProfile, values: dict[dt.date, dict[str, float]], first: dt.date, last: dt.date) -> int:
    """Replace the features of the days ``first`` to ``last`` and refresh the baselines those days feed.

    A day's baseline is taken over the 28 days before it, so the baselines of the 28 days after ``last`` are
    recomputed too; every other row stays as it is. ``values`` holds only days within the span.
    """
    from alongside.wearables import baselines

    window = dt.timedelta(days=baselines.WINDOW_DAYS)
    DailyFeature.objects.filter(client=client, day__gte=first, day__lte=last).delete()
    around = list(DailyFeature.objects.filter(client=client, day__gte=first - window, day__lte=last + window))
    series: dict[str, dict[dt.date, float]] = {}
    for feature in around:
        series.setdefault(feature.metric, {})[feature.day] = feature.value
    for day, metrics in values.items():
        for metric, value in metrics.items():
            series.setdefault(metric, {})[day] = value
    rows = []
    for day, metrics in values.items():
        for metric, value in metrics.items():
            median, mad = baselines.baseline(series[metric], day) or (None, None)
            rows.append(
                DailyFeature(
                    client=client, day=day, metric=metric, value=value, baseline_median=median, baseline_mad=mad
                )
            )
    changed = []
    for feature in around:
        if feature.day > last:
            median, mad = baselines.baseline(series[feature.metric], feature.day) or (None, None)
            if (median, mad) != (feature.baseline_median, feature.baseline_mad):
                feature.baseline_median, feature.baseline_mad = median, mad
                changed.append(feature)
    DailyFeature.objects.bulk_create(rows, batch_size=2000)
    DailyFeature.objects.bulk_update(changed, ["baseline_median", "baseline_mad"], batch_size=500)
    return len(rows)


@service
def wearables_import_record(
    *,
    actor: Actor,
    client: ClientProfile,
    job_id: uuid.UUID,
    source: str,
    file_sha256: str,
    records: int,
    samples_stored: int,
    duplicates_dropped: int,
    features: dict[dt.date, dict[str, float]],
    span: tuple[dt.date, dt.date] | None,
    starts: tuple[int, int] | None = None,
    idempotency: tuple[str, dict[str, Any]] | None = None,
) -> ImportJob:
    """Record an import whose sample file is already sealed in place, and replace the features of its days.

    ``features`` are the recomputed values of the local days in ``span`` (first, last), the days the new
    samples can change; their baselines and those of the 28 days after are refreshed, and no other day is
    touched. ``span`` is None when nothing new was stored. ``starts`` is the first and last sample start of
    the file. ``idempotency`` is a pushed batch's (key, body), remembered in the same transaction.
    """
    _check_may_write(actor, client)
    if idempotency is not None:
        remember(user_id=client.pk, scope=PUSH_SCOPE, key=idempotency[0], payload=idempotency[1])
    job = ImportJob.objects.create(
        id=job_id,
        client=client,
        source=source,
        file_sha256=file_sha256,
        records=records,
        samples_stored=samples_stored,
        duplicates_dropped=duplicates_dropped,
        first_start=starts[0] if starts else None,
        last_start=starts[1] if starts else None,
    )
    count = _replace_span(client, features, *span) if span is not None else 0
    record(
        WearablesAuditAction.IMPORTED,
        actor=actor,
        obj=job,
        client_id=client.pk,
        detail={"source": source, "samples": samples_stored, "features": count},
    )
    return job


@service
def wearables_delete_all(*, actor: Actor, client: ClientProfile) -> int:
    """Delete every import, sample file and feature of the client; the files go once this commits."""
    _check_may_write(actor, client)
    jobs = list(ImportJob.objects.filter(client=client).values_list("id", flat=True))
    DailyFeature.objects.filter(client=client).delete()
    ImportJob.objects.filter(client=client).delete()
    record(WearablesAuditAction.DELETED, actor=actor, obj=None, client_id=client.pk, detail={"imports": len(jobs)})
    from alongside.wearables import storage  # pyarrow and duckdb load only when samples are touched

    client_id = client.pk
    transaction.on_commit(lambda: storage.delete(client_id=client_id))
    return len(jobs)


@service
def wearables_csv_mapping_save(*, actor: Actor, client: ClientProfile, mapping: dict[str, Any]) -> CsvMapping:
    """Validate and save the client's CSV column mapping (raise ``pydantic.ValidationError`` if it is not valid)."""
    from alongside.wearables.sources.csv.parser import ColumnMapping

    _check_may_write(actor, client)
    clean = ColumnMapping.model_validate(mapping).model_dump(mode="json")
    saved, _created = CsvMapping.objects.update_or_create(client=client, defaults={"mapping": clean})
    record(WearablesAuditAction.CSV_MAPPING_SAVED, actor=actor, obj=saved, client_id=client.pk, detail={})
    return saved


@service
def wearables_import_delete(*, actor: Actor, client: ClientProfile, job_id: uuid.UUID) -> int:
    """Delete one import of the client and its sample file, and recompute the features from the imports left.

    Return the number of samples that went with it; raise ``ImportJob.DoesNotExist`` for another client's import.
    """
    _check_may_write(actor, client)
    from alongside.wearables import baselines, storage
    from alongside.wearables.features import daily_features

    job = ImportJob.objects.select_for_update().get(client=client, id=job_id)
    left = list(
        ImportJob.objects.filter(client=client).exclude(id=job_id).order_by("created_at").values_list("id", flat=True)
    )
    features = baselines.with_baselines(daily_features(storage.read(client_id=client.pk, job_ids=left)))
    removed = job.samples_stored
    job.delete()
    _replace_features(client, features)
    record(WearablesAuditAction.DELETED, actor=actor, obj=None, client_id=client.pk, detail={"import": str(job_id)})
    client_id = client.pk
    transaction.on_commit(lambda: storage.delete(client_id=client_id, job_ids=[job_id]))
    return removed
