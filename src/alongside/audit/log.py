"""Write the audit chain.

Every event's hash is an HMAC-SHA256, under a key derived from the master key, of its fields and the
previous event's hash: editing, deleting or reordering a row breaks the chain at that row, and writing a
valid event needs the key. ``key_id`` names the master key (events written before keyed hashing have none:
the legacy part, plain SHA-256, see :mod:`alongside.audit.verify`). Writers serialise on a lock (a PostgreSQL
advisory lock; SQLite's immediate transactions) so the chain has exactly one order and gap-free sequence
numbers. Inside a service the events are buffered and written as its last statements (:func:`deferred`), so
the lock is held from that insert to commit, not from the service's first audited statement. Signed checkpoints
of the head anchor the chain (:mod:`alongside.audit.checkpoints`).

Events hold ids, never names or email addresses: labels are resolved when displayed
(:mod:`alongside.audit.selectors`).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Model, TextChoices
from django.utils import timezone

from alongside.audit import checkpoints, rows
from alongside.audit.models import AuditEvent
from alongside.core.actor import AnyActor
from alongside.core.services import note_audited, register_late_audit
from alongside.crypto.keys import audit_chain_key, current_master_key, known_master_keys

GENESIS = "0" * 64
_ADVISORY_LOCK_ID = 0x41_4C_4F_4E_47  # "ALONG"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("alongside_request_id", default="")


def _canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: Any,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    client_id: Any,
    request_id: str,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """Return the bytes an event's hash covers: its fields as compact JSON with sorted keys, ASCII only.

    Exactly ``json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`` (a test holds the
    two equal), written out key by key: a caseload view hashes hundreds of events, and building a dict for each
    cost more than the hashing.
    """
    return _canonical_in(
        _Batch.of(at=at, actor_id=actor_id, actor_label=actor_label, request_id=request_id),
        seq=seq,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_text=str(client_id) if client_id else None,
        detail=detail,
        prev_hash=prev_hash,
    )


@dataclass(frozen=True)
class _Batch:
    """The fields every event of one :func:`record_many` call shares, already written as JSON."""

    actor_id: str
    actor_label: str
    at: str
    request_id: str

    @classmethod
    def of(cls, *, at: datetime, actor_id: Any, actor_label: str, request_id: str) -> _Batch:
        return cls(
            actor_id=_text(str(actor_id) if actor_id else None),
            actor_label=_text(actor_label),
            at=_text(at.astimezone(UTC).isoformat(timespec="microseconds")),
            request_id=_text(request_id),
        )


def _canonical_in(
    batch: _Batch,
    *,
    seq: int,
    action: str,
    object_type: str,
    object_id: str,
    client_text: str | None,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """:func:`_canonical` for one event of a batch (``client_text``: the client id as text, or None)."""
    return (
        f'{{"action":{_text(action)},"actor_id":{batch.actor_id},"actor_label":{batch.actor_label},"at":{batch.at},'
        f'"client_id":{_text(client_text)},'
        f'"detail":{"{}" if detail == {} else json.dumps(detail, sort_keys=True, separators=(",", ":"))},'
        f'"object_id":{_text(object_id)},"object_type":{_text(object_type)},"prev_hash":{_text(prev_hash)},'
        f'"request_id":{batch.request_id},"seq":{int(seq)}}}'
    ).encode()


def _text(value: str | None) -> str:
    """A string (or null) as JSON with non-ASCII escaped, as ``json.dumps(value, ensure_ascii=True)`` writes it."""
    return "null" if value is None else encode_basestring_ascii(value)


class UnknownChainKey(Exception):
    """An event is keyed under a master key that is not configured."""


# A keyed HMAC object per master key id, copied for each event: keying HMAC anew per event cost more than the hash.
_MACS: dict[str, hmac.HMAC] = {}
_CURRENT: tuple[str, str] = ("", "")  # (ALONGSIDE_MASTER_KEY as configured, its key id)


_CONFIGURED: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())  # (keys as configured, their ids)


def _mac(key_id: str) -> hmac.HMAC:
    """Return a fresh HMAC object keyed for events written under master key ``key_id``, if it is configured."""
    if key_id not in _configured_ids():
        raise UnknownChainKey(key_id)
    template = _MACS.get(key_id)
    if template is None:
        template = _MACS[key_id] = hmac.new(audit_chain_key(known_master_keys()[key_id]), digestmod=hashlib.sha256)
    return template.copy()


def _configured_ids() -> frozenset[str]:
    """The ids of the configured master keys, parsed again only when the settings change."""
    global _CONFIGURED
    from django.conf import settings

    raw = (settings.ALONGSIDE_MASTER_KEY, *settings.ALONGSIDE_OLD_MASTER_KEYS)
    if _CONFIGURED[0] != raw:
        _CONFIGURED = (raw, frozenset(known_master_keys()))
    return _CONFIGURED[1]


def _current_key_id() -> str:
    global _CURRENT
    from django.conf import settings

    raw = settings.ALONGSIDE_MASTER_KEY
    if _CURRENT[0] != raw:
        _CURRENT = (raw, current_master_key().key_id)
    return _CURRENT[1]


def compute_hash(event: AuditEvent) -> str:
    """Return the hash ``event`` should carry: the keyed HMAC, or plain SHA-256 for a legacy event (no key id).

    Raises :class:`UnknownChainKey` when the event's master key is not configured.
    """
    digest = _mac(event.key_id) if event.key_id else hashlib.sha256()
    digest.update(
        _canonical(
            seq=event.seq,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            client_id=event.client_id,
            request_id=event.request_id,
            detail=event.detail,
            prev_hash=event.prev_hash,
        )
    )
    return digest.hexdigest()


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
    """Link the calls' events to the chain's head under the chain lock and insert them (inside a transaction)."""
    seq, prev = _head(lock=connection.vendor == "postgresql")
    now = timezone.now()
    key_id = _current_key_id()
    template = _mac(key_id)
    insert = (
        rows.insert_postgresql
        if connection.vendor == "postgresql"
        else partial(rows.insert_rows, per_statement=_ROWS_PER_STATEMENT)
    )
    for call in calls:
        batch = _Batch.of(at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id)
        events = _link(call.entries, batch=batch, template=template, seq=seq, prev=prev)
        # Never a name or email address in actor_label: the log outlives erasure. Labels are resolved when displayed.
        insert(events, at=now, actor_id=call.actor_id, actor_label="", request_id=call.request_id, key_id=key_id)
        for event, written in zip(events, call.written, strict=True):
            written.seq, written.at, written.hash = event.seq, now, event.hash
        seq, prev = events[-1].seq, events[-1].hash
        note_audited(len(events))
    checkpoints.after_append(seq=seq, head=prev, at=now)


def _link(entries: list[Entry], *, batch: _Batch, template: hmac.HMAC, seq: int, prev: str) -> list[_Event]:
    """Number and hash ``entries`` after the event (``seq``, ``prev``)."""
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
        mac = template.copy()
        mac.update(
            _canonical_in(
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


def _head(*, lock: bool = False) -> tuple[int, str]:
    """Return the chain's last sequence number and hash (0 and the genesis hash when it is empty); with ``lock``
    (PostgreSQL), take the chain's lock in the same round trip (:func:`alongside.audit.rows.head`)."""
    return rows.head(lock_id=_ADVISORY_LOCK_ID if lock else None) or (0, GENESIS)


register_late_audit(deferred)
