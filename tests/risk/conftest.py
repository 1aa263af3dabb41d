"""Shared by the risk tests: a small synthetic population (generated once per run) and Sam's worsening history."""

import datetime as dt
import os

import pytest
import time_machine

from alongside.risk.artifacts import load
from alongside.risk.engines import connect, open_extract
from alongside.risk.pipeline import REFERENCE, score_tables
from alongside.risk.population import generate
from tests.measures.support_measures import measures_library  # noqa: F401

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


START = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)


def submit_phq9(world, *, rest: int, key: str, captured):
    """Sam submits a PHQ-9 (answers of ``rest`` on items 1-8), running the on-commit work."""
    from alongside.measures import services as measures
    from tests.measures.support_measures import phq9_answers

    response = measures.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key=key
    )
    with captured(execute=True):
        measures.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(rest=rest))


def worsening_history(world, captured):
    """Sam scored PHQ-9 8 at intake and 24 five weeks later, and stopped checking in after the first week."""
    from alongside.selfcare.models import CheckIn

    with time_machine.travel(START, tick=False):
        submit_phq9(world, rest=1, key="risk-intake-0001", captured=captured)
    for day in range(7):
        CheckIn.objects.create(
            client=world.sam,
            at=START + dt.timedelta(days=day),
            local_date=(START + dt.timedelta(days=day)).date(),
            mood=5,
            idempotency_key=f"risk-{day}",
        )
    with time_machine.travel(START + dt.timedelta(days=35), tick=False):
        submit_phq9(world, rest=3, key="risk-later-0001", captured=captured)


@pytest.fixture
def worse(world, measures_library, django_capture_on_commit_callbacks):  # noqa: F811
    """Sam's worsening history, and the warnings it stored."""
    from alongside.risk.models import ClientRisk

    worsening_history(world, django_capture_on_commit_callbacks)
    return ClientRisk.objects.get(client=world.sam)
