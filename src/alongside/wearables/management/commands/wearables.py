"""`alongside wearables`: import a wearable export for a client, or print their daily features."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.care.models import ClientProfile
from alongside.wearables.importing import import_file
from alongside.wearables.inputs import progress
from alongside.wearables.samples import BadInput
from alongside.wearables.selectors import client_features, deviations
from alongside.wearables.services import wearables_csv_mapping_save
from alongside.wearables.sources import SOURCES
from alongside.wearables.sources.fitbit.parser import MINUTE_ZONES as FITBIT_CLOCKS


def _bar(name: str) -> Callable[[int, int], None]:
    """Draw a one-line progress bar of the bytes read on the terminal (stderr), at most once per percent."""
    shown = [-1]

    def draw(done: int, total: int) -> None:
        percent = min(100, done * 100 // max(total, 1))
        if percent != shown[0]:
            shown[0] = percent
            filled = percent // 4
            sys.stderr.write(f"\r{name} [{'#' * filled}{'.' * (25 - filled)}] {percent:3d}%")
            sys.stderr.flush()

    return draw


class Command(BaseCommand):
    help = "Import a wearable export for a client, or print the client's daily features."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,features}")
        imports = sub.add_parser("import", help="Import FILE (export.zip or export.xml) for the client.")
        imports.add_argument("file", type=Path)
        imports.add_argument("--client", required=True, help="The client's email address.")
        imports.add_argument("--source", default="apple", choices=SOURCES)
        imports.add_argument(
            "--mapping",
            type=Path,
            help="With --source csv: a JSON file of the column mapping, saved for the client before importing.",
        )
        imports.add_argument(
            "--fitbit-clock",
            choices=FITBIT_CLOCKS,
            help=(
                "With --source fitbit: how the archive's per-minute times (heart rate, steps) are read: "
                "utc (world time, the default, as in the web upload) or profile (the wall clock of the "
                "time zone in the archive's Profile.csv)."
            ),
        )
        features = sub.add_parser("features", help="Print the client's daily features and their baselines.")
        features.add_argument("--client", required=True, help="The client's email address.")
        features.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args: Any, **options: Any) -> None:
        client = ClientProfile.objects.select_related("user").filter(user__email__iexact=options["client"]).first()
        if client is None:
            raise CommandError(f"No client has the email address {options['client']}.")
        if options["action"] == "import":
            if options.get("mapping"):
                self._save_mapping(client, options["mapping"])
            clock = options.get("fitbit_clock")
            if clock is not None and options["source"] != "fitbit":
                raise CommandError("--fitbit-clock applies to Fitbit archives only (--source fitbit).")
            self._import(client, options["file"], options["source"], clock)
        else:
            self._features(client, as_json=options["json"])

    def _save_mapping(self, client: ClientProfile, path: Path) -> None:
        try:
            wearables_csv_mapping_save(actor=None, client=client, mapping=json.loads(path.read_text()))
        except (OSError, ValueError) as error:  # pydantic's ValidationError is a ValueError
            raise CommandError(
                f"{path.name}: the column mapping is not valid ({error}). Nothing was imported."
            ) from None

    def _import(self, client: ClientProfile, path: Path, source: str, clock: str | None) -> None:
        token = progress.set(_bar(path.name) if sys.stderr.isatty() else None)
        try:
            result = import_file(actor=None, client=client, path=path, source=source, minute_zone=clock)
        except BadInput as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        finally:
            progress.reset(token)
            if sys.stderr.isatty():
                sys.stderr.write("\n")
        self.stdout.write(json.dumps(result.as_dict()))

    def _features(self, client: ClientProfile, *, as_json: bool) -> None:
        features = client_features(client=client)
        for feature in features:
            row = {
                "day": feature.day.isoformat(),
                "metric": feature.metric,
                "value": feature.value,
                "baseline_median": feature.baseline_median,
                "baseline_mad": feature.baseline_mad,
            }
            self.stdout.write(json.dumps(row) if as_json else "  ".join(f"{v}" for v in row.values()))
        for run in deviations(features):
            text = {"deviation": run.metric, "first": run.first.isoformat(), "last": run.last.isoformat()}
            text["direction"] = "above" if run.direction > 0 else "below"
            self.stdout.write(json.dumps(text) if as_json else "  ".join(text.values()))
