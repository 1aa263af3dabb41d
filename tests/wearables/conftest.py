"""Fixtures shared by the wearables tests."""

from __future__ import annotations

import os

import pytest

from alongside.wearables import storage


@pytest.fixture
def sealed(settings, tmp_path, monkeypatch):
    """A folder for sealed files, and a fixed key in place of the client's (no database here)."""
    settings.WEARABLES_DIR = tmp_path / "store"
    key = os.urandom(32)
    monkeypatch.setattr(storage, "data_key", lambda *_args, **_kwargs: key)
    return tmp_path
