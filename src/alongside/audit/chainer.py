"""Link events written unlinked into the audit chain (PostgreSQL, issue #19).

Writers on PostgreSQL only *try* the chain's advisory lock (:func:`alongside.audit.rows.try_head`). The one that
gets it links its events to the head as before, holding the lock to its commit; the others insert theirs with no
place in the chain yet (``seq`` empty, no hash) and go on, instead of queueing behind it. Whoever holds the lock
next, a writer or ``alongside worker``'s chainer every second (:func:`chain_tail`), first links the committed
unlinked events, oldest row first, then its own.

Why nothing can be lost or reordered undetectably:

- An unlinked event is inserted in its writer's transaction: if that rolls back, the event was never there
  (as the work it records); once it commits, the row exists, and the append-only trigger refuses its deletion
  and any change except the one linking it (``seq``, ``prev_hash``, ``hash`` and ``key_id``, set once, from
  empty; migration 0008).
- Only a holder of the lock links events, so ``seq`` stays gap-free and each event follows one predecessor;
  the holder reads the head and the unlinked tail after taking the lock, each with its own snapshot, so both
  are committed. A holder killed mid-batch rolls back: its events stay unlinked, and the next holder links them.
- Once linked, an event is covered by the HMAC chain and the signed checkpoints as every other event.
  ``audit verify`` counts the unlinked events and warns when one has waited more than a minute (no chainer is
  running); until it is linked an event is protected by the trigger only, for about a second under load.

The order of the chain is the order events were linked: an event written unlinked comes after the writer that
held the lock when it was written. Each event keeps the time it was written in ``at``.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from alongside.audit import checkpoints, rows
from alongside.audit.hashing import GENESIS, compute_hash, current_key_id
from alongside.audit.models import AuditEvent

ADVISORY_LOCK_ID = 0x41_4C_4F_4E_47  # "ALONG"

# Unlinked events read and linked per statement by a lock holder.
TAIL_BATCH = 500


def link_tail(seq: int, prev: str) -> tuple[int, str]:
    """Link the committed unlinked events after (``seq``, ``prev``), oldest row first; return the new head.

    The caller holds the chain's lock. Each event is hashed as ``audit verify`` recomputes it, from the row as
    stored.
    """
    key_id = current_key_id()
    while True:
        tail = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:TAIL_BATCH])
        for event in tail:
            seq += 1
            event.seq, event.prev_hash, event.key_id = seq, prev, key_id
            event.hash = prev = compute_hash(event)
        if tail:
            rows.link_postgresql(tail)
        if len(tail) < TAIL_BATCH:
            return seq, prev


def chain_tail() -> int:
    """Link the committed unlinked events now, unless a writer holds the chain's lock (and so links them itself);
    return how many were linked. A no-op on SQLite, whose writers serialise and always link their own events.

    ``alongside worker`` runs this every second (``--chain-every``); ``alongside audit link`` runs it once.
    """
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic():
        got, last, tail = rows.try_head(ADVISORY_LOCK_ID)
        if not got or not tail:
            return 0
        first, prev = last or (0, GENESIS)
        seq, prev = link_tail(first, prev)
        checkpoints.after_append(seq=seq, head=prev, at=timezone.now())
    return seq - first
