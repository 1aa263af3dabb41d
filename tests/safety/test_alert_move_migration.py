"""Critical alerts moved from measures to safety (measures 0009, safety 0005) without touching their rows.

The acknowledgement note is encrypted with the table's name bound in, so the table must keep its name: a note
written before the move opens after it, one written after opens when migrated back, and nothing is copied.
Run on PostgreSQL with ``python -m tests.with_postgres -- uv run --frozen pytest tests/safety/<this file>``.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from alongside.safety.models import AlertStatus, CriticalAlert
from tests.measures.support_staff import add_alert

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("measures", "0008_alert_from_flag"), ("safety", "0004_feedback_on_other_texts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_model_moves_but_its_table_and_rows_stay():
    """Safety owns the model now; the table is the one measures created."""
    assert CriticalAlert._meta.app_label == "safety"
    assert CriticalAlert._meta.db_table == "measures_criticalalert"
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "measures_criticalalert" in tables
    assert "safety_criticalalert" not in tables


def test_notes_written_on_either_side_of_the_move_stay_readable(world):
    """An acknowledged alert's note, written through the model as safety has it, opens through the model as measures
    had it (migrated back) and the other way round; the number of rows never changes."""
    after_move = add_alert(world.sam)
    after_move.status = AlertStatus.ACKNOWLEDGED
    after_move.acknowledged_at = timezone.now()
    after_move.acknowledged_by = world.alice
    after_move.note = "Called Sam; safety plan reviewed."
    after_move.save()
    before_move = add_alert(world.sam)
    try:
        old = _migrate(BEFORE).get_model("measures", "CriticalAlert")
        assert old._meta.db_table == "measures_criticalalert"
        assert old.objects.get(pk=after_move.pk).note == "Called Sam; safety plan reviewed."
        row = old.objects.get(pk=before_move.pk)
        row.status = "acknowledged"
        row.acknowledged_at = timezone.now()
        row.acknowledged_by_id = world.alice.pk
        row.note = "Spoke with Sam before the move."
        row.save()
        assert old.objects.count() == 2
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert CriticalAlert.objects.count() == 2
    assert CriticalAlert.objects.get(pk=before_move.pk).note == "Spoke with Sam before the move."
    assert CriticalAlert.objects.get(pk=after_move.pk).note == "Called Sam; safety plan reviewed."
