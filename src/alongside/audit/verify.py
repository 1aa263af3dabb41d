"""Check the audit chain against itself and against the signed checkpoints.

The chain alone catches an edited, removed or reordered event and an appended event whose hash was not
made with the audit key. The checkpoints catch what the chain cannot see by itself: events cut from the
end, every event deleted, and a chain rewritten by someone holding the key.

Legacy events (written before keyed hashing, ``key_id`` empty) carry plain SHA-256 hashes. They are
accepted only as the beginning of the chain: once a keyed event has been seen, an unkeyed one is a forgery.
The first keyed event covers the last legacy hash, so the legacy part cannot be rewritten without the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from alongside.audit import checkpoints as cp
from alongside.audit.hashing import GENESIS, UnknownChainKey, compute_hash
from alongside.audit.models import AuditEvent


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str


@dataclass
class Report:
    """What ``audit verify`` found. ``ok`` only when there is no problem at all."""

    checked: int = 0  # events walked and found intact, from the first
    last_verified: int = 0  # the seq of the last of them (0: none)
    legacy: int = 0  # how many of them are legacy (unkeyed) events
    missing: int = 0  # events known to have existed that are not in the log
    unlinked: int = 0  # events written but not yet linked into the chain (PostgreSQL, alongside.audit.chainer)
    checkpoints: int = 0  # valid checkpoints read
    last_checkpoint: int = 0  # the highest seq a valid checkpoint names
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth an operator's look, but not evidence of tampering

    @property
    def ok(self) -> bool:
        return not self.problems


def load_checkpoints(
    paths: Iterable[Path], public_keys: Iterable[Ed25519PublicKey] | None, report: Report
) -> dict[int, cp.Checkpoint]:
    """Read checkpoints from every file; a line that does not parse or verify is a problem.

    Without ``public_keys``, each checkpoint is checked with the key of the master key it names.
    """
    given = list(public_keys) if public_keys is not None else None
    own = cp.own_public_keys() if given is None else {}
    by_seq: dict[int, cp.Checkpoint] = {}
    for path in paths:
        for number, line in cp.read_lines(path):
            try:
                checkpoint = cp.parse_line(line)
            except (ValueError, KeyError):
                report.problems.append(Problem(None, f"{path}:{number} is not a checkpoint the audit log wrote"))
                continue
            if given is None and checkpoint.key not in own:
                report.problems.append(
                    Problem(
                        None,
                        f"{path}:{number}: the checkpoint of event #{checkpoint.seq} is signed under master key "
                        f"{checkpoint.key}, which is not configured (list it in ALONGSIDE_OLD_MASTER_KEYS, or pass "
                        "its exported public key with --public-key)",
                    )
                )
                continue
            keys = given if given is not None else [own[checkpoint.key]]
            if not cp.signature_ok(checkpoint, keys):
                report.problems.append(
                    Problem(None, f"{path}:{number}: the checkpoint of event #{checkpoint.seq} has a bad signature")
                )
                continue
            other = by_seq.get(checkpoint.seq)
            if other is not None and other.head != checkpoint.head:
                report.problems.append(
                    Problem(checkpoint.seq, f"two signed checkpoints give event #{checkpoint.seq} different hashes")
                )
            by_seq[checkpoint.seq] = checkpoint
    report.checkpoints = len(by_seq)
    report.last_checkpoint = max(by_seq, default=0)
    return by_seq


def verify(
    *,
    checkpoint_files: Iterable[Path] | None = None,
    public_keys: Iterable[Ed25519PublicKey] | None = None,
    batch_size: int = 2000,
) -> Report:
    """Walk the chain in order, then compare its end with the newest checkpoint.

    ``checkpoint_files`` defaults to the configured checkpoint file; ``public_keys`` to the keys derived
    from the configured master keys (an auditor may pass exported ones instead).
    """
    report = Report()
    if checkpoint_files is None:
        own = cp.checkpoint_path()
        checkpoint_files = [own] if own is not None else []
    checkpoint_files = list(checkpoint_files)
    anchors = load_checkpoints(checkpoint_files, public_keys, report)
    head = _walk(report, anchors, batch_size)
    if report.last_checkpoint > head:
        missing = report.last_checkpoint - head
        report.missing += missing
        if head == 0:
            text = f"the audit log is empty, but a signed checkpoint records {report.last_checkpoint} events"
        else:
            text = (
                f"the log ends at event #{head}, but a signed checkpoint records event #{report.last_checkpoint}: "
                f"{missing} event(s) were cut from the end"
            )
        report.problems.append(Problem(head + 1, text))
    if checkpoint_files and not report.problems:
        _check_coverage(report)
    _check_unlinked(report)
    report.warnings.extend(missing_triggers())
    return report


# An event waits about a second to be linked under load; one older than this means no chainer is running.
UNLINKED_GRACE = timedelta(minutes=1)


def _check_unlinked(report: Report) -> None:
    """Count the events not yet linked into the chain, and warn when one has waited past :data:`UNLINKED_GRACE`.

    They are outside the HMAC chain until linked, protected by the append-only trigger only: not evidence of
    tampering, but worth an operator's look when they wait (``alongside worker`` links them every second).
    """
    unlinked = AuditEvent.objects.filter(seq__isnull=True).aggregate(count=Count("id"), oldest=Min("at"))
    report.unlinked = unlinked["count"]
    if unlinked["oldest"] is not None and timezone.now() - unlinked["oldest"] > UNLINKED_GRACE:
        report.warnings.append(
            f"{report.unlinked} event(s) are not linked into the chain yet, the oldest written at "
            f"{unlinked['oldest']:%Y-%m-%d %H:%M:%S %Z}: is `alongside worker` running? `alongside audit link` "
            "links them now"
        )


_TRIGGERS = {
    "sqlite": ("audit_auditevent_no_update", "audit_auditevent_no_delete"),
    "postgresql": ("audit_auditevent_no_update_delete", "audit_auditevent_no_truncate"),
}


def missing_triggers() -> list[str]:
    """Name the append-only triggers that are missing or disabled (a table rebuilt on SQLite loses them)."""
    names = _TRIGGERS.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND tgenabled <> 'D'"
            )
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [
        f"the append-only trigger {name} is missing or disabled: the database would let audit rows be changed"
        for name in names
        if name not in present
    ]


def _check_coverage(report: Report) -> None:
    """Report keyed events far beyond the newest checkpoint: checkpoints were removed, or could not be written.

    After every commit that takes the chain ``EVERY`` events past the newest checkpoint, one is written, so
    an intact setup never leaves that many keyed events uncovered (twice as many allows for writes in flight).
    """
    every = settings.ALONGSIDE_AUDIT_CHECKPOINT_EVERY
    covered = max(report.last_checkpoint, report.legacy)  # legacy events predate checkpoints
    uncovered = report.last_verified - covered
    if uncovered >= 2 * every:
        report.problems.append(
            Problem(
                covered + 1,
                f"events #{covered + 1}-#{report.last_verified} ({uncovered}) are covered by no checkpoint, though "
                f"one is written every {every} events: the checkpoint file was truncated, replaced or not writable",
            )
        )


def _walk(report: Report, anchors: dict[int, cp.Checkpoint], batch_size: int) -> int:
    """Check events from the first until the first break; return the highest seq present in the log."""
    expected_prev, expected_seq, keyed = GENESIS, 1, False
    head = 0
    broken = False
    for seq, event in _iter_events(batch_size):
        head = seq
        if broken:
            continue
        problem = _check(event, seq=seq, expected_seq=expected_seq, expected_prev=expected_prev, keyed=keyed)
        if problem is None and seq in anchors and anchors[seq].head != event.hash:
            problem = Problem(
                seq,
                f"event #{seq} differs from its signed checkpoint: the chain was rewritten (re-hashed) "
                "at or before this event",
            )
        if problem is not None:
            if seq > expected_seq:
                report.missing += seq - expected_seq
            report.problems.append(problem)
            broken = True
            continue
        keyed = keyed or bool(event.key_id)
        report.legacy += not event.key_id
        report.checked += 1
        report.last_verified = seq
        expected_prev, expected_seq = event.hash, seq + 1
    return head


def _check(event: AuditEvent, *, seq: int, expected_seq: int, expected_prev: str, keyed: bool) -> Problem | None:
    if seq != expected_seq:
        gap = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}-#{seq - 1}"
        return Problem(expected_seq, f"event {gap} is missing (next found is #{seq}): {seq - expected_seq} missing")
    if event.prev_hash != expected_prev:
        return Problem(seq, f"event #{seq} does not follow the event before it")
    if keyed and not event.key_id:
        return Problem(seq, f"event #{seq} has no key after keyed events: it was forged or altered")
    try:
        expected = compute_hash(event)
    except UnknownChainKey:
        return Problem(
            seq,
            f"event #{seq} is keyed under master key {event.key_id}, which is not configured: "
            "list it in ALONGSIDE_OLD_MASTER_KEYS to verify events written under it",
        )
    if expected != event.hash:
        return Problem(seq, f"event #{seq} was altered or forged after it was written (its hash does not match)")
    return None


def _iter_events(batch_size: int) -> Iterator[tuple[int, AuditEvent]]:
    """The linked events in chain order, each with its ``seq`` (unlinked events are counted apart)."""
    last_seq = 0
    while True:
        batch = [
            (int(event.seq or 0), event)
            for event in AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size]
        ]
        if not batch:
            return
        yield from batch
        last_seq = batch[-1][0]
