"""The audit chain's hashes: the bytes an event's hash covers and the keyed HMAC over them.

Every event's hash is an HMAC-SHA256, under a key derived from the master key, of its fields and the previous
event's hash; ``key_id`` names the master key (legacy events carry plain SHA-256 and no key id). Writing
(:mod:`alongside.audit.log`), linking events written unlinked (:mod:`alongside.audit.chainer`) and checking
(:mod:`alongside.audit.verify`) all hash through here, so the three agree by construction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii
from typing import Any

from alongside.audit.models import AuditEvent
from alongside.crypto.keys import audit_chain_key, current_master_key, known_master_keys

GENESIS = "0" * 64


def canonical(
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
    return canonical_in(
        Batch.of(at=at, actor_id=actor_id, actor_label=actor_label, request_id=request_id),
        seq=seq,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_text=str(client_id) if client_id else None,
        detail=detail,
        prev_hash=prev_hash,
    )


@dataclass(frozen=True)
class Batch:
    """The fields every event of one :func:`alongside.audit.log.record_many` call shares, already written as JSON."""

    actor_id: str
    actor_label: str
    at: str
    request_id: str

    @classmethod
    def of(cls, *, at: datetime, actor_id: Any, actor_label: str, request_id: str) -> Batch:
        return cls(
            actor_id=text(str(actor_id) if actor_id else None),
            actor_label=text(actor_label),
            at=text(at.astimezone(UTC).isoformat(timespec="microseconds")),
            request_id=text(request_id),
        )


def canonical_in(
    batch: Batch,
    *,
    seq: int,
    action: str,
    object_type: str,
    object_id: str,
    client_text: str | None,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """:func:`canonical` for one event of a batch (``client_text``: the client id as text, or None)."""
    return (
        f'{{"action":{text(action)},"actor_id":{batch.actor_id},"actor_label":{batch.actor_label},"at":{batch.at},'
        f'"client_id":{text(client_text)},'
        f'"detail":{"{}" if detail == {} else json.dumps(detail, sort_keys=True, separators=(",", ":"))},'
        f'"object_id":{text(object_id)},"object_type":{text(object_type)},"prev_hash":{text(prev_hash)},'
        f'"request_id":{batch.request_id},"seq":{int(seq)}}}'
    ).encode()


def text(value: str | None) -> str:
    """A string (or null) as JSON with non-ASCII escaped, as ``json.dumps(value, ensure_ascii=True)`` writes it."""
    return "null" if value is None else encode_basestring_ascii(value)


class UnknownChainKey(Exception):
    """An event is keyed under a master key that is not configured."""


# A keyed HMAC object per master key id, copied for each event: keying HMAC anew per event cost more than the hash.
_MACS: dict[str, hmac.HMAC] = {}
_CURRENT: tuple[str, str] = ("", "")  # (ALONGSIDE_MASTER_KEY as configured, its key id)


_CONFIGURED: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())  # (keys as configured, their ids)


def mac_for(key_id: str) -> hmac.HMAC:
    """Return a fresh HMAC object keyed for events written under master key ``key_id``, if it is configured."""
    if key_id not in configured_ids():
        raise UnknownChainKey(key_id)
    template = _MACS.get(key_id)
    if template is None:
        template = _MACS[key_id] = hmac.new(audit_chain_key(known_master_keys()[key_id]), digestmod=hashlib.sha256)
    return template.copy()


def configured_ids() -> frozenset[str]:
    """The ids of the configured master keys, parsed again only when the settings change."""
    global _CONFIGURED
    from django.conf import settings

    raw = (settings.ALONGSIDE_MASTER_KEY, *settings.ALONGSIDE_OLD_MASTER_KEYS)
    if _CONFIGURED[0] != raw:
        _CONFIGURED = (raw, frozenset(known_master_keys()))
    return _CONFIGURED[1]


def current_key_id() -> str:
    global _CURRENT
    from django.conf import settings

    raw = settings.ALONGSIDE_MASTER_KEY
    if _CURRENT[0] != raw:
        _CURRENT = (raw, current_master_key().key_id)
    return _CURRENT[1]


def compute_hash(event: AuditEvent) -> str:
    """Return the hash ``event`` should carry: the keyed HMAC, or plain SHA-256 for a legacy event (no key id).

    Raises :class:`UnknownChainKey` when the event's master key is not configured, and ValueError for an event
    not linked into the chain yet (it has no place to hash).
    """
    if event.seq is None:
        raise ValueError("an unlinked audit event has no hash yet")
    digest = mac_for(event.key_id) if event.key_id else hashlib.sha256()
    digest.update(
        canonical(
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
