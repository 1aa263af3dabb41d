"""Writes of the risk app: refresh a client's stored warnings (a derived cache) and mark a warning reviewed."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.services import reader, service, unaudited
from alongside.risk.artifacts import digest, load
from alongside.risk.collect import history
from alongside.risk.extract import write_extract
from alongside.risk.models import ClientRisk, RiskAuditAction
from alongside.risk.online import score

# The dropout flag: a probability of ending care within 28 days at or above this (about three times the base rate
# of the synthetic population, where roughly 6% of client-cutoffs end in dropout within 28 days).
DROPOUT_FLAG = 0.2


@reader
@functools.cache
def active_models() -> tuple[dict[str, Any], dict[str, Any]]:
    """The evaluated models in use (the reference models until a practice keeps its own), loaded once."""
    from alongside.risk.artifacts import REFERENCE  # not pipeline: that imports Ibis, seconds on first use

    return load(REFERENCE / "not_on_track.json"), load(REFERENCE / "dropout.json")


@unaudited("a derived cache recomputed from records whose own writes are audited; reviews are audited")
def client_risk_refresh(*, client: ClientProfile, now: dt.datetime) -> ClientRisk | None:
    """Score the client now and store the result; return it (None before their first score or session)."""
    found = history(client, now)
    if found is None:
        return None
    h, day = found
    not_model, drop_model = active_models()
    result = score(h, day, not_model, drop_model)
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
            "model_sha256": digest(drop_model)[:32] + digest(not_model)[:32],
        },
    )
    return stored


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
def extract_write(*, out: Path, key: bytes, now: dt.datetime) -> int:
    """Write the de-identified extract of the consenting clients to ``out`` and audit it; return the client count."""
    if len(key) < 16:
        raise ValueError(_("The extract key must be at least 16 bytes."))
    count = write_extract(out=out, key=key, now=now)
    record(RiskAuditAction.EXTRACTED, actor=None, obj=None, detail={"clients": count})
    return count
