"""Writes of the risk app: refresh a client's stored warnings (a derived cache), mark a warning reviewed, keep a
practice's own fitted models, and write the research extract."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.audit.log import record
from alongside.care.models import ClientProfile, ClientStatus, Practice
from alongside.core.actor import Actor
from alongside.core.services import reader, service, unaudited
from alongside.risk.active import models_in_use, reference
from alongside.risk.artifacts import digest
from alongside.risk.collect import SCORING_HORIZON, history
from alongside.risk.extract import ExtractReport, write_extract
from alongside.risk.flag_rate import weekly_flags
from alongside.risk.models import ClientRisk, ModelKind, PracticeModel, RiskAuditAction
from alongside.risk.online import score

# The dropout flag: a probability of ending care within 28 days at or above this (about three times the base rate
# of the synthetic population, where roughly 6% of client-cutoffs end in dropout within 28 days).
DROPOUT_FLAG = 0.2


@reader
def active_models() -> tuple[dict[str, Any], dict[str, Any]]:
    """The reference models (not on track, dropout), loaded once; a practice's own are in models_in_use."""
    models = reference()
    return models.not_on_track, models.dropout


@unaudited("a derived cache recomputed from records whose own writes are audited; reviews are audited")
def client_risk_refresh(*, client: ClientProfile, now: dt.datetime) -> ClientRisk | None:
    """Score the client now with their practice's models and store the result, with their flags at the end of
    each of the last 12 weeks (read by the flag-rate chart); return it (None before their first score or session)."""
    found = history(client, now, horizon=SCORING_HORIZON)  # only what the scores below look at
    if found is None:
        return None
    h, day = found
    models = models_in_use(client.practice_id)
    result = score(h, day, models.not_on_track, models.dropout)
    factors = [{"feature": name, "value": result.features[name]} for name in result.top_factors()]
    stored, _created = ClientRisk.objects.update_or_create(
        client=client,
        defaults={
            "computed_at": now,
            "day_of_care": day,
            "dropout": result.dropout,
            "dropout_flag": result.dropout >= DROPOUT_FLAG,
            "factors": factors,
            "not_on_track": result.not_on_track,
            "phq9_total": result.phq9_total,
            "phq9_expected": result.phq9_expected,
            "phq9_upper": result.phq9_upper,
            "phq9_session": result.phq9_session,
            "model_sha256": models.sha256,
            "model_source": models.source,
            "weekly": weekly_flags(h, day, now.date(), models),
        },
    )
    return stored


@unaudited("a derived cache, as client_risk_refresh")
def risks_refresh_all(*, now: dt.datetime) -> int:
    """Score every active client with history again (the daily refresh, and `alongside risk refresh`); return how
    many were stored."""
    stored = 0
    for client in ClientProfile.objects.filter(status=ClientStatus.ACTIVE).order_by("pk").iterator():
        stored += client_risk_refresh(client=client, now=now) is not None
    return stored


@service
def practice_models_keep(
    *, practice: Practice, result: dict[str, Any], cards: dict[str, str], now: dt.datetime
) -> list[PracticeModel]:
    """Store a practice's fitted models with their evaluation and cards; activate them when the evaluation passed.

    A failed evaluation is stored (so its card can be read) but never activated; the models in use stay as they were.
    """
    report = result["report"]
    passed = bool(report["passed"])
    if passed:
        PracticeModel.objects.filter(practice=practice, active=True).update(active=False)
    kept = []
    for kind in ModelKind.values:
        model = result["models"][kind]
        sha = digest(model)
        kept.append(
            PracticeModel.objects.create(
                practice=practice,
                kind=kind,
                model=model,
                evaluation={**report, "model_sha256": sha},
                model_sha256=sha,
                card=cards[kind],
                fitted_at=now,
                active=passed,
            )
        )
    record(
        RiskAuditAction.MODEL_FITTED,
        actor=None,
        obj=kept[0],
        detail={"practice": str(practice.pk), "passed": passed, "activated": passed},
    )
    return kept


@service
def client_risk_review(*, actor: Actor, client: ClientProfile, note: str, now: dt.datetime) -> ClientRisk:
    """Mark the client's current warnings reviewed, with a note; only a clinician on the care team may."""
    if not decide(actor, client, Action.CARE_TEAM):
        raise PermissionDenied(_("Only a clinician on the client's care team can review their warnings."))
    risk = ClientRisk.objects.select_for_update().filter(client=client).first()
    if risk is None:
        raise ValidationError(_("This client has no warnings to review yet."))
    risk.reviewed_at, risk.reviewed_by, risk.review_note = now, actor, note.strip()
    risk.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    record(RiskAuditAction.REVIEWED, actor=actor, obj=risk, client_id=client.pk, detail={"noted": bool(note.strip())})
    return risk


@service
def extract_write(*, out: Path, key: bytes, now: dt.datetime, k: int | None = None) -> ExtractReport:
    """Write the de-identified extract of the consenting clients to ``out``, k-anonymous on its quasi-identifiers,
    and audit it; return what was written and suppressed."""
    if len(key) < 16:
        raise ValueError(_("The extract key must be at least 16 bytes."))
    report = write_extract(out=out, key=key, now=now, k=k)
    record(
        RiskAuditAction.EXTRACTED,
        actor=None,
        obj=None,
        detail={"clients": report.clients, "suppressed": report.suppressed, "k": report.k},
    )
    return report
