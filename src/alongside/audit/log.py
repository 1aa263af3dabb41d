"""Write the audit chain.

Every event's hash is an HMAC-SHA256, under a key derived from the master key, of its fields and the
previous event's hash (:mod:`alongside.audit.hashing`): editing, deleting or reordering a row breaks the chain at
that row, and writing a valid event needs the key. Events are linked to the chain under a lock (SQLite's immediate
transactions; on PostgreSQL an advisory lock that writers only try: one that does not get it inserts its events
unlinked and does not wait, and the holder links them, see :mod:`alongside.audit.chainer`), so the chain has
exactly one order and gap-free sequence numbers. Inside a service the events are buffered and written as its last
statements (:func:`deferred`), so the lock is held from that insert to commit, not from the service's first audited
statement. Signed checkpoints of the head anchor the chain (:mod:`alongside.audit.checkpoints`).

Events hold ids, never names or email addresses: labels are resolved when displayed
(:mod:`alongside.audit.selectors`).
"""

from __future__ import annotations

import contextlib
import contextvars
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Model, TextChoices
from django.utils import timezone

from alongside.audit import chainer, checkpoints, rows
from alongside.audit.hashing import GENESIS, Batch, canonical_in, current_key_id, mac_for
from alongside.audit.models import AuditEvent
from alongside.core.actor import AnyActor
from alongside.core.services import note_audited, register_late_audit

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("alongside_request_id", default="")


@dataclass(frozen=True)
class Entry:
    """One event to append with :func:`record_many` (``action``: a member of any app's audit action choices)."""

    action: TextChoices
    obj: Model | None = None
    client_id: uuid.UUID | str | None = None
    detail: dict[str, Any] | None = None


@dataclass
class Written:
    """What :func:`record_many` appended for one entry: its place in the chain and its hash (filled in when a
    service's buffered events are written, see :func:`deferred`)."""

    seq: int
    at: datetime
    request_id: str
    hash: str


def record(
    action: TextChoices,
    *,
    actor: AnyActor = None,
    obj: Model | None = None,
    client_id: uuid.UUID | str | None = None,
    detail: dict[str, Any] | None = None,
) -> Written:
    """Append an event to the chain, inside the caller's transaction if there is one.

    ``action`` is a member of any app's audit action choices (registered with
    :func:`alongside.audit.models.register_actions`). ``detail`` must hold identifiers and labels only, never client
    data.
    """
    return record_many([Entry(action=action, obj=obj, client_id=client_id, detail=detail)], actor=actor)[0]


class _Event(NamedTuple):
    """One event of a batch as :func:`record_many` hashed it, before conversion for the database."""

    seq: int
    action: str
    object_type: str
    object_id: str
    client_id: Any
    client_text: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class _Call(NamedTuple):
    """One :func:`record_many` call: its entries, actor and request, and where the caller's events go back."""

    entries: list[Entry]
    actor_id: Any
    request_id: str
    written: list[Written]
    # A no-op on-commit callback registered when the call was buffered: Django drops it when the savepoint it was
    # registered under rolls back, and so the buffered events of a rolled-back block are dropped with it.
    marker: Any = None


_PENDING = "alongside_audit_pending"  # the connection's buffer while an outermost service runs (None otherwise)


def record_many(entries: list[Entry], *, actor: AnyActor = None) -> list[Written]:
    """Append several events by one actor in one locked step and one INSERT (lists, bulk reads).

    Inside a service (:func:`deferred`) the events are buffered on the connection and written, in the order they
    were recorded, as the service's last statements before commit: the chain's lock is held from there to commit
    only. The returned :class:`Written` then get their ``seq`` and ``hash`` when the service ends.
    """
    if not entries:
        return []
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    written = [Written(seq=0, at=timezone.now(), request_id=request_id_var.get(), hash="") for _ in entries]
    call = _Call(list(entries), actor_id, request_id_var.get(), written)
    pending: list[_Call] | None = getattr(connection, _PENDING, None)
    if pending is not None and connection.in_atomic_block:
        marker = _marker()
        transaction.on_commit(marker)
        pending.append(call._replace(marker=marker))
        note_audited(len(entries))
        return written
    collecting: tuple[int, list[_Call]] | None = getattr(connection, _COLLECTED, None)
    if collecting is not None and len(connection.atomic_blocks) == collecting[0]:
        collecting[1].append(call)
        note_audited(len(entries))
        return written
    with transaction.atomic():
        _append([call])
    return written


_COLLECTED = "alongside_audit_collected"  # the connection's list of calls while a page collects its reads' events


@contextlib.contextmanager
def collected() -> Iterator[None]:
    """Write the events recorded outside any transaction inside the block in one locked step when it ends.

    For a page that audits several reads (the session brief wrote four events in four transactions, each with its
    chain-head read): one transaction and one INSERT per actor and request. The events are written however the
    block ends, since the reads they record happened; the returned :class:`Written` get their ``seq`` and
    ``hash`` then. Events recorded inside a transaction opened within the block (a service) are written as usual;
    a block entered inside a transaction writes its events in that transaction.
    """
    if getattr(connection, _COLLECTED, None) is not None:
        yield
        return
    calls: list[_Call] = []
    setattr(connection, _COLLECTED, (len(connection.atomic_blocks), calls))
    try:
        yield
    finally:
        setattr(connection, _COLLECTED, None)
        merged: list[_Call] = []
        for call in calls:
            last = merged[-1] if merged else None
            if last is not None and (last.actor_id, last.request_id) == (call.actor_id, call.request_id):
                merged[-1] = last._replace(entries=last.entries + call.entries, written=last.written + call.written)
            else:
                merged.append(call._replace(entries=list(call.entries), written=list(call.written)))
        if merged:
            with transaction.atomic():
                _append(merged)


def _marker() -> Any:
    def buffered_audit_events() -> None:
        """Nothing to do at commit: this callback only marks a savepoint's buffered events (see :class:`_Call`)."""

    return buffered_audit_events


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Buffer the events recorded inside the block and write them when it ends without an error.

    :func:`alongside.core.services.service` wraps an outermost service in this, inside its transaction. A query
    that reads the audit table inside the block writes the buffer first, so code sees its own events.
    """
    if getattr(connection, _PENDING, None) is not None:
        yield
        return
    setattr(connection, _PENDING, [])
    try:
        with connection.execute_wrapper(_flush_before_audit_reads):
            yield
        flush()
    finally:
        setattr(connection, _PENDING, None)


def flush() -> None:
    """Write the buffered events of calls whose savepoints did not roll back (a no-op when nothing is buffered)."""
    pending: list[_Call] | None = getattr(connection, _PENDING, None)
    if not pending:
        return
    setattr(connection, _PENDING, [])  # before writing: the writer's own queries read the audit table
    markers = {call.marker for call in pending}
    alive = {item[1] for item in connection.run_on_commit if item[1] in markers}
    connection.run_on_commit = [item for item in connection.run_on_commit if item[1] not in markers]
    calls = [call for call in pending if call.marker in alive]
    if calls:
        _append(calls)


def _flush_before_audit_reads(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    if getattr(connection, _PENDING, None) and AuditEvent._meta.db_table in str(sql):
        flush()
    return execute(sql, params, many, context)


def _append(calls: list[_Call]) -> None:
    """Link the calls' events to the chain's head under the chain lock and insert them (inside a transaction).

    On PostgreSQL the lock is only tried: when another writer holds it, the events are inserted unlinked (no
    ``seq`` or hash yet) and the holder, the next writer to get the lock or ``alongside worker``'s chainer links
    them (:func:`alongside.audit.chainer.chain_tail`). A writer that gets the lock first links the committed unlinked events, oldest
    first, then its own.
    """
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        got, last, tail = rows.try_head(chainer.ADVISORY_LOCK_ID)
        seq, prev = last or (0, GENESIS)
        if not got:
            _insert_unlinked(calls)
            return
        if tail:
            seq, prev = chainer.link_tail(seq, prev)
    else:
        seq, prev = rows.head() or (0, GENESIS)
    now = timezone.now()
    key_id = current_key_id()
    template = mac_for(key_id)
    insert = rows.insert_postgresql if postgresql else partial(rows.insert_rows, per_statement=_ROWS_PER_STATEMENT)
    for call in calls:
        batch = Batch.of(at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id)
        events = _link(call.entries, batch=batch, template=template, seq=seq, prev=prev)
        # Never a name or email address in actor_label: the log outlives erasure. Labels are resolved when displayed.
        insert(events, at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id, key_id=key_id)
        for event, written in zip(events, call.written, strict=True):
            written.seq, written.at, written.hash = event.seq, now, event.hash
        seq, prev = events[-1].seq, events[-1].hash
        note_audited(len(events))
    checkpoints.after_append(seq=seq, head=prev, at=now)


def _insert_unlinked(calls: list[_Call]) -> None:
    """Insert the calls' events without a place in the chain (PostgreSQL, the chain's lock busy): their
    :class:`Written` keep ``seq`` 0 and an empty hash."""
    now = timezone.now()
    for call in calls:
        batch = Batch.of(at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id)
        events = _link(call.entries, batch=batch, seq=0, prev="")
        rows.insert_postgresql(
            events, at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id, key_id="", linked=False
        )
        for written in call.written:
            written.at = now
        note_audited(len(events))


def _link(
    entries: list[Entry], *, batch: Batch, seq: int, prev: str, template: hmac.HMAC | None = None
) -> list[_Event]:
    """Number and hash ``entries`` after the event (``seq``, ``prev``); without ``template``, convert only."""
    events: list[_Event] = []
    for entry in entries:
        seq += 1
        # Round-trip through JSON so the hash covers exactly what the database stores.
        detail = json.loads(json.dumps(entry.detail, default=str)) if entry.detail else {}
        action = str(entry.action)
        object_type = entry.obj._meta.label_lower if entry.obj is not None else ""
        object_id = str(entry.obj.pk) if entry.obj is not None else ""
        client_id = entry.client_id or None
        # A listed client is both the object and the client: write its id as text once.
        client_text = (
            object_id
            if client_id is not None and entry.obj is not None and client_id == entry.obj.pk
            else (str(client_id) if client_id else None)
        )
        if template is None:
            events.append(_Event(seq, action, object_type, object_id, client_id, client_text, detail, prev, ""))
            continue
        mac = template.copy()
        mac.update(
            canonical_in(
                batch,
                seq=seq,
                action=action,
                object_type=object_type,
                object_id=object_id,
                client_text=client_text,
                detail=detail,
                prev_hash=prev,
            )
        )
        digest = mac.hexdigest()
        events.append(_Event(seq, action, object_type, object_id, client_id, client_text, detail, prev, digest))
        prev = digest
    return events


# Rows per INSERT statement: 13 parameters each stays far below SQLite's limit of 32,766.
_ROWS_PER_STATEMENT = 500


register_late_audit(deferred)
