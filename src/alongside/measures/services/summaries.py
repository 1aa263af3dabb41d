"""Keep each client's first and latest score per instrument (``MeasureScoreSummary``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction

from alongside.core.services import unaudited
from alongside.measures.models import MeasureScore, MeasureScoreSummary


@unaudited("a derived summary of an audited submission")
def score_summary_record(*, score: MeasureScore) -> None:
    """Fold one new score into its client's summary for the instrument (call in the score's transaction)."""
    summary = (
        MeasureScoreSummary.objects.select_for_update()
        .filter(client_id=score.client_id, instrument=score.instrument)
        .first()
    )
    if summary is None:
        MeasureScoreSummary.objects.create(
            client_id=score.client_id,
            instrument=score.instrument,
            first_total=score.total,
            first_at=score.scored_at,
            latest_total=score.total,
            latest_at=score.scored_at,
            latest_severity=score.severity,
            latest_caseness=score.caseness,
        )
        return
    summary.count += 1
    if score.scored_at < summary.first_at:
        summary.first_total, summary.first_at = score.total, score.scored_at
    if score.scored_at >= summary.latest_at:
        summary.latest_total, summary.latest_at = score.total, score.scored_at
        summary.latest_severity, summary.latest_caseness = score.severity, score.caseness
    summary.save()


@unaudited("a derived cache rebuilt from audited responses")
def score_summaries_rebuild(*, client_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Recompute summaries from the scores, for some clients or all. Returns the number of summaries written."""
    scores = MeasureScore.objects.order_by("client_id", "instrument", "scored_at")
    summaries = MeasureScoreSummary.objects.all()
    if client_ids is not None:
        ids = list(client_ids)
        scores = scores.filter(client_id__in=ids)
        summaries = summaries.filter(client_id__in=ids)
    built: dict[tuple[uuid.UUID, str], MeasureScoreSummary] = {}
    fields = ("client_id", "instrument", "total", "scored_at", "severity", "caseness")
    for client_id, instrument, total, at, severity, caseness in scores.values_list(*fields).iterator(chunk_size=5000):
        key = (client_id, instrument)
        summary = built.get(key)
        if summary is None:
            built[key] = MeasureScoreSummary(
                client_id=client_id,
                instrument=instrument,
                first_total=total,
                first_at=at,
                latest_total=total,
                latest_at=at,
                latest_severity=severity,
                latest_caseness=caseness,
            )
            continue
        summary.count += 1
        summary.latest_total, summary.latest_at = total, at
        summary.latest_severity, summary.latest_caseness = severity, caseness
    with transaction.atomic():
        summaries.delete()
        MeasureScoreSummary.objects.bulk_create(built.values(), batch_size=1000)
    return len(built)
