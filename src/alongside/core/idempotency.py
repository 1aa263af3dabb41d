"""One idempotency mechanism for every write that takes a caller's key.

A write that takes an idempotency key calls :func:`remember` in its own transaction, and,
before it replays an object saved earlier under the same key, :func:`replay_check`. The same
key with the same body replays; the same key with another body raises
:class:`IdempotencyConflict` (the API answers 409).

The fingerprint is an HMAC-SHA-256 keyed with ``SECRET_KEY`` (earlier keys in
``SECRET_KEY_FALLBACKS`` still match), not a bare SHA-256: many bodies come from a small set
(a mood from 1 to 10, a questionnaire's answers), and a bare hash of them could be reversed
by trying every possibility.

Keys saved before fingerprints existed have no record. For them the caller says what it can
check cheaply against the stored object (``legacy``): the questionnaire, the exercise type,
the conversation. Anything else is accepted as before.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from alongside.core.models import IdempotencyRecord

_SALT = "alongside.core.idempotency"


class IdempotencyConflict(ValidationError):
    """The key was used before with a different request body; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This idempotency key was already used for a different request. "
                "Nothing was saved: send a new request with a new key."
            ),
            code="idempotency_conflict",
        )


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} cannot be part of an idempotency fingerprint.")


def canonical(payload: Mapping[str, Any]) -> str:
    """Return the payload as canonical JSON: sorted keys, no spaces, UUIDs, decimals and dates as text."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def body_hash(payload: Mapping[str, Any], *, secret: str | None = None) -> str:
    """Return the keyed SHA-256 fingerprint (64 hex digits) of ``payload``."""
    return salted_hmac(_SALT, canonical(payload), secret=secret, algorithm="sha256").hexdigest()


def _matches(stored: str, payload: Mapping[str, Any]) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(stored, body_hash(payload, secret=s)) for s in secrets)


def replay_check(
    *,
    user_id: Any,
    scope: str,
    key: str,
    payload: Mapping[str, Any],
    legacy: Callable[[], bool] | None = None,
) -> None:
    """Raise :class:`IdempotencyConflict` unless ``payload`` is the body first sent with this key.

    Without a record (a key saved before fingerprints), ``legacy()`` decides; no ``legacy`` accepts.
    """
    stored = (
        IdempotencyRecord.objects.filter(user_id=user_id, scope=scope, key=key)
        .values_list("body_hash", flat=True)
        .first()
    )
    if stored is not None:
        if not _matches(stored, payload):
            raise IdempotencyConflict()
    elif legacy is not None and not legacy():
        raise IdempotencyConflict()


def remember(*, user_id: Any, scope: str, key: str, payload: Mapping[str, Any]) -> None:
    """Record the key with the fingerprint of ``payload``; call it inside the write's transaction.

    A record left by an object that no longer exists (erased) is replaced by the new one.
    """
    # One INSERT ... ON CONFLICT DO UPDATE (both databases) rather than update_or_create's savepoints, SELECT
    # and INSERT: six statements on every audited write with a key (issue #19). Written out rather than through
    # bulk_create, whose query building cost several times the statement on every check-in.
    meta = IdempotencyRecord._meta
    quote = connection.ops.quote_name
    names = ("user", "scope", "key", "body_hash", "created_at")
    fields = [meta.get_field(name) for name in names]
    columns = [quote(str(getattr(field, "column", name))) for field, name in zip(fields, names, strict=True)]
    values = (user_id, scope, key, body_hash(payload), timezone.now())
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]  # type: ignore[union-attr]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({', '.join(columns[:3])}) DO UPDATE SET "
        f"{columns[3]} = EXCLUDED.{columns[3]}, {columns[4]} = EXCLUDED.{columns[4]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
