"""Model files are trusted only as evaluated: an edited file or a failed evaluation is refused."""

import json

import pytest
from django.core.management import CommandError, call_command

from alongside.risk.artifacts import ModelRefused, digest, load, save
from alongside.risk.pipeline import REFERENCE, evaluate

from .conftest import once

pytestmark = once


def test_reference_models_load_and_passed_their_evaluation():
    """The built-in reference models match the hash their evaluation recorded, and that evaluation passed."""
    for name in ("not_on_track", "dropout"):
        record = json.loads((REFERENCE / f"{name}.json").read_text())
        assert record["evaluation"]["passed"] is True
        assert record["evaluation"]["model_sha256"] == digest(load(REFERENCE / f"{name}.json"))
        assert record["evaluation"]["source"] == "synthetic"


def test_edited_model_file_is_refused(tmp_path):
    """Changing a coefficient after the evaluation breaks the hash, and the file is refused."""
    record = json.loads((REFERENCE / "dropout.json").read_text())
    record["model"]["coefficients"]["checkins_14"] = 0.0
    path = tmp_path / "dropout.json"
    path.write_text(json.dumps(record))
    with pytest.raises(ModelRefused, match="changed after its evaluation"):
        load(path)


def test_model_that_failed_its_evaluation_is_not_activated(tmp_path):
    """A model stored with a failed evaluation keeps its hash but is never loaded for use."""
    model = {"kind": "dropout", "version": 1}
    save(tmp_path / "dropout.json", model, {"passed": False})
    with pytest.raises(ModelRefused, match="did not pass"):
        load(tmp_path / "dropout.json")
    assert load(tmp_path / "dropout.json", require_passed=False) == model


def test_evaluation_report_has_the_documented_keys():
    """A small synthetic evaluation reports every documented key, with the plain statement on synthetic figures."""
    report = evaluate(clients=500, seed=3)["report"]
    assert {
        "schema",
        "source",
        "evaluated",
        "split",
        "clients",
        "reliable_change",
        "not_on_track",
        "dropout",
        "groups",
        "goals",
        "passed",
        "note",
    } <= set(report)
    assert report["reliable_change"] == {"phq9": 6.0, "gad7": 4.0}
    assert {"sensitivity_by_session_3", "sensitivity_by_end", "false_alarm_rate", "auroc"} <= set(
        report["not_on_track"]["phq9"]
    )
    assert {"auroc", "brier", "calibration_slope", "calibration_intercept"} <= set(report["dropout"])
    assert set(report["groups"]) == {"age_band", "language", "gender"}
    assert "not that" in report["note"] or "nothing about clinical validity" in report["note"]


def test_practice_with_too_little_history_keeps_the_reference_model(population):
    """A practice extract with too few episodes for its own model is refused, saying the reference model stays."""
    with pytest.raises(CommandError, match="reference model"):
        call_command("risk", "evaluate", "--source", "practice", "--data", str(population))


def test_population_and_score_commands(tmp_path, capsys):
    """The command writes a population, then scores it to one Parquet row per client."""
    call_command("risk", "population", "--clients", "30", "--seed", "2", "--out", str(tmp_path / "pop"))
    assert "rows/s" in capsys.readouterr().out
    call_command("risk", "score", "--data", str(tmp_path / "pop"), "--out", str(tmp_path / "scores.parquet"))
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "scores.parquet").num_rows == 30
