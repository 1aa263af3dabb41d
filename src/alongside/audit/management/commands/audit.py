"""`alongside audit verify`: check that the audit chain has not been edited, cut or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.audit.log import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit non-zero naming the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        sub.add_parser("verify", help="Walk the chain in order and recompute every hash.")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{broken.seq}: {broken.reason}. "
                f"{checked} event(s) before it are intact. Compare with a backup to see what changed."
            )
        self.stdout.write(self.style.SUCCESS(f"{checked} events, chain intact"))
