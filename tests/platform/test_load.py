"""Fifty people at once against `alongside serve --workers 2` with Redis: no errors, no lost or duplicated write.

The 60-second version of ``bench/load.py`` (ALONGSIDE_LOAD_SECONDS changes the length,
ALONGSIDE_LOAD_USERS the number of people). The practice is created in the test database,
which the server shares; a private redis-server carries the channel layer and the cache.
Times are printed for the log, never asserted: the bench and bench/README.md are for those.
It runs in the PostgreSQL pass of `make test`. SQLite (one writer at a time, the demo's
database) is skipped in the other pass only, since the PostgreSQL pass always runs it.
"""

from __future__ import annotations

import os

import pytest
from bench import load
from django.db import connection

from tests.messaging.support_servers import database_url_for_servers

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True)]


def test_fifty_people_at_once_lose_and_duplicate_nothing(tmp_path):
    """Every request of 50 simulated clients and clinicians succeeds; every write answered 2xx is stored
    once with the id the server gave, a retried key returns the first write, and nothing else appears."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL pass of `make test` runs the load test (against a multi-process server)")
    users = int(os.environ.get("ALONGSIDE_LOAD_USERS", "50"))
    seconds = float(os.environ.get("ALONGSIDE_LOAD_SECONDS", "60"))
    cast = load.seed_practice(users=users)
    with load.serve(tmp_path, database_url_for_servers(tmp_path), workers=2) as served:
        ledger = load.run_load(served.url, cast, seconds=seconds)
    check = load.check_writes(ledger)
    print(load.report(ledger, check, users=users))
    assert ledger.requests > users  # everyone did something
    assert not ledger.errors, ledger.error_samples
    assert check.acknowledged["checkin"] > 0
    assert check.acknowledged["message"] > 0
    assert check.acknowledged["response"] > 0
    assert not check.lost
    assert not check.duplicated
    assert not check.unexpected
