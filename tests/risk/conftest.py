"""A small synthetic population shared by the risk tests (generated once per run)."""

import os

import pytest

from alongside.risk.artifacts import load
from alongside.risk.engines import connect, open_extract
from alongside.risk.pipeline import REFERENCE, score_tables
from alongside.risk.population import generate

# The pipeline does not touch the database: its tests run in the SQLite pass only, not again on PostgreSQL.
once = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="database-independent; runs in the SQLite pass"
)


@pytest.fixture(scope="session")
def population(tmp_path_factory):
    out = tmp_path_factory.mktemp("risk") / "population"
    generate(clients=300, seed=5, out=out)
    return out


@pytest.fixture(scope="session")
def duckdb_result(population):
    con = connect("duckdb")
    return score_tables(
        con,
        open_extract(con, population),
        load(REFERENCE / "not_on_track.json"),
        load(REFERENCE / "dropout.json"),
        as_of=70,
    ).to_pyarrow()
