"""`alongside applibrary load [FILE]`: add or update the app catalogue from a JSON file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.applibrary import catalogue
from alongside.applibrary.services import catalogue_load


class Command(BaseCommand):
    help = "Load the app catalogue (the starter catalogue by default); loading the same file twice changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = sub.add_parser("load", help="Add or update apps and their evaluations from FILE.")
        load.add_argument("file", type=Path, nargs="?", default=catalogue.CATALOGUE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = catalogue.read(options["file"])
        except (OSError, pydantic.ValidationError) as error:
            raise CommandError(f"Cannot load {options['file']}: {error}") from error
        done = catalogue_load(actor=None, data=data)
        self.stdout.write(
            f"{len(data.apps)} apps in the file; {done.added} new evaluations added; "
            f"{done.evidence_updated} loaded answers given the file's evidence."
        )
        if done.answers_differ:
            self.stdout.write(
                f"{done.answers_differ} loaded answers differ from the file and were left as they are; "
                "revise them on the app's evaluation page."
            )
