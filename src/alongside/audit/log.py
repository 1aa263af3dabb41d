"""Write the audit chain.

Every event's hash is an HMAC-SHA256, under a key derived from the master key, of its fields and the
previous event's hash: editing, deleting or reordering a row breaks the chain at that row, and writing a
valid event needs the key. ``key_id`` names the master key (events written before keyed hashing have none:
the legacy part, plain SHA-256, see :mod:`alongside.audit.verify`). Writers serialise on a lock (a PostgreSQL
advisory lock; SQLite's immediate transactions) so the chain has exactly one order and gap-free sequence
numbers. Signed checkpoints of the head anchor the chain (:mod:`alongside.audit.checkpoints`).

Events hold ids, never names or email addresses: labels are resolved when displayed
(:mod:`alongside.audit.selectors`).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple, cast

from django.db import connection, transaction
from django.db.models import Field, Model, TextChoices
from django.utils import timezone

from alongside.audit import checkpoints
from alongside.audit.models import AuditEvent
from alongside.core.actor import AnyActor
from alongside.core.services import note_audited
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


@dataclass(frozen=True)
class Written:
    """What :func:`record_many` appended for one entry: its place in the chain and its hash."""

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


_COLUMNS = (
    "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id",
    "client_id", "request_id", "detail", "prev_hash", "hash", "key_id",
)  # fmt: skip


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


def record_many(entries: list[Entry], *, actor: AnyActor = None) -> list[Written]:
    """Append several events by one actor in one locked step and one INSERT (lists, bulk reads).

    Events go to the database without a model instance each: a caseload view audits hundreds of clients,
    and ``bulk_create`` (or even building ``AuditEvent`` objects) cost more than the insert. Values shared by
    the batch (time, actor, request) are written once; the hash covers the same values as
    :func:`compute_hash` reads back from a stored event (``audit verify`` checks that).
    """
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    # Never a name or email address: the log outlives erasure. Labels are resolved when displayed.
    actor_label = ""
    if not entries:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq = last["seq"] if last else 0
        prev = last["hash"] if last else GENESIS
        now = timezone.now()
        request_id = request_id_var.get()
        batch = _Batch.of(at=now, actor_id=actor_id, actor_label=actor_label, request_id=request_id)
        key_id = _current_key_id()
        template = _mac(key_id)
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
        insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_rows
        insert(events, at=now, actor_id=actor_id, actor_label=actor_label, request_id=request_id, key_id=key_id)
        checkpoints.after_append(seq=seq, head=prev, at=now)
        note_audited(len(events))
    return [Written(seq=e.seq, at=now, request_id=request_id, hash=e.hash) for e in events]


# Rows per INSERT statement: 13 parameters each stays far below SQLite's limit of 32,766.
_ROWS_PER_STATEMENT = 500


def _field(name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", AuditEvent._meta.get_field(name))


def _names() -> tuple[str, str]:
    """The table and its column list, quoted (identifiers from the model: no user input in the SQL text)."""
    quote = connection.ops.quote_name
    return quote(AuditEvent._meta.db_table), ", ".join(quote(str(_field(name).column)) for name in _COLUMNS)


def _insert_postgresql(
    events: list[_Event], *, at: datetime, actor_id: Any, actor_label: str, request_id: str, key_id: str
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


def _insert_rows(
    events: list[_Event], *, at: datetime, actor_id: Any, actor_label: str, request_id: str, key_id: str
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
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(chunk))}"  # noqa: S608  # nosec B608
            cursor.execute(sql, [value for row in chunk for value in row])
