"""The shared idempotency mechanism: canonical fingerprints, replay checks, legacy keys and key rotation."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation

from alongside.core import idempotency
from alongside.core.models import IdempotencyRecord
from tests import factories

pytestmark = pytest.mark.django_db


def _user():
    return factories.world().sam.user


def test_the_fingerprint_ignores_key_order_and_spells_values_one_way():
    """Two payloads that differ only in key order or in how a UUID, decimal or date is held give one fingerprint."""
    pk = uuid.uuid4()
    one = {"b": Decimal("7.5"), "a": pk, "when": dt.date(2026, 1, 2), "tags": {"x", "y"}}
    two = {"tags": {"y", "x"}, "when": dt.date(2026, 1, 2), "a": str(pk), "b": "7.5"}
    assert idempotency.canonical(one) == idempotency.canonical(two)
    assert idempotency.body_hash(one) == idempotency.body_hash(two)
    assert idempotency.body_hash({"mood": 6}) != idempotency.body_hash({"mood": 7})


def test_the_fingerprint_is_keyed_so_small_bodies_cannot_be_reversed_by_trying_every_value():
    """The stored fingerprint is not the bare SHA-256 of the body, and changes with the secret key."""
    import hashlib

    body = {"mood": 6}
    assert idempotency.body_hash(body) != hashlib.sha256(idempotency.canonical(body).encode()).hexdigest()
    assert idempotency.body_hash(body, secret="another-secret-key-" + "y" * 40) != idempotency.body_hash(body)


def test_the_same_body_replays_and_another_body_conflicts():
    """After remember(), the same payload passes replay_check and a different one raises IdempotencyConflict."""
    user = _user()
    idempotency.remember(user_id=user.pk, scope="tests.thing", key="key-0001", payload={"mood": 6})
    idempotency.replay_check(user_id=user.pk, scope="tests.thing", key="key-0001", payload={"mood": 6})
    with pytest.raises(idempotency.IdempotencyConflict):
        idempotency.replay_check(user_id=user.pk, scope="tests.thing", key="key-0001", payload={"mood": 7})
    # Another scope or another owner is another key space.
    idempotency.replay_check(user_id=user.pk, scope="tests.other", key="key-0001", payload={"mood": 7})


def test_a_key_without_a_record_is_judged_by_the_callers_legacy_check():
    """A key saved before fingerprints passes unless the caller's cheap check of the stored object disagrees."""
    user = _user()
    idempotency.replay_check(user_id=user.pk, scope="tests.thing", key="old-key-01", payload={"a": 1})
    idempotency.replay_check(
        user_id=user.pk, scope="tests.thing", key="old-key-01", payload={"a": 1}, legacy=lambda: True
    )
    with pytest.raises(idempotency.IdempotencyConflict):
        idempotency.replay_check(
            user_id=user.pk, scope="tests.thing", key="old-key-01", payload={"a": 1}, legacy=lambda: False
        )


def test_fingerprints_made_under_an_earlier_secret_key_still_match():
    """After SECRET_KEY rotation, a retry of a request made under the old key (now a fallback) still replays."""
    user = _user()
    old, new = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40
    with override_settings(SECRET_KEY=old):
        idempotency.remember(user_id=user.pk, scope="tests.thing", key="rotate-01", payload={"a": 1})
    with override_settings(SECRET_KEY=new, SECRET_KEY_FALLBACKS=[old]):
        idempotency.replay_check(user_id=user.pk, scope="tests.thing", key="rotate-01", payload={"a": 1})
        with pytest.raises(idempotency.IdempotencyConflict):
            idempotency.replay_check(user_id=user.pk, scope="tests.thing", key="rotate-01", payload={"a": 2})


def test_one_record_per_owner_scope_and_key_and_never_an_empty_scope():
    """The table itself refuses a second record for one (owner, scope, key), and a record without a scope."""
    user = _user()
    IdempotencyRecord.objects.create(user=user, scope="tests.thing", key="dup-key-01", body_hash="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(user=user, scope="tests.thing", key="dup-key-01", body_hash="1" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(user=user, scope="", key="dup-key-02", body_hash="1" * 64)


def test_the_conflict_message_is_translated():
    """The 409 message reads in Spanish for a Spanish-speaking client."""
    with translation.override("es"):
        message = idempotency.IdempotencyConflict().messages[0]
    assert "clave" in message
    assert "already used" not in message
