"""`alongside keys`: generate, rotate and check the master key that wraps every data key.

Rotating the master key, without downtime:

1. ``alongside keys generate`` prints a new key.
2. Put the new key in ``ALONGSIDE_MASTER_KEY`` and move the old one to
   ``ALONGSIDE_OLD_MASTER_KEYS``; restart the application (it unwraps under either).
3. ``alongside keys rotate`` re-wraps every data key under the new key, in small
   batches; it can be interrupted and run again.
4. ``alongside keys check`` confirms every data key unwraps under the new key.
5. Remove the old key from ``ALONGSIDE_OLD_MASTER_KEYS`` and restart.

The command lives in the audit app, one layer above crypto, because a rotation is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.crypto import keys
from alongside.crypto.models import DataKey


class Command(BaseCommand):
    help = "Generate a master key, re-wrap every data key under the current one (rotate), or check them all."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{generate,rotate,check}")
        sub.add_parser("generate", help="Print a new random master key (base64, 32 bytes).")
        rotate = sub.add_parser(
            "rotate",
            help="Re-wrap every data key under ALONGSIDE_MASTER_KEY; old keys must be in ALONGSIDE_OLD_MASTER_KEYS.",
        )
        rotate.add_argument("--batch-size", type=int, default=500, help="Data keys per transaction (default 500).")
        sub.add_parser("check", help="Unwrap every data key; exit non-zero naming each one that does not unwrap.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            self.stdout.write(keys.generate_master_key())
            return
        try:
            current = keys.current_master_key()
            keys.known_master_keys()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if action == "rotate":
            self._rotate(current, batch_size=options["batch_size"])
        else:
            self._check(current)

    def _rotate(self, current: keys.MasterKey, *, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        todo = DataKey.objects.exclude(master_key_id=current.key_id).count()
        self.stdout.write(f"Re-wrapping {todo} data key(s) under master key {current.key_id}.")

        def progress(done: int) -> None:
            self.stdout.write(f"  {done}/{todo} re-wrapped")

        try:
            rewrapped, already = keys.rotate_master_key(batch_size=batch_size, on_batch=progress)
        except keys.KeyProblem as exc:
            raise CommandError(
                f"{exc}\nNothing more was re-wrapped; keys re-wrapped so far stay valid. "
                "Fix the problem and run `alongside keys rotate` again."
            ) from None
        with transaction.atomic():
            record(
                AuditAction.KEYS_ROTATED,
                detail={"master_key_id": current.key_id, "rewrapped": rewrapped, "already_current": already},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {rewrapped} data key(s) re-wrapped, {already} already under master key {current.key_id}. "
                "Run `alongside keys check`, then remove the old key from ALONGSIDE_OLD_MASTER_KEYS."
            )
        )

    def _check(self, current: keys.MasterKey) -> None:
        result = keys.check_data_keys()
        for problem in result.problems:
            self.stderr.write(f"{type(problem).__name__}: {problem}")
        if result.problems:
            raise CommandError(
                f"{len(result.problems)} of {result.total} data key(s) do not unwrap; see above. "
                "An unknown master key belongs in ALONGSIDE_OLD_MASTER_KEYS; a corrupt key must be restored from a backup."
            )
        message = f"{result.total} data key(s), all unwrap (current master key {current.key_id})."
        if result.on_old_master:
            message += f" {result.on_old_master} still use an old master key: run `alongside keys rotate`."
        self.stdout.write(self.style.SUCCESS(message))
