"""Model files: JSON with the evaluation that approved them and the model's hash; refused when edited or failed.

Kept apart from :mod:`alongside.risk.modelling` (which fits the models with scikit-learn and statsmodels) so that
the web process, which only loads approved models, never imports those libraries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The built-in reference models (fitted on the synthetic population), shipped with the code.
REFERENCE = Path(__file__).parent / "reference"


class ModelRefused(ValueError):
    """A model file was edited after its evaluation (hash mismatch), or its evaluation did not pass."""


def digest(model: Mapping[str, Any]) -> str:
    """Return the SHA-256 of a model's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def save(path: Path, model: Mapping[str, Any], evaluation: Mapping[str, Any]) -> None:
    """Write a model and the evaluation that approved (or rejected) it, with the model's hash, as JSON."""
    record = {"model": model, "evaluation": {**evaluation, "model_sha256": digest(model)}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def load(path: Path, *, require_passed: bool = True) -> dict[str, Any]:
    """Return the model stored at ``path``, refusing an edited file or one whose evaluation did not pass."""
    try:
        record = json.loads(path.read_text())
        model, evaluation = record["model"], record["evaluation"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelRefused(f"{path.name} is not a model file: {exc}") from exc
    if digest(model) != evaluation.get("model_sha256"):
        raise ModelRefused(
            f"{path.name} was changed after its evaluation: its hash no longer matches the one the evaluation recorded."
        )
    if require_passed and not evaluation.get("passed"):
        raise ModelRefused(f"{path.name} did not pass its minimum evaluation and is not activated.")
    loaded: dict[str, Any] = model
    return loaded
