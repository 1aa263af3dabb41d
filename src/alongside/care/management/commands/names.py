"""`alongside names reindex`: rebuild the blind index of client names under the current master key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.care.services import client_names_reindex


class Command(BaseCommand):
    help = "Rebuild the caseload's name search index (after a master-key rotation, before the old key is retired)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{reindex}")
        sub.add_parser("reindex", help="Recompute every client's name tokens under the current master key.")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = client_names_reindex()
        self.stdout.write(f"{changed} client(s) re-indexed.")
