"""A practice's own models: fit on its history with temporal validation, keep them with their cards, and use them
for the practice's clients once they pass the same minimum goals as the reference models.

The history is the practice's clients who share their data for research use (the same rule as the research
extract), extracted to a temporary directory that is deleted after the fit. The fit needs
:data:`alongside.risk.modelling.MIN_EPISODES` episodes in its training period (the first 70% of clients by start
date); below that the command refuses and the reference models stay in use.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from alongside.care.models import Practice


@dataclass
class Outcome:
    """The evaluation report, and whether the practice's models were activated."""

    report: dict[str, Any]
    activated: bool


def fit_practice(*, practice_id: str, data: Path | None = None, cards_dir: Path | None = None) -> Outcome:
    """Fit and evaluate the practice's models on its history (or on the extract in ``data``); keep and maybe activate."""
    from alongside.risk.cards import dropout_card, not_on_track_card, write_cards
    from alongside.risk.extract import consenting_clients, write_extract
    from alongside.risk.pipeline import evaluate
    from alongside.risk.services import practice_models_keep

    practice = Practice.objects.filter(pk=practice_id).first()
    if practice is None:
        raise ValueError(f"No practice with id {practice_id}.")
    now = timezone.now()
    with tempfile.TemporaryDirectory() as tmp:
        if data is None:
            data = Path(tmp) / "extract"
            clients = consenting_clients(practice.pk)
            write_extract(out=data, key=secrets.token_bytes(32), now=now, clients=clients, anonymous=False)
        result = evaluate(source="practice", data=data)
    fitted = result["models"]
    report = result["report"]
    cards = {
        "not_on_track": not_on_track_card(fitted["not_on_track"], report),
        "dropout": dropout_card(fitted["dropout"], report),
    }
    if cards_dir is not None:
        write_cards(result, cards_dir)
    practice_models_keep(practice=practice, result=result, cards=cards, now=now)
    return Outcome(report=report, activated=bool(report["passed"]))
