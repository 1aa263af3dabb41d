"""Audit events recorded inside a service are written last, just before commit (issue #19).

The chain's lock (PostgreSQL's advisory lock) is taken when the events are inserted and held to commit, so
writing them last keeps every other audited write from queueing behind a service still doing its own work.
These tests hold the guarantees that must survive the move: the events are written after the service's own
statements and in the order they were recorded; a rolled-back transaction or savepoint leaves none of its
events; code that reads the audit table inside the service sees its own events; and concurrent writers on
PostgreSQL leave a chain that ``audit verify`` finds intact.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.utils import timezone

from alongside.audit.chainer import chain_tail
from alongside.audit.log import record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify
from alongside.core.services import service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checkpoint_file")]

TABLE = AuditEvent._meta.db_table


class Boom(Exception):
    """Raised by a test service after it recorded an event."""


def _touch(key: str) -> None:
    """Write a row that is not an audit event (a session row stands in for any care record)."""
    Session.objects.update_or_create(
        session_key=key, defaults={"session_data": "x", "expire_date": timezone.now() + timezone.timedelta(days=1)}
    )


@service
def _inner(*, n: int) -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "inner", "n": n})


@service
def _outer(*, key: str) -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "first"})
    _inner(n=1)
    _touch(key)
    record(AuditAction.LOGIN_FAILED, detail={"step": "last"})


@service
def _failing() -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "doomed"})
    _touch("doomed")
    raise Boom


@service
def _with_rolled_back_savepoint() -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "kept"})
    try:
        with transaction.atomic():
            record(AuditAction.LOGIN_FAILED, detail={"step": "undone"})
            _touch("undone")
            raise Boom
    except Boom:
        pass
    record(AuditAction.LOGIN_FAILED, detail={"step": "after"})


@service
def _reads_its_own_events(*, seen: list[str]) -> None:
    record(AuditAction.LOGIN_FAILED, detail={"step": "read back"})
    seen.extend(AuditEvent.objects.order_by("seq").values_list("detail__step", flat=True))
    record(AuditAction.LOGIN_FAILED, detail={"step": "after the read"})


def _steps() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("detail__step", flat=True))


def test_a_services_events_are_its_last_statements_in_the_order_recorded() -> None:
    """The audit rows are inserted after the service's own writes, and numbered in the order they were recorded."""
    statements: list[str] = []

    def log(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(str(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        _outer(key="order")
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    audit_writes = [i for i, s in enumerate(writes) if TABLE in s]
    assert audit_writes, "the events were written"
    assert min(audit_writes) > max(i for i, s in enumerate(writes) if TABLE not in s)
    assert _steps() == ["first", "inner", "last"]
    assert verify().ok


def test_a_rolled_back_service_leaves_no_events() -> None:
    """A service that fails after recording an event leaves neither the event nor its other writes."""
    record(AuditAction.LOGIN_FAILED, detail={"step": "before"})
    with pytest.raises(Boom):
        _failing()
    assert _steps() == ["before"]
    assert not Session.objects.filter(session_key="doomed").exists()
    _outer(key="after")
    assert _steps() == ["before", "first", "inner", "last"]
    report = verify()
    assert report.ok, report.problems
    assert report.checked == 4


def test_a_rolled_back_savepoint_drops_only_its_own_events() -> None:
    """Events recorded in a savepoint that rolls back vanish with it; the service's other events are written."""
    _with_rolled_back_savepoint()
    assert _steps() == ["kept", "after"]
    assert not Session.objects.filter(session_key="undone").exists()
    assert verify().ok


def test_code_reading_the_audit_table_inside_a_service_sees_its_own_events() -> None:
    """A query on the audit table inside the service writes the buffered events first, so none is missed."""
    seen: list[str] = []
    _reads_its_own_events(seen=seen)
    assert seen == ["read back"]
    assert _steps() == ["read back", "after the read"]
    assert verify().ok


def test_record_outside_a_service_writes_at_once() -> None:
    """Outside a service an event is written when recorded, with its place in the chain."""
    with transaction.atomic():
        written = record(AuditAction.LOGIN_FAILED, detail={"step": "direct"})
        assert written.seq == AuditEvent.objects.get(detail__step="direct").seq


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_keep_the_chain_whole_and_verifiable() -> None:
    """Eight threads running services at once (each with its own connection) write every event, gap-free."""
    threads, per_thread, failures = 8, 15, []

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                _outer(key=f"w{t}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    chain_tail()  # events written while another writer held the chain's lock (test_chainer.py)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread * 3 + 1))
    report = verify()
    assert report.ok, report.problems
    assert report.checked == threads * per_thread * 3
