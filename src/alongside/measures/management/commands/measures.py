"""`alongside measures list | score | outcome`: the instrument library from the command line.

For researchers, clinics migrating data and our own checks. Scores are printed as JSON (one object) or, for a
CSV of administrations, as CSV. Invalid input exits with status 2 and a one-line message on stderr.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.measures.library import (
    AnswerError,
    Instrument,
    ScoreResult,
    UnknownInstrument,
    all_instruments,
    get,
    paired_outcome,
    score,
)

INVALID = 2  # exit status for input we refuse, as the issue specifies
RESULT_COLUMNS = ["total", "severity", "caseness", "critical_items"]


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=INVALID)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


class Command(BaseCommand):
    help = "List the measures, score answers (arguments or a CSV file) and compute paired outcomes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,score,outcome}")
        sub.add_parser("list", help="Print each instrument's code, name, number of items and licence.")
        score_parser = sub.add_parser("score", help="Score one administration, or a CSV file of them.")
        score_parser.add_argument("code", help="Instrument code, e.g. phq9.")
        score_parser.add_argument("answers", nargs="*", help="Item values in order; '-' for an item not asked.")
        score_parser.add_argument("--csv", dest="csv_path", metavar="IN.csv", help="Score every row of a CSV.")
        score_parser.add_argument("--sex", choices=["male", "female"], help="For AUDIT-C's sex-specific cut-off.")
        outcome = sub.add_parser("outcome", help="NHS Talking Therapies outcome of first and last scores.")
        outcome.add_argument("--phq9", nargs=2, type=int, required=True, metavar=("FIRST", "LAST"))
        outcome.add_argument("--gad7", nargs=2, type=int, required=True, metavar=("FIRST", "LAST"))

    def handle(self, *args: Any, **options: Any) -> None:
        match options["action"]:
            case "list":
                self._list()
            case "score":
                self._score(options)
            case "outcome":
                self._outcome(options)

    def _list(self) -> None:
        for instrument in all_instruments():
            flag = "" if instrument.validated else " [not validated]"
            self.stdout.write(
                f"{instrument.code}\t{instrument.short_name}: {instrument.name}{flag}\t"
                f"{len(instrument.items)} items\t{instrument.licence}"
            )

    def _instrument(self, code: str) -> Instrument:
        try:
            return get(code)
        except UnknownInstrument as exc:
            raise _fail(str(exc)) from None

    def _score(self, options: dict[str, Any]) -> None:
        instrument = self._instrument(options["code"])
        context = {"sex": options["sex"]} if options.get("sex") else {}
        if options.get("csv_path"):
            if options["answers"]:
                raise _fail("give either answers or --csv, not both")
            self._score_csv(instrument, Path(options["csv_path"]), context)
            return
        if not options["answers"]:
            raise _fail(f"no answers given for {instrument.short_name}")
        try:
            result = score(instrument.code, options["answers"], **context)
        except AnswerError as exc:
            raise _fail(str(exc)) from None
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))

    def _score_csv(self, instrument: Instrument, path: Path, context: dict[str, str]) -> None:
        """Score each row; print good rows as CSV, report bad ones by line number and then exit 2.

        Good rows are still printed when some rows are bad, so a migration can keep what scored; the exit
        status says that the output is incomplete.
        """
        try:
            handle: TextIO = path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise _fail(f"cannot read {path}: {exc.strerror}") from None
        with handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            columns = self._item_columns(instrument, header)
            passthrough = [h for h in header if h not in columns.values() and h != "sex"]
            rows: list[tuple[dict[str, str], ScoreResult]] = []
            errors: list[str] = []
            try:
                for row in reader:
                    line = reader.line_num
                    if None in row:
                        errors.append(f"line {line}: more cells than columns")
                        continue
                    answers = {link_id: (row.get(col) or "").strip() or None for link_id, col in columns.items()}
                    row_context = dict(context)
                    if "sex" in header and (row.get("sex") or "").strip():
                        row_context["sex"] = (row.get("sex") or "").strip()
                    try:
                        rows.append((row, score(instrument.code, answers, **row_context)))
                    except AnswerError as exc:
                        errors.append(f"line {line}: {exc}")
            except (csv.Error, UnicodeDecodeError) as exc:
                errors.append(f"line {reader.line_num}: not readable as CSV ({exc})")
        subscales = sorted({name for _, r in rows for name in r.subscales})
        extras = sorted({key for _, r in rows for key in r.extra})
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow([*passthrough, *RESULT_COLUMNS, *subscales, *extras])
        for row, result in rows:
            data = result.as_json()
            writer.writerow(
                [row.get(h, "") for h in passthrough]
                + [_cell(data[c]) for c in RESULT_COLUMNS]
                + [_cell(result.subscales.get(name)) for name in subscales]
                + [_cell(result.extra.get(key)) for key in extras]
            )
        if errors:
            for message in errors[:-1]:
                self.stderr.write(message)
            raise _fail(f"{errors[-1]} ({len(errors)} bad row(s) rejected)")

    def _item_columns(self, instrument: Instrument, header: Sequence[str]) -> dict[str, str]:
        """Map each item's link_id to its column, named by link_id ("phq9-3") or item number ("3")."""
        columns: dict[str, str] = {}
        for item in instrument.items:
            for name in (item.link_id, str(item.number), item.prefix):
                if name and name in header:
                    columns[item.link_id] = name
                    break
            else:
                if item.required:
                    raise _fail(f"the CSV has no column for {instrument.short_name} item {item.link_id}")
        return columns

    def _outcome(self, options: dict[str, Any]) -> None:
        (phq_first, phq_last), (gad_first, gad_last) = options["phq9"], options["gad7"]
        try:
            outcome = paired_outcome(phq_first, phq_last, gad_first, gad_last)
        except AnswerError as exc:
            raise _fail(str(exc)) from None
        self.stdout.write(json.dumps(outcome))
