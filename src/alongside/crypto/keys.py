"""Envelope encryption: master keys wrap per-person data keys, data keys seal fields.

AES-256-GCM comes from ``cryptography``; only the envelope bookkeeping is ours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

NONCE_BYTES = 12
TOKEN_PREFIX = "v1:"
_CACHE_SECONDS = 300


class KeyProblem(Exception):
    """Base class for key problems, each with a message an operator can act on."""


class UnknownMasterKey(KeyProblem):
    """A data key is wrapped by a master key that is not configured."""


class CorruptKey(KeyProblem):
    """A wrapped data key does not unwrap: it was altered or the master key is wrong."""


class DataKeyDestroyed(KeyProblem):
    """The person's data key was destroyed on erasure; their ciphertext is unreadable."""


class DecryptionFailed(KeyProblem):
    """A sealed value does not open: it was altered or moved to another row or field."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    secret: bytes


def parse_master_key(raw: str, *, name: str = "ALONGSIDE_MASTER_KEY") -> MasterKey:
    """Parse a base64-encoded 32-byte master key, with a clear message when it is not one."""
    try:
        secret = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(
            f"{name} is not valid base64. Generate one with `alongside keys generate`."
        ) from None
    if len(secret) != 32:
        raise ImproperlyConfigured(
            f"{name} must decode to 32 bytes (AES-256); it decodes to {len(secret)}. "
            "Generate one with `alongside keys generate`."
        )
    return MasterKey(key_id=hashlib.sha256(secret).hexdigest()[:16], secret=secret)


def current_master_key() -> MasterKey:
    return parse_master_key(settings.ALONGSIDE_MASTER_KEY)


def known_master_keys() -> dict[str, MasterKey]:
    keys = {}
    for index, raw in enumerate(settings.ALONGSIDE_OLD_MASTER_KEYS):
        key = parse_master_key(raw, name=f"ALONGSIDE_OLD_MASTER_KEYS[{index}]")
        keys[key.key_id] = key
    current = current_master_key()
    keys[current.key_id] = current
    return keys


def generate_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _wrap_aad(owner_id: uuid.UUID) -> bytes:
    return b"alongside-datakey|" + str(owner_id).encode()


def wrap(data_key: bytes, owner_id: uuid.UUID, master: MasterKey) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master.secret).encrypt(nonce, data_key, _wrap_aad(owner_id))


def unwrap(wrapped: bytes | memoryview, owner_id: uuid.UUID, master_key_id: str) -> bytes:
    master = known_master_keys().get(master_key_id)
    if master is None:
        raise UnknownMasterKey(
            f"The data key of {owner_id} is wrapped by master key {master_key_id}, which is not "
            "configured. Put that key in ALONGSIDE_MASTER_KEY or ALONGSIDE_OLD_MASTER_KEYS."
        )
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master.secret).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(owner_id))
    except (InvalidTag, ValueError):
        raise CorruptKey(
            f"The wrapped data key of {owner_id} does not unwrap under master key {master_key_id}: "
            "the stored key was altered or damaged. Restore it from a backup."
        ) from None


class _KeyCache:
    """Unwrapped data keys, per process, for a few minutes; cleared on erasure and rotation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[uuid.UUID, tuple[bytes, float]] = {}

    def get(self, owner_id: uuid.UUID) -> bytes | None:
        with self._lock:
            hit = self._keys.get(owner_id)
            if hit is None or hit[1] < time.monotonic():
                self._keys.pop(owner_id, None)
                return None
            return hit[0]

    def put(self, owner_id: uuid.UUID, key: bytes) -> None:
        with self._lock:
            self._keys[owner_id] = (key, time.monotonic() + _CACHE_SECONDS)

    def forget(self, owner_id: uuid.UUID | None = None) -> None:
        with self._lock:
            if owner_id is None:
                self._keys.clear()
            else:
                self._keys.pop(owner_id, None)


cache = _KeyCache()


def _as_uuid(owner_id: uuid.UUID | str) -> uuid.UUID:
    return owner_id if isinstance(owner_id, uuid.UUID) else uuid.UUID(str(owner_id))


def data_key(owner_id: uuid.UUID | str, *, create: bool) -> bytes:
    """Return the unwrapped data key of ``owner_id``, creating one if asked."""
    from alongside.crypto.models import DataKey

    owner = _as_uuid(owner_id)
    hit = cache.get(owner)
    if hit is not None:
        return hit
    row = DataKey.objects.filter(owner_id=owner).first()
    if row is None:
        if not create:
            raise DataKeyDestroyed(f"There is no data key for {owner}: it was destroyed on erasure.")
        master = current_master_key()
        key = AESGCM.generate_key(bit_length=256)
        try:
            with transaction.atomic():
                DataKey.objects.create(
                    owner_id=owner, wrapped_key=wrap(key, owner, master), master_key_id=master.key_id
                )
        except IntegrityError:
            # Another request created it first; use theirs.
            row = DataKey.objects.get(owner_id=owner)
        else:
            cache.put(owner, key)
            return key
    key = unwrap(row.wrapped_key, owner, row.master_key_id)
    cache.put(owner, key)
    return key


def seal(plaintext: bytes, *, owner_id: uuid.UUID | str, context: str) -> str:
    """Encrypt ``plaintext`` under the owner's data key, bound to ``context``."""
    key = data_key(owner_id, create=True)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, context.encode())
    return TOKEN_PREFIX + base64.b64encode(nonce + sealed).decode()


def open_sealed(token: str, *, owner_id: uuid.UUID | str, context: str) -> bytes:
    """Decrypt a token made by :func:`seal` for the same owner and context."""
    if not token.startswith(TOKEN_PREFIX):
        raise DecryptionFailed(f"The value stored for {context} is not a sealed token.")
    try:
        raw = base64.b64decode(token[len(TOKEN_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionFailed(f"The value stored for {context} is damaged.") from None
    key = data_key(owner_id, create=False)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError):
        raise DecryptionFailed(
            f"The value stored for {context} does not open: it was altered, or copied from another row or field."
        ) from None


def rotate_master_key(*, batch_size: int = 500, on_batch: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Re-wrap every data key not wrapped by the current master key.

    Runs in small batches, each its own transaction, so the application keeps
    serving (it can unwrap under either key) while rotation proceeds; an
    interrupted rotation simply resumes. ``on_batch`` is called with the running
    total after each batch. Returns (rewrapped, already current).
    """
    from alongside.crypto.models import DataKey

    master = current_master_key()
    rewrapped = 0
    while True:
        with transaction.atomic():
            batch = list(DataKey.objects.exclude(master_key_id=master.key_id).select_for_update()[:batch_size])
            if not batch:
                break
            for row in batch:
                key = unwrap(row.wrapped_key, row.owner_id, row.master_key_id)
                row.wrapped_key = wrap(key, row.owner_id, master)
                row.master_key_id = master.key_id
                row.rewrapped_at = timezone.now()
            DataKey.objects.bulk_update(batch, ["wrapped_key", "master_key_id", "rewrapped_at"])
            rewrapped += len(batch)
        if on_batch is not None:
            on_batch(rewrapped)
    current = DataKey.objects.filter(master_key_id=master.key_id).count() - rewrapped
    return rewrapped, current


def destroy_data_key(owner_id: uuid.UUID | str) -> bool:
    """Overwrite and delete the owner's data key. Returns whether one existed."""
    from alongside.crypto.models import DataKey

    owner = _as_uuid(owner_id)
    cache.forget(owner)
    rows = DataKey.objects.filter(owner_id=owner)
    existed = rows.exists()
    rows.update(wrapped_key=os.urandom(60), master_key_id="destroyed")
    rows.delete()
    cache.forget(owner)
    return existed


@dataclass(frozen=True)
class KeyCheck:
    """The outcome of checking every stored data key."""

    total: int
    on_old_master: int
    problems: list[KeyProblem]


def check_data_keys(*, batch_size: int = 1000) -> KeyCheck:
    """Unwrap every stored data key without caching it; collect the problems found."""
    from alongside.crypto.models import DataKey

    current = current_master_key()
    known = known_master_keys()
    total = on_old = 0
    problems: list[KeyProblem] = []
    last_pk = 0
    while True:
        rows = list(DataKey.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not rows:
            break
        for row in rows:
            total += 1
            if row.master_key_id != current.key_id and row.master_key_id in known:
                on_old += 1
            try:
                unwrap(row.wrapped_key, row.owner_id, row.master_key_id)
            except KeyProblem as exc:
                problems.append(exc)
        last_pk = rows[-1].pk
    return KeyCheck(total=total, on_old_master=on_old, problems=problems)


# --- Keys derived for the audit log -----------------------------------------------------
# Distinct HKDF labels: neither derived key reveals the master key or the other derived key.
_AUDIT_CHAIN_LABEL = b"alongside/audit/chain-hmac/v1"
_AUDIT_CHECKPOINT_LABEL = b"alongside/audit/checkpoint-ed25519/v1"


def _derive(master: MasterKey, label: bytes) -> bytes:
    from cryptography.hazmat.primitives.hashes import SHA256
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=SHA256(), length=32, salt=None, info=label).derive(master.secret)


def audit_chain_key(master: MasterKey) -> bytes:
    """Return the HMAC key that hashes audit events written under ``master``."""
    return _derive(master, _AUDIT_CHAIN_LABEL)


def audit_signing_seed(master: MasterKey) -> bytes:
    """Return the 32-byte Ed25519 private key that signs audit checkpoints written under ``master``."""
    return _derive(master, _AUDIT_CHECKPOINT_LABEL)
