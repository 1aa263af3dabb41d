"""`alongside audit verify`: an intact chain passes; an edited, deleted or reordered row is named.

The tamper tests edit the table with raw SQL. On PostgreSQL the append-only trigger
refuses that (tested below), so there each tamper test first disables the trigger
inside its own test transaction (``ALTER TABLE ... DISABLE TRIGGER``, which needs the
superuser role the test launcher creates); the rollback at the end of the test
restores it. On SQLite there is no trigger and the raw SQL runs directly.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from alongside.audit.log import Written, compute_hash, record, verify
from alongside.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_auditevent_no_update_delete"
on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _events(n: int = 5) -> list[Written]:
    return [record(AuditAction.LOGIN_FAILED, detail={"step": "password", "n": i}) for i in range(n)]


def _verify_command() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def tamper() -> None:
    """Let raw SQL edit the audit table for this test only (the test's rollback re-enables the trigger)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")


def _sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_intact_chain_passes() -> None:
    """An untouched log verifies and the command says how many events it checked."""
    _events(5)
    assert verify() == (5, None)
    assert "5 events, chain intact" in _verify_command()


def test_empty_log_passes() -> None:
    """A new installation has nothing to verify and is not an error."""
    assert "0 events, chain intact" in _verify_command()


def test_edited_row_is_named(tamper: None) -> None:
    """Changing any field of an event breaks the chain at that event."""
    _events(5)
    _sql(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", ["mallory@example.test"])
    checked, broken = verify()
    assert (checked, broken and broken.seq) == (2, 3)
    with pytest.raises(CommandError, match=r"broken at event #3: event #3 was altered"):
        _verify_command()


def test_edited_row_with_recomputed_hash_is_caught_at_the_next_event(tamper: None) -> None:
    """Recomputing the edited row's own hash does not help: the next event no longer follows it."""
    _events(5)
    event = AuditEvent.objects.get(seq=3)
    event.actor_label = "mallory@example.test"
    _sql(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE seq = 3", [event.actor_label, compute_hash(event)])
    with pytest.raises(CommandError, match=r"broken at event #4: event #4 does not follow"):
        _verify_command()


def test_deleted_row_is_named(tamper: None) -> None:
    """Deleting an event leaves a gap that is reported by its number."""
    _events(5)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    with pytest.raises(CommandError, match=r"broken at event #2: event #2 is missing"):
        _verify_command()


def test_swapped_rows_are_named(tamper: None) -> None:
    """Exchanging the positions of two events breaks the chain at the first of them."""
    _events(5)
    _sql(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2")
    _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 1000")
    checked, broken = verify()
    assert checked == 1
    assert broken is not None
    assert broken.seq == 2
    with pytest.raises(CommandError, match=r"broken at event #2: event #2 does not follow"):
        _verify_command()


@on_postgres
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET actor_label = 'mallory' WHERE seq = 1",
        f"DELETE FROM {TABLE} WHERE seq = 1",
        f"TRUNCATE {TABLE}",
    ],
)
def test_postgres_refuses_update_delete_and_truncate(sql: str) -> None:
    """On PostgreSQL the database itself refuses to change or remove audit rows."""
    _events(2)
    if sql.startswith("TRUNCATE"):
        # The test setup disables this trigger so Django can flush between transactional
        # tests (see tests/conftest.py); turn it back on for this test's transaction only.
        _sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_auditevent_no_truncate")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(sql)
    assert verify() == (2, None)
