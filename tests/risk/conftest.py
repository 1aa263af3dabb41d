"""A small synthetic population shared by the risk tests (generated once per run)."""

import os

import pytest

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
