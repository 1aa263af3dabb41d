"""Migrations core 0003 and messaging 0004 move the office hours into core, keeping every row both ways.

Run on PostgreSQL with ``python -m tests.with_postgres -- uv run --frozen pytest tests/core/<this file>``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alongside.core.models import OfficeHours
from alongside.core.practice_settings import office_hours
from alongside.messaging.selectors import office_status
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0002_practice_settings"), ("messaging", "0003_erased_thread_tombstones")]
AFTER = [("messaging", "0004_office_hours_to_core")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _values(model):
    return sorted(
        model.objects.values_list("practice_id", "office_days", "opens_at", "closes_at", "reply_within_hours")
    )


def test_every_office_hours_row_moves_to_core_and_back():
    """Each practice's messaging settings row arrives in core unchanged, the old table is gone, the office status
    reads the moved hours; migrating back restores the same rows in messaging."""
    riverside, hillside, plain = factories.practice(), factories.practice("Hillside"), factories.practice("Plain")
    try:
        old = _migrate(BEFORE).get_model("messaging", "MessagingSettings")
        old.objects.create(
            practice_id=riverside.pk,
            office_days=[2, 4, 6],
            opens_at=dt.time(10, 30),
            closes_at=dt.time(14, 0),
            reply_within_hours=72,
        )
        old.objects.create(practice_id=hillside.pk, office_days=[1, 2, 3, 4, 5])
        before = _values(old)
        assert len(before) == 2

        new = _migrate(AFTER).get_model("core", "OfficeHours")
        assert _values(new) == before
        assert "messaging_messagingsettings" not in connection.introspection.table_names()
        moved = office_hours(riverside.pk)
        assert (moved.office_days, moved.opens_at, moved.reply_within_hours) == ([2, 4, 6], dt.time(10, 30), 72)
        saturday_noon = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)  # Riverside keeps UTC
        assert office_status(riverside.pk, now=saturday_noon).is_open
        assert not office_status(hillside.pk, now=saturday_noon).is_open
        default = office_hours(plain.pk)
        assert default._state.adding, "unsaved defaults for a practice without a row"
        assert (default.office_days, default.opens_at, default.closes_at) == ([1, 2, 3, 4, 5], dt.time(9), dt.time(17))

        back = _migrate(BEFORE).get_model("messaging", "MessagingSettings")
        assert _values(back) == before
        assert "core_officehours" not in connection.introspection.table_names()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert OfficeHours.objects.count() == 2
