"""Migrations core 0002 and measures 0007 move the practice settings into core, keeping every row both ways.

Run on PostgreSQL with ``python -m tests.with_postgres -- uv run --frozen pytest tests/core/<this file>``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alongside.core.models import PracticeSettings
from alongside.core.practice_settings import crisis_rows, practice_settings
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0001_initial"), ("measures", "0006_alert_notices_to_notify")]
AFTER = [("measures", "0007_practice_settings_to_core")]
LINES = [{"name": "Riverside duty line", "phone": "01632 960000", "country": "GB"}]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _values(model):
    return sorted(
        model.objects.values_list(
            "practice_id", "escalation_minutes", "quiet_start", "quiet_end", "request_window_days",
            "crisis_resources", "clients_see_results", "default_instrument", "default_rule", "default_interval_days",
            "updated_at",
        )
    )  # fmt: skip


def test_every_practice_settings_row_moves_to_core_and_back():
    """Each practice's measure settings row arrives in core unchanged (updated_at too), the old table is gone,
    the core readers see the values; migrating back restores the same rows in measures."""
    riverside, hillside, plain = factories.practice(), factories.practice("Hillside"), factories.practice("Plain")
    then = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    try:
        old = _migrate(BEFORE).get_model("measures", "PracticeMeasureSettings")
        old.objects.create(
            practice_id=riverside.pk,
            escalation_minutes=90,
            quiet_start=dt.time(22, 15),
            quiet_end=dt.time(7, 0),
            request_window_days=3,
            crisis_resources=LINES,
            clients_see_results=False,
            default_instrument="phq9",
            default_rule="every_n_days",
            default_interval_days=10,
        )
        old.objects.create(practice_id=hillside.pk)
        old.objects.update(updated_at=then)
        before = _values(old)

        new = _migrate(AFTER).get_model("core", "PracticeSettings")
        assert _values(new) == before
        assert "measures_practicemeasuresettings" not in connection.introspection.table_names()
        moved = practice_settings(riverside.pk)
        assert (moved.escalation_minutes, moved.quiet_start, moved.clients_see_results) == (90, dt.time(22, 15), False)
        assert crisis_rows(riverside.pk) == LINES
        assert practice_settings(plain.pk)._state.adding  # unsaved defaults for a practice without a row

        back = _migrate(BEFORE).get_model("measures", "PracticeMeasureSettings")
        assert _values(back) == before
        assert "core_practicesettings" not in connection.introspection.table_names()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert PracticeSettings.objects.count() == 2
