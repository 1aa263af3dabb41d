"""The audit chain's SQL: its head (with the chain's lock on PostgreSQL) and the inserts of a batch of events.

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


def head(*, lock_id: int | None = None) -> tuple[int, str] | None:
    """Return the chain's last sequence number and hash (None when it is empty).

    Plain SQL rather than the ORM: compiling the same query on every audited write cost about ten times as much
    as running it (issue #19). With ``lock_id`` (PostgreSQL), the chain's advisory lock is taken in the same round
    trip, as a first statement of one simple query: the head is read by the second statement, whose snapshot is
    taken once the lock is held, so it is the committed head. Under load, every round trip made while holding the
    lock also waits for the interpreter (the process's other request threads hold it), and the lock was held over
    three of them; every audited write in the database queued behind that (issue #19, bench/README.md).
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    seq_column, hash_column = (connection.ops.quote_name(str(_field(name).column)) for name in ("seq", "hash"))
    sql = f"SELECT {seq_column}, {hash_column} FROM {table} ORDER BY {seq_column} DESC LIMIT 1"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        if lock_id is not None:
            # No parameters: psycopg sends both statements as one simple query; the constant is an int literal.
            cursor.execute(f"SELECT pg_advisory_xact_lock({int(lock_id)}); {sql}")
            cursor.nextset()
        else:
            cursor.execute(sql)
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else None


def _field(name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", AuditEvent._meta.get_field(name))


def _names() -> tuple[str, str]:
    """The table and its column list, quoted (identifiers from the model: no user input in the SQL text)."""
    quote = connection.ops.quote_name
    return quote(AuditEvent._meta.db_table), ", ".join(quote(str(_field(name).column)) for name in _COLUMNS)


def insert_postgresql(
    events: list[Any], *, at: datetime, actor_id: Any, actor_label: str, request_id: str, key_id: str
) -> None:
    """Send the batch as one JSON document that PostgreSQL turns into rows (``jsonb_to_recordset``).

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
                "seq": e.seq,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "client_id": e.client_text,
                "detail": e.detail,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
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
