"""Which models score a practice's clients: its own fitted models once they passed their evaluation, else the
built-in reference models (fitted on the synthetic population, and labelled so wherever a warning is shown).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Any

from alongside.risk.artifacts import REFERENCE, digest, load
from alongside.risk.models import ModelKind, ModelSource, PracticeModel

logger = logging.getLogger("alongside.risk")


@dataclass(frozen=True)
class InUse:
    """The two models in use for a practice, where they come from, and their evaluations (for the cards)."""

    not_on_track: dict[str, Any]
    dropout: dict[str, Any]
    source: str
    evaluations: dict[str, dict[str, Any]]
    fitted_at: dt.datetime | None = None

    @functools.cached_property
    def sha256(self) -> str:
        """The stored fingerprint of the pair (first half dropout, second half not on track)."""
        return digest(self.dropout)[:32] + digest(self.not_on_track)[:32]


@functools.cache
def reference() -> InUse:
    """The built-in reference models, loaded (and their hashes checked) once per process."""
    import json

    evaluations = {
        kind: json.loads((REFERENCE / f"{kind}.json").read_text())["evaluation"] for kind in ModelKind.values
    }
    return InUse(
        not_on_track=load(REFERENCE / "not_on_track.json"),
        dropout=load(REFERENCE / "dropout.json"),
        source=ModelSource.REFERENCE,
        evaluations=evaluations,
    )


def _trusted(row: PracticeModel) -> bool:
    same = digest(row.model) == row.model_sha256 == row.evaluation.get("model_sha256")
    if not same:
        logger.error("risk: the stored %s model %s no longer matches its evaluation's hash; not used", row.kind, row.pk)
    return same and bool(row.evaluation.get("passed"))


def models_in_use(practice_id: Any) -> InUse:
    """The practice's own active models when both are present and trusted, else the reference models."""
    rows = {row.kind: row for row in PracticeModel.objects.filter(practice_id=practice_id, active=True)}
    own, drop = rows.get(ModelKind.NOT_ON_TRACK), rows.get(ModelKind.DROPOUT)
    if own is None or drop is None or not (_trusted(own) and _trusted(drop)):
        return reference()
    return InUse(
        not_on_track=own.model,
        dropout=drop.model,
        source=ModelSource.PRACTICE,
        evaluations={ModelKind.NOT_ON_TRACK: own.evaluation, ModelKind.DROPOUT: drop.evaluation},
        fitted_at=max(own.fitted_at, drop.fitted_at),
    )
