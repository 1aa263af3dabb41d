"""Shared by the audit tests: a checkpoint file of each test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alongside.audit import checkpoints


@pytest.fixture
def checkpoint_file(tmp_path: Path, settings) -> Iterator[Path]:
    """Checkpoints go to a file of this test's own, one every 10 events; no external anchor."""
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE = str(path)
    settings.ALONGSIDE_AUDIT_CHECKPOINT_EVERY = 10
    settings.ALONGSIDE_AUDIT_ANCHOR = ""
    checkpoints.forget_known()
    yield path
    checkpoints.forget_known()
