"""Writers that find the chain's lock taken write their events unlinked; a lock holder links them (issue #19).

On PostgreSQL writers only try the audit chain's advisory lock, so no audited write waits for another's commit.
These tests hold the chain's guarantees on that path: an unlinked event is linked by the next holder of the lock
(a writer or the worker's chainer) before that holder's own events; a rolled-back writer leaves no event; a chainer
killed mid-batch leaves its events to the next one; the append-only trigger allows the one linking update and
nothing else; concurrent writers leave a complete, gap-free chain; ``audit verify`` counts what waits and warns
when it waits too long. The lock is held from a second connection, as a writer in the middle of its commit would.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from alongside.audit import chainer, rows
from alongside.audit import verify as verify_module
from alongside.audit.log import record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify
from alongside.notify.management.commands import worker

on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'")
pytestmark = [pytest.mark.django_db(transaction=True), on_postgres, pytest.mark.usefixtures("checkpoint_file")]

TABLE = AuditEvent._meta.db_table


class LockHolder:
    """A second connection holding the chain's advisory lock, as another writer does until its commit."""

    def __init__(self) -> None:
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        self.conn = psycopg.connect(**params, autocommit=True)

    def take(self) -> LockHolder:
        self.conn.execute(f"SELECT pg_advisory_lock({chainer.ADVISORY_LOCK_ID})")
        return self

    def release(self) -> None:
        self.conn.execute(f"SELECT pg_advisory_unlock({chainer.ADVISORY_LOCK_ID})")

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def holder() -> Iterator[LockHolder]:
    held = LockHolder()
    yield held
    held.close()


def _event(step: str) -> AuditEvent:
    return AuditEvent.objects.get(detail__step=step)


def test_a_writer_that_finds_the_lock_taken_writes_unlinked_and_the_next_holder_links_it_first(holder) -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "before"})
    holder.take()
    with transaction.atomic():
        with connection.cursor() as cursor:  # a writer that waited for the lock would fail here, not hang
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        waiting = record(AuditAction.LOGIN_FAILED, detail={"step": "while held"})
    row = _event("while held")
    assert (row.seq, row.prev_hash, row.hash, row.key_id) == (None, "", "", "")
    assert (waiting.seq, waiting.hash) == (0, "")
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unlinked) == (1, 1)
    assert chainer.chain_tail() == 0  # the lock is still taken: its holder links the events, not us

    holder.release()
    after = record(AuditAction.LOGIN_FAILED, detail={"step": "after"})
    assert [_event(step).seq for step in ("before", "while held", "after")] == [1, 2, 3] == [1, 2, after.seq]
    assert _event("while held").prev_hash == _event("before").hash
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unlinked) == (3, 0)


def test_the_chainer_links_waiting_events_in_the_order_they_were_written(holder) -> None:
    holder.take()
    for n in range(5):
        record(AuditAction.LOGIN_FAILED, detail={"step": f"w{n}"})
    holder.release()
    assert chainer.chain_tail() == 5
    assert [_event(f"w{n}").seq for n in range(5)] == [1, 2, 3, 4, 5]
    assert chainer.chain_tail() == 0
    report = verify()
    assert report.ok, report.problems
    assert report.checked == 5


def test_a_rolled_back_writer_leaves_no_unlinked_event(holder) -> None:
    holder.take()

    def failing_work() -> None:
        with transaction.atomic():
            record(AuditAction.LOGIN_FAILED, detail={"step": "rolled back"})
            raise RuntimeError("the work it recorded failed")

    with pytest.raises(RuntimeError):
        failing_work()
    assert not AuditEvent.objects.exists()


def test_a_chainer_killed_mid_batch_leaves_the_events_to_the_next_one(holder, monkeypatch) -> None:
    holder.take()
    for n in range(3):
        record(AuditAction.LOGIN_FAILED, detail={"step": f"k{n}"})
    holder.release()
    linked, stop = threading.Event(), threading.Event()
    original = rows.link_postgresql
    pids: list[int] = []
    failures: list[BaseException] = []

    def link_then_hang(events: list[AuditEvent]) -> None:
        original(events)  # the rows are linked inside the chainer's transaction, not yet committed
        if threading.current_thread().name == "chainer":
            linked.set()
            stop.wait(10)

    monkeypatch.setattr(rows, "link_postgresql", link_then_hang)

    def run() -> None:
        try:
            connection.ensure_connection()
            pids.append(connection.connection.info.backend_pid)
            chainer.chain_tail()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="chainer")
    thread.start()
    assert linked.wait(10)
    holder.conn.execute("SELECT pg_terminate_backend(%s)", [pids[0]])
    stop.set()
    thread.join(10)
    assert failures
    assert isinstance(failures[0], OperationalError | DatabaseError)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3  # the killed batch rolled back
    assert chainer.chain_tail() == 3
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unlinked) == (3, 0)


def test_the_trigger_allows_the_one_linking_update_and_nothing_else(holder) -> None:
    holder.take()
    record(AuditAction.LOGIN_FAILED, detail={"step": "unlinked"})
    holder.release()
    row_id = _event("unlinked").pk

    def refused(sql: str) -> None:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row_id])

    refused(f'UPDATE {TABLE} SET detail = \'{{"step": "edited"}}\' WHERE id = %s')
    refused(f"UPDATE {TABLE} SET seq = 7, hash = 'x', action = 'auth.login' WHERE id = %s")
    refused(f"DELETE FROM {TABLE} WHERE id = %s")
    assert chainer.chain_tail() == 1
    refused(f"UPDATE {TABLE} SET hash = 'y' WHERE id = %s")
    refused(f"UPDATE {TABLE} SET seq = NULL, prev_hash = '', hash = '', key_id = '' WHERE id = %s")
    assert verify().ok


def test_concurrent_writers_with_the_chainer_running_leave_a_complete_gap_free_chain() -> None:
    """Eight writer threads and a chainer thread; whatever each writer found, every event ends linked once."""
    threads, per_thread, failures = 8, 20, []
    done = threading.Event()

    def write(t: int) -> None:
        try:
            for i in range(per_thread):
                with transaction.atomic():
                    record(AuditAction.LOGIN_FAILED, detail={"step": f"c{t}-{i}"})
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    def link() -> None:
        while not done.wait(0.01):
            worker._link_once()

    writers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    linker = threading.Thread(target=link)
    linker.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    linker.join()
    assert failures == []
    worker._link_once()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unlinked) == (threads * per_thread, 0)


def test_verify_warns_when_events_wait_to_be_linked_too_long_and_audit_link_links_them(holder, monkeypatch) -> None:
    holder.take()
    record(AuditAction.LOGIN_FAILED, detail={"step": "waiting"})
    holder.release()
    monkeypatch.setattr(verify_module, "UNLINKED_GRACE", timedelta(0))
    report = verify()
    assert report.ok
    assert any("not linked into the chain yet" in warning for warning in report.warnings)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "not yet linked into the chain: 1" in out.getvalue()
    out = io.StringIO()
    call_command("audit", "link", stdout=out)
    assert "Events linked into the chain: 1." in out.getvalue()
    assert not [warning for warning in verify().warnings if "not linked" in warning]
