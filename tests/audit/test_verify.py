"""`alongside audit verify`: an intact chain passes; every kind of tampering is reported, and the command fails.

The tamper tests edit the table with raw SQL. The append-only triggers refuse that (tested below), so
each tamper test first switches the UPDATE trigger off inside its own test transaction: on PostgreSQL
with ``ALTER TABLE ... DISABLE TRIGGER`` (which needs the superuser role the test launcher creates), on
SQLite by dropping it (SQLite's DDL is transactional). The rollback at the end of the test restores it.
The DELETE trigger is already off in the test database on SQLite (tests/conftest.py), as TRUNCATE is on
PostgreSQL; the refusal tests switch those back on for their own transaction.
"""

from __future__ import annotations

import hashlib
import importlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from alongside.audit.hashing import canonical, compute_hash
from alongside.audit.log import Entry, Written, record, record_many
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checkpoint_file")]

TABLE = AuditEvent._meta.db_table
on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'")
on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'")
sqlite_triggers = importlib.import_module("alongside.audit.migrations.0007_sqlite_append_only")


def _events(n: int = 5) -> list[Written]:
    return [record(AuditAction.LOGIN_FAILED, detail={"step": "password", "n": i}) for i in range(n)]


def _many(n: int) -> list[Written]:
    """Write ``n`` events in one batch (as a caseload view does) and anchor the head with a checkpoint."""
    written = record_many([Entry(AuditAction.LOGIN_FAILED, detail={"n": i}) for i in range(n)])
    _checkpoint()
    return written


def _checkpoint() -> None:
    call_command("audit", "checkpoint", stdout=io.StringIO())


def _verify_command() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _fails(pattern: str) -> None:
    with pytest.raises(CommandError, match=pattern):
        _verify_command()


@pytest.fixture
def tamper() -> None:
    """Let raw SQL edit the audit table for this test only (the test's rollback restores the trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_no_update_delete")
        else:
            cursor.execute(f"DROP TRIGGER {sqlite_triggers.NO_UPDATE}")


def _sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _unkeyed(event: AuditEvent) -> str:
    """The hash someone without the audit key would compute: plain SHA-256 of the canonical fields."""
    fields = {name: getattr(event, name) for name in ("seq", "at", "actor_id", "actor_label", "action")}
    fields |= {name: getattr(event, name) for name in ("object_type", "object_id", "client_id", "request_id")}
    return hashlib.sha256(canonical(**fields, detail=event.detail, prev_hash=event.prev_hash)).hexdigest()


def _rechain(start_seq: int, *, keyed: bool) -> None:
    """Renumber the events from ``start_seq`` to close a gap and recompute every later hash, as a forger would."""
    prev = AuditEvent.objects.filter(seq__lt=start_seq).order_by("-seq").values_list("hash", flat=True).first()
    for number, event in enumerate(AuditEvent.objects.filter(seq__gte=start_seq).order_by("seq"), start=start_seq):
        old_seq = event.seq
        event.seq, event.prev_hash = number, prev
        event.hash = compute_hash(event) if keyed else _unkeyed(event)
        _sql(
            f"UPDATE {TABLE} SET seq = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [number, event.prev_hash, event.hash, old_seq],
        )
        prev = event.hash


# --- An intact log ----------------------------------------------------------------------


def test_intact_chain_passes() -> None:
    """An untouched log verifies and the command says how many events it checked and which is the last."""
    _events(5)
    report = verify()
    assert (report.ok, report.checked, report.last_verified) == (True, 5, 5)
    out = _verify_command()
    assert "5 events, chain intact" in out
    assert "last verified: #5" in out


def test_empty_log_passes() -> None:
    """A new installation has nothing to verify and is not an error."""
    assert "0 events, chain intact" in _verify_command()


def test_new_events_are_keyed_hmacs() -> None:
    """A new event names its master key and its hash is not the plain SHA-256 anyone could compute."""
    _events(1)
    event = AuditEvent.objects.get(seq=1)
    assert event.key_id
    assert event.hash == compute_hash(event) != _unkeyed(event)


# --- Tampering within the chain -----------------------------------------------------------


def test_edited_detail_is_named(tamper: None) -> None:
    """Changing an event's detail breaks the chain at that event."""
    _events(5)
    _sql(f"UPDATE {TABLE} SET detail = %s WHERE seq = 3", ['{"step": "totp", "n": 2}'])
    report = verify()
    assert (report.checked, report.last_verified, report.problems[0].seq) == (2, 2, 3)
    _fails(r"event #3 was altered or forged")


def test_edited_row_with_recomputed_hash_is_caught_at_the_next_event(tamper: None) -> None:
    """Recomputing the edited row's own hash (even with the key) does not help: the next event no longer follows."""
    _events(5)
    event = AuditEvent.objects.get(seq=3)
    event.object_id = "forged"
    _sql(f"UPDATE {TABLE} SET object_id = %s, hash = %s WHERE seq = 3", [event.object_id, compute_hash(event)])
    _fails(r"event #4 does not follow")


def test_deleted_row_is_named(tamper: None) -> None:
    """Deleting an event leaves a gap that is reported by its number and counted as missing."""
    _events(5)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    report = verify()
    assert (report.last_verified, report.missing) == (1, 1)
    _fails(r"event #2 is missing")


def test_swapped_rows_are_named(tamper: None) -> None:
    """Exchanging the positions of two events breaks the chain at the first of them."""
    _events(5)
    _sql(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2")
    _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 1000")
    report = verify()
    assert (report.checked, report.problems[0].seq) == (1, 2)
    _fails(r"event #2 does not follow")


@pytest.mark.parametrize("key_id", ["", "claimed"])
def test_appended_event_with_an_unkeyed_hash_is_named(key_id: str) -> None:
    """A forged event appended with a correctly computed SHA-256 hash is caught, with or without a key id."""
    _events(3)
    last = AuditEvent.objects.get(seq=3)
    forged = AuditEvent(
        seq=4, at=last.at, actor_id=None, actor_label="", action=AuditAction.LOGIN, object_type="",
        object_id="", client_id=None, request_id="", detail={}, prev_hash=last.hash,
        key_id=last.key_id if key_id else "",
    )  # fmt: skip
    forged.hash = _unkeyed(forged)
    forged.save()  # an INSERT, which the append-only triggers allow
    report = verify()
    assert (report.last_verified, report.problems[0].seq) == (3, 4)
    _fails(r"event #4 (has no key after keyed events|was altered or forged)")


@pytest.mark.parametrize("keyed", [False, True], ids=["without the key", "with the key"])
def test_deleted_middle_row_with_every_later_hash_recomputed_is_named(tamper: None, keyed: bool) -> None:
    """Deleting an event, renumbering and re-hashing the rest: without the key the hashes fail; with it,
    the signed checkpoint no longer matches."""
    for _ in range(3):
        _many(10)  # checkpoints at #10, #20 and #30
    _sql(f"DELETE FROM {TABLE} WHERE seq = 12")
    _rechain(12, keyed=keyed)
    report = verify()
    assert report.last_verified == (19 if keyed else 11)
    _fails(r"event #12 was altered or forged" if not keyed else r"event #20 differs from its signed checkpoint")


# --- Tampering at the end: only the checkpoints can tell ---------------------------------


@pytest.mark.parametrize(("total", "cut"), [(120, 50), (5100, 5000)])
def test_events_cut_from_the_end_are_counted(tamper: None, total: int, cut: int) -> None:
    """Deleting the newest events leaves a shorter, valid chain; the checkpoint shows how many are gone."""
    _many(total)
    _sql(f"DELETE FROM {TABLE} WHERE seq > %s", [total - cut])
    report = verify()
    assert (report.last_verified, report.missing) == (total - cut, cut)
    _fails(
        rf"ends at event #{total - cut}.*{cut} event\(s\) were cut from the end(.|\n)*Last verified event: #{total - cut}"
    )


def test_every_row_deleted_is_reported(tamper: None) -> None:
    """An emptied log is not a new installation when a checkpoint says events existed."""
    _many(40)
    _sql(f"DELETE FROM {TABLE}")
    report = verify()
    assert (report.checked, report.missing) == (0, 40)
    _fails(r"audit log is empty, but a signed checkpoint records 40 events(.|\n)*Events missing: 40")


def test_an_edited_checkpoint_is_reported(checkpoint_file: Path) -> None:
    """A checkpoint line changed by hand (here, claiming fewer events) no longer verifies."""
    _many(20)
    text = checkpoint_file.read_text()
    checkpoint_file.write_text(text.replace('"seq":20', '"seq":19').replace('"count":20', '"count":19'))
    _fails(r"checkpoint of event #19 has a bad signature")


# --- Legacy events and keys ----------------------------------------------------------------


def _insert_legacy(n: int) -> None:
    """Write ``n`` events as the previous version did: plain SHA-256 hashes, no key id, an email as label."""
    prev = "0" * 64
    for seq in range(1, n + 1):
        event = AuditEvent(
            seq=seq, at=timezone.now(),
            actor_label="alice@example.test", action=AuditAction.LOGIN, detail={}, prev_hash=prev, key_id="",
        )  # fmt: skip
        event.hash = compute_hash(event)
        event.save()
        prev = event.hash


def test_a_legacy_beginning_verifies_and_is_counted() -> None:
    """Events from before keyed hashing verify as a prefix; new events chain onto them with the key."""
    _insert_legacy(3)
    _events(2)
    report = verify()
    assert (report.ok, report.checked, report.legacy) == (True, 5, 3)
    assert "Legacy events (unkeyed SHA-256, before keyed hashing): 3" in _verify_command()


def test_a_legacy_event_rewritten_is_caught_by_the_first_keyed_event(tamper: None) -> None:
    """Rewriting the legacy part with valid SHA-256 hashes breaks the link to the first keyed event."""
    _insert_legacy(3)
    _events(2)
    event = AuditEvent.objects.get(seq=3)
    event.actor_label = "mallory@example.test"
    _sql(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE seq = 3", [event.actor_label, compute_hash(event)])
    _fails(r"event #4 does not follow")


def test_an_event_under_an_unknown_master_key_is_reported(tamper: None) -> None:
    """An event naming a master key that is not configured cannot be checked, and says which key to add."""
    _events(2)
    _sql(f"UPDATE {TABLE} SET key_id = %s WHERE seq = 2", ["0123456789abcdef"])
    _fails(r"event #2 is keyed under master key 0123456789abcdef, which is not configured")


# --- The database refuses changes ----------------------------------------------------------


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
    assert verify().checked == 2


@on_sqlite
@pytest.mark.parametrize(
    "sql", [f"UPDATE {TABLE} SET actor_label = 'mallory' WHERE seq = 1", f"DELETE FROM {TABLE} WHERE seq = 1"]
)
def test_sqlite_refuses_update_and_delete(sql: str) -> None:
    """On SQLite, the default install, the database itself refuses to change or remove audit rows."""
    _events(2)
    # The test setup drops the DELETE trigger so Django can flush between transactional tests
    # (see tests/conftest.py); create it again for this test's transaction only.
    _sql(sqlite_triggers.CREATE[sqlite_triggers.NO_DELETE])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(sql)
    assert verify().checked == 2


def test_a_truncated_checkpoint_file_is_reported(checkpoint_file: Path) -> None:
    """Keyed events far past the newest checkpoint mean checkpoints were removed (here: the file emptied)."""
    _many(10)
    checkpoint_file.write_text("")
    record_many([Entry(AuditAction.LOGIN_FAILED) for _ in range(15)])  # no commit here, so no new checkpoint
    _fails(r"events #1-#25 \(25\) are covered by no checkpoint")


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_empty_the_table_between_transactional_tests() -> None:
    """On SQLite the DELETE trigger is dropped in the test database only, so Django's flush (DELETE) works."""
    _events(2)
    assert verify().checked == 2


def test_after_a_master_key_rotation_both_parts_verify_while_the_old_key_is_listed(settings) -> None:
    """Events keep the key they were written under; without the retired key, verify names the key it needs."""
    from alongside.crypto.keys import current_master_key, generate_master_key

    _many(3)
    old = current_master_key()
    settings.ALONGSIDE_OLD_MASTER_KEYS = [settings.ALONGSIDE_MASTER_KEY]
    settings.ALONGSIDE_MASTER_KEY = generate_master_key()
    _many(2)
    keys = list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True))
    assert keys == [old.key_id] * 3 + [current_master_key().key_id] * 2
    assert verify().ok
    settings.ALONGSIDE_OLD_MASTER_KEYS = []
    _fails(
        rf"checkpoint of event #3 is signed under master key {old.key_id}, which is not configured(.|\n)*"
        rf"event #1 is keyed under master key {old.key_id}, which is not configured"
    )


def test_a_missing_append_only_trigger_is_a_warning() -> None:
    """The test database lacks one trigger on purpose (see tests/conftest.py): verify names it, and still passes."""
    _events(1)
    missing = "audit_auditevent_no_delete" if connection.vendor == "sqlite" else "audit_auditevent_no_truncate"
    out = _verify_command()
    assert f"Warning: the append-only trigger {missing} is missing or disabled" in out
    assert out.count("Warning: the append-only trigger") == 1
