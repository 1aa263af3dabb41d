"""Online scoring of one client (plain Python, for the app) agrees with the population pipeline's Ibis scoring."""

from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from alongside.risk.artifacts import load
from alongside.risk.online import History, score
from alongside.risk.pipeline import REFERENCE

from .conftest import once

pytestmark = once


def histories(data):
    h = defaultdict(History)
    for row in pq.read_table(data / "checkins.parquet").to_pylist():
        h[row["client_id"]].checkins.append(row["day"])
    for row in pq.read_table(data / "sessions.parquet").to_pylist():
        h[row["client_id"]].sessions.append((row["day"], row["status"]))
    for row in pq.read_table(data / "homework.parquet").to_pylist():
        h[row["client_id"]].homework.append((row["day"], row["done"]))
    for row in pq.read_table(data / "messages.parquet").to_pylist():
        if row["sender"] == "client":
            h[row["client_id"]].client_messages.append(row["day"])
    for row in pq.read_table(data / "scores.parquet").to_pylist():
        h[row["client_id"]].scores.append((row["day"], row["session_number"], row["measure"], row["total"]))
    return h


def test_online_scores_match_the_pipeline(population, duckdb_result):
    """For every client, the one-client scorer gives the pipeline's dropout probability and not-on-track flag."""
    not_model, drop_model = load(REFERENCE / "not_on_track.json"), load(REFERENCE / "dropout.json")
    h = histories(population)
    expected = {row["client_id"]: row for row in duckdb_result.to_pylist()}
    flagged = 0
    for client_id, row in expected.items():
        got = score(h[client_id], 70, not_model, drop_model)
        assert got.dropout == pytest.approx(row["dropout"], abs=1e-9), client_id
        assert got.not_on_track == bool(row["not_on_track"]), client_id
        flagged += got.not_on_track
    assert flagged > 0


def test_top_factors_name_what_raised_the_risk():
    """A client who stopped checking in and missed homework has those among the top three factors."""
    drop_model = load(REFERENCE / "dropout.json")
    h = History(
        checkins=list(range(0, 40)),
        sessions=[(0, "attended"), (7, "attended"), (14, "missed"), (21, "cancelled")],
        homework=[(30, False), (40, False), (50, False)],
        scores=[(0, 1, "phq9", 15), (7, 2, "phq9", 16)],
    )
    result = score(h, 56, load(REFERENCE / "not_on_track.json"), drop_model)
    assert result.dropout > 0.2
    assert "days_since_checkin" in result.top_factors() or "checkins_14" in result.top_factors()
