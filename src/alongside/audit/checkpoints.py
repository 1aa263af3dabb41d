"""Signed checkpoints that anchor the audit chain outside the database.

Every ``ALONGSIDE_AUDIT_CHECKPOINT_EVERY`` events, or on the first write after
``ALONGSIDE_AUDIT_CHECKPOINT_MINUTES`` minutes, the head of the chain (its sequence number, its hash
and the number of events up to it) is signed with Ed25519 and appended as one JSON line to
``ALONGSIDE_AUDIT_CHECKPOINT_FILE``, and sent to ``ALONGSIDE_AUDIT_ANCHOR`` when one is configured
(another file, or syslog). Someone who deletes the newest events, empties the table or rewrites the
chain cannot also rewrite a checkpoint without the signing key, and cannot reach an off-host anchor at all.

The signing key is derived from the master key (HKDF, its own label), so there is no extra secret to back
up; ``alongside audit public-key`` prints the public half for auditors.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import logging.handlers
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alongside.crypto.keys import MasterKey, audit_signing_seed, current_master_key, known_master_keys

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
SYSLOG_PREFIX = "alongside-audit-checkpoint: "


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: the chain had ``count`` events, the last numbered ``seq`` with hash ``head``."""

    seq: int
    head: str
    count: int
    at: str
    key: str
    sig: str = ""

    def message(self) -> bytes:
        """Return the exact bytes that are signed: compact JSON, sorted keys, without the signature."""
        fields = {"at": self.at, "count": self.count, "head": self.head, "key": self.key, "seq": self.seq}
        return json.dumps({**fields, "v": FORMAT_VERSION}, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        fields = json.loads(self.message())
        return json.dumps({**fields, "sig": self.sig}, sort_keys=True, separators=(",", ":"))

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)


def signing_key(master: MasterKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(audit_signing_seed(master))


def public_key_pem(master: MasterKey) -> str:
    """Return the PEM public key that verifies checkpoints signed under ``master``."""
    public = signing_key(master).public_key()
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(*, seq: int, head: str, at: datetime, master: MasterKey) -> Checkpoint:
    unsigned = Checkpoint(seq=seq, head=head, count=seq, at=at.isoformat(timespec="microseconds"), key=master.key_id)
    signature = signing_key(master).sign(unsigned.message())
    return Checkpoint(**{**unsigned.__dict__, "sig": base64.b64encode(signature).decode()})


def parse_line(text: str) -> Checkpoint:
    """Parse one checkpoint line, also as syslog delivers it (anything outside the outer ``{…}`` is ignored)."""
    raw = json.loads(text[text.index("{") : text.rindex("}") + 1])
    if raw.get("v") != FORMAT_VERSION:
        raise ValueError(f"unknown checkpoint format {raw.get('v')!r}")
    return Checkpoint(
        seq=int(raw["seq"]),
        head=str(raw["head"]),
        count=int(raw["count"]),
        at=str(raw["at"]),
        key=str(raw["key"]),
        sig=str(raw["sig"]),
    )


def signature_ok(checkpoint: Checkpoint, public_keys: Iterable[Ed25519PublicKey]) -> bool:
    try:
        signature = base64.b64decode(checkpoint.sig, validate=True)
    except ValueError:
        return False
    for key in public_keys:
        try:
            key.verify(signature, checkpoint.message())
        except InvalidSignature:
            continue
        return True
    return False


def own_public_keys() -> dict[str, Ed25519PublicKey]:
    """Public checkpoint keys of every configured master key, by master key id."""
    return {key_id: signing_key(master).public_key() for key_id, master in known_master_keys().items()}


# --- Reading and writing the checkpoint file ---------------------------------------------


def checkpoint_path() -> Path | None:
    configured = settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE
    return Path(configured) if configured else None


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Return the non-blank lines of a checkpoint file (or a syslog extract) with their line numbers."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        return [(number, line.strip()) for number, line in enumerate(handle, start=1) if "{" in line]


def _last_in(handle: Any) -> Checkpoint | None:
    """Return the last well-formed checkpoint of an open file (reads only its end)."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 8192))
    for line in reversed(handle.read().decode("utf-8", errors="replace").splitlines()):
        try:
            return parse_line(line)
        except (ValueError, KeyError):
            continue
    return None


@dataclass
class _Known:
    """This process's idea of the newest checkpoint, so that a write only opens the file when one may be due."""

    seq: int | None = None  # None: not read yet
    at: datetime | None = None


_known = _Known()
_known_lock = threading.Lock()


def _due(seq: int, at: datetime) -> bool:
    if _known.seq is None:
        return True  # not read yet: let the writer look at the file
    if seq <= _known.seq:
        return False
    if seq - _known.seq >= settings.ALONGSIDE_AUDIT_CHECKPOINT_EVERY:
        return True
    return _known.at is None or at - _known.at >= timedelta(minutes=settings.ALONGSIDE_AUDIT_CHECKPOINT_MINUTES)


def after_append(*, seq: int, head: str, at: datetime) -> None:
    """Called by the writer, inside its transaction: once it commits, write a checkpoint if one is due."""
    if checkpoint_path() is None or not _due(seq, at):
        return
    transaction.on_commit(lambda: _write_after_commit(seq=seq, head=head))


def _write_after_commit(*, seq: int, head: str) -> None:
    # The events are committed whatever happens here: a failure is logged, never raised into the request.
    try:
        checkpoint_write(seq=seq, head=head, force=False)
    except Exception:
        logger.exception("Could not write the audit checkpoint for event #%s", seq)


def checkpoint_write(*, seq: int, head: str, force: bool) -> Checkpoint | None:
    """Append a checkpoint of (seq, head), signed under the current master key, unless a newer one exists
    (or, without ``force``, none is due).

    Serialised between processes by a lock on the file; returns the checkpoint written, or None.
    """
    path = checkpoint_path()
    if path is None:
        return None
    master = current_master_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as handle, _known_lock:
        fcntl.flock(handle, fcntl.LOCK_EX)
        last = _last_in(handle)
        _known.seq, _known.at = (last.seq, last.when) if last else (0, None)
        if last is not None and (seq <= last.seq or not (force or _due(seq, now))):
            return None
        checkpoint = sign(seq=seq, head=head, at=now, master=master)
        # No fsync: it cost ~7 ms of the request that crossed the interval. A power cut may lose the newest
        # checkpoint (the log is then anchored a little less), never an event.
        handle.write((checkpoint.line() + "\n").encode())
        handle.flush()
        _known.seq, _known.at = checkpoint.seq, checkpoint.when
    _send_to_anchor(checkpoint)
    return checkpoint


def forget_known() -> None:
    """Make the next write read the checkpoint file again (tests, and after restoring a backup)."""
    with _known_lock:
        _known.seq = _known.at = None


# --- The external anchor -------------------------------------------------------------------

_handlers: dict[str, logging.Handler] = {}


def _anchor_handler(target: str) -> logging.Handler:
    handler = _handlers.get(target)
    if handler is None:
        parts = urlsplit(target)
        if parts.scheme != "syslog":
            raise ValueError(f"ALONGSIDE_AUDIT_ANCHOR: unknown target {target!r}")
        address: tuple[str, int] | str = (
            (parts.hostname or "127.0.0.1", parts.port or 514) if parts.hostname else (parts.path or "/dev/log")
        )
        handler = logging.handlers.SysLogHandler(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
        handler.setFormatter(logging.Formatter("%(message)s"))
        _handlers[target] = handler
    return handler


def _send_to_anchor(checkpoint: Checkpoint) -> None:
    target = settings.ALONGSIDE_AUDIT_ANCHOR
    if not target:
        return
    line = checkpoint.line()
    if target.startswith("syslog:"):
        record = logging.LogRecord(__name__, logging.INFO, __file__, 0, SYSLOG_PREFIX + line, None, None)
        _anchor_handler(target).handle(record)
        return
    anchor = Path(target)
    anchor.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(anchor, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write((line + "\n").encode())
        handle.flush()
