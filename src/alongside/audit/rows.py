"""The audit chain's SQL: its head (with the chain's lock on PostgreSQL), the inserts of a batch of events and the
linking of events written unlinked.

Plain SQL written once here rather than ORM statements compiled on every audited write (issue #19); the hashing and
the order are :mod:`alongside.audit.log`'s.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast

from django.db import connection
from django.db.models import Field

from alongside.audit.models import AuditEvent

_COLUMNS = (
    "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id",
    "client_id", "request_id", "detail", "prev_hash", "hash", "key_id",
)  # fmt: skip


def head() -> tuple[int, str] | None:
    """Return the chain's last sequence number and hash (None when it is empty): SQLite, whose writers serialise on
    their immediate transactions.

    Plain SQL rather than the ORM: compiling the same query on every audited write cost about ten times as much
    as running it (issue #19).
    """
    with connection.cursor() as cursor:
        cursor.execute(_head_sql())
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else None


def try_head(lock_id: int) -> tuple[bool, tuple[int, str] | None, bool]:
    """Try the chain's advisory lock (PostgreSQL) without waiting; return (got it, the head, any unlinked events).

    One round trip: three statements sent as one simple query, each with its own snapshot, so the head and the
    unlinked tail are read once the lock is held and are the committed ones. When the lock is busy the other two
    answers are not used: the caller writes its events unlinked and whoever holds the lock next links them
    (:mod:`alongside.audit.log`). Before issue #19's chainer, writers waited for this lock, held from a writer's
    insert to its commit; under load every audited write in the database queued behind it.
    """
    table, seq_column = _quoted("seq")
    with connection.cursor() as cursor:
        # No parameters: psycopg sends the statements as one simple query; the constant is an int literal.
        tail = f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {seq_column} IS NULL)"  # noqa: S608  # nosec B608
        sql = f"SELECT pg_try_advisory_xact_lock({int(lock_id)}); {_head_sql()}; {tail}"
        cursor.execute(sql)
        got = bool(cursor.fetchone()[0])
        cursor.nextset()
        last = cursor.fetchone()
        cursor.nextset()
        unlinked = bool(cursor.fetchone()[0])
    return got, ((int(last[0]), str(last[1])) if last else None), unlinked


def link_postgresql(events: list[AuditEvent]) -> None:
    """Give unlinked rows their place in the chain: ``seq``, ``prev_hash``, ``hash`` and ``key_id``, set once.

    The append-only trigger allows exactly this update of a row whose ``seq`` is empty and refuses any other
    (migration 0008). A row linked meanwhile would not match; the count check turns that into an error.
    """
    table, seq_column = _quoted("seq")
    document = json.dumps(
        [{"id": e.pk, "seq": e.seq, "prev_hash": e.prev_hash, "hash": e.hash, "key_id": e.key_id} for e in events]
    )
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {table} AS a SET {seq_column} = r.seq, {quote('prev_hash')} = r.prev_hash, "  # noqa: S608  # nosec B608
        f"{quote('hash')} = r.hash, {quote('key_id')} = r.key_id "
        "FROM jsonb_to_recordset(%s::jsonb) AS r(id bigint, seq bigint, prev_hash text, hash text, key_id text) "
        f"WHERE a.{quote('id')} = r.id AND a.{seq_column} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])
        if cursor.rowcount != len(events):
            raise RuntimeError(f"linked {cursor.rowcount} of {len(events)} audit events: another writer linked some")


def _head_sql() -> str:
    table, seq_column = _quoted("seq")
    hash_column = connection.ops.quote_name(str(_field("hash").column))
    return (
        f"SELECT {seq_column}, {hash_column} FROM {table} "  # noqa: S608  # nosec B608
        f"WHERE {seq_column} IS NOT NULL ORDER BY {seq_column} DESC LIMIT 1"
    )


def _quoted(column: str) -> tuple[str, str]:
    """The table and one column, quoted (identifiers from the model: no user input in the SQL text)."""
    quote = connection.ops.quote_name
    return quote(AuditEvent._meta.db_table), quote(str(_field(column).column))


def _field(name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", AuditEvent._meta.get_field(name))


def _names() -> tuple[str, str]:
    """The table and its column list, quoted (identifiers from the model: no user input in the SQL text)."""
    quote = connection.ops.quote_name
    return quote(AuditEvent._meta.db_table), ", ".join(quote(str(_field(name).column)) for name in _COLUMNS)


def insert_postgresql(
    events: list[Any],
    *,
    at: datetime,
    actor_id: Any,
    actor_label: str,
    request_id: str,
    key_id: str,
    linked: bool = True,
) -> None:
    """Send the batch as one JSON document that PostgreSQL turns into rows (``jsonb_to_recordset``); with
    ``linked`` False, without their place in the chain (``seq`` empty, no hashes: :mod:`alongside.audit.chainer`).

    With one placeholder per value (``executemany``, or a multi-row ``VALUES``), psycopg spent most of a
    caseload view's audit time on the query text, about 25 ms for 200 events; the insert itself takes 2.
    """
    table, names = _names()
    shared = {
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": str(actor_id) if actor_id else None,
        "actor_label": actor_label,
        "request_id": request_id,
        "key_id": key_id,
    }
    document = json.dumps(
        [
            {
                **shared,
                "seq": e.seq if linked else None,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "client_id": e.client_text,
                "detail": e.detail,
                "prev_hash": e.prev_hash if linked else "",
                "hash": e.hash if linked else "",
            }
            for e in events
        ]
    )
    record = (
        "seq bigint, at timestamptz, actor_id uuid, actor_label text, action text, object_type text, "
        "object_id text, client_id uuid, request_id text, detail jsonb, prev_hash text, hash text, key_id text"
    )
    sql = f"INSERT INTO {table} ({names}) SELECT {names} FROM jsonb_to_recordset(%s::jsonb) AS r({record})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])


def insert_rows(
    events: list[Any],
    *,
    at: datetime,
    actor_id: Any,
    actor_label: str,
    request_id: str,
    key_id: str,
    per_statement: int,
) -> None:
    """Insert the batch with multi-row ``VALUES``, 500 rows per statement, converting shared values once."""
    at_db = _field("at").get_db_prep_save(at, connection)
    actor_db = _field("actor_id").get_db_prep_save(actor_id, connection)
    prep_client = _field("client_id").get_db_prep_save
    prep_detail = _field("detail").get_db_prep_save
    empty_detail = prep_detail({}, connection)
    rows = [
        (e.seq, at_db, actor_db, actor_label, e.action, e.object_type, e.object_id, prep_client(e.client_id, connection),
         request_id, prep_detail(e.detail, connection) if e.detail else empty_detail, e.prev_hash, e.hash, key_id)
        for e in events
    ]  # fmt: skip
    table, names = _names()
    row_marks = "({})".format(", ".join(["%s"] * len(_COLUMNS)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(chunk))}"  # noqa: S608  # nosec B608
            cursor.execute(sql, [value for row in chunk for value in row])
