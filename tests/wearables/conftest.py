"""Fixtures shared by the wearables tests."""

from __future__ import annotations

import os

import pytest

from alongside.wearables import storage

# Parsers, windows and features that never touch the database: run in the SQLite pass only, not again on PostgreSQL.
once = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="database-independent; runs in the SQLite pass"
)


@pytest.fixture
def sealed(settings, tmp_path, monkeypatch):
    """A folder for sealed files, and a fixed key in place of the client's (no database here)."""
    settings.WEARABLES_DIR = tmp_path / "store"
    key = os.urandom(32)
    monkeypatch.setattr(storage, "data_key", lambda *_args, **_kwargs: key)
    return tmp_path
