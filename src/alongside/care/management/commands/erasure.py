"""`alongside erasure`: list and finish erasures the audit log records but the database does not reflect."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.care.erasure import client_erase_finish, erasures_unfinished


class Command(BaseCommand):
    help = "List (or finish) the erasures recorded in the audit log whose client record is still in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,finish}")
        sub.add_parser("list", help="Print the id and practice of each client whose erasure did not finish.")
        sub.add_parser("finish", help="Erase each of them, one transaction per client, key destroyed last.")

    def handle(self, *args: Any, **options: Any) -> None:
        unfinished = erasures_unfinished()
        if not unfinished:
            self.stdout.write("Every recorded erasure is complete.")
            return
        failed = 0
        for client in unfinished:
            if options["action"] == "list":
                self.stdout.write(f"{client.pk}  practice {client.practice_id}")
                continue
            try:
                client_erase_finish(client=client)
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{client.pk}: {' '.join(error.messages)}")
            else:
                self.stdout.write(f"{client.pk}: erased")
        if failed:
            raise CommandError(f"{failed} erasure(s) could not be finished; nothing of those was changed.")
