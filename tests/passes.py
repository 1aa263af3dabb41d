"""`make test` runs the suite twice, on SQLite and then on PostgreSQL. A test whose outcome cannot depend on the pass's
database (it starts its own process on its own SQLite file, dropping DATABASE_URL) runs in the SQLite pass only."""

from __future__ import annotations

import os

import pytest

sqlite_pass_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="independent of the pass's database (its own process on its own SQLite file); runs in the SQLite pass",
)
