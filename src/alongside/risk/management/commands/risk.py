"""`alongside risk`: generate a synthetic population, score an extract, evaluate (and keep) the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.risk.artifacts import ModelRefused
from alongside.risk.engines import BACKENDS, EngineUnavailable
from alongside.risk.schema import BadExtract


class Command(BaseCommand):
    help = "Risk analytics: synthetic population, scoring on DuckDB or Spark, and evaluation of the models."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{population,score,evaluate,extract,refresh}")
        pop = sub.add_parser("population", help="Write a synthetic population (a year per client) as Parquet.")
        pop.add_argument("--clients", type=int, default=1000)
        pop.add_argument("--seed", type=int, default=17)
        pop.add_argument("--out", type=Path, required=True, help="Directory for the Parquet files.")
        score = sub.add_parser("score", help="Score every client of an extract; write one Parquet file.")
        score.add_argument("--data", type=Path, required=True, help="Directory of the extract's Parquet files.")
        score.add_argument("--backend", choices=BACKENDS, default="duckdb")
        score.add_argument("--master", default="local[*]", help="Spark master URL (with --backend spark).")
        score.add_argument("--as-of", type=int, default=None, help="Day of care to score at (default: latest).")
        score.add_argument("--models", type=Path, default=None, help="Directory of model files (default: reference).")
        score.add_argument("--out", type=Path, required=True)
        ev = sub.add_parser("evaluate", help="Fit both models and evaluate them on clients they did not see.")
        ev.add_argument("--source", choices=("synthetic", "practice"), default="synthetic")
        ev.add_argument("--data", type=Path, default=None, help="Extract directory (required for practice).")
        ev.add_argument("--clients", type=int, default=4000, help="Synthetic clients in each of train and test.")
        ev.add_argument("--seed", type=int, default=17)
        ev.add_argument("--json", action="store_true", help="Print the report as JSON (stable keys).")
        ev.add_argument("--models", type=Path, default=None, help="Store the models with this evaluation here.")
        ev.add_argument("--cards", type=Path, default=None, help="Write the model cards (Markdown) here.")
        ev.add_argument(
            "--practice",
            default=None,
            help="Practice id: fit on its own history (from the database, or --data), keep the models and their cards "
            "in the database, and use them for its clients if they pass the minimum goals.",
        )

        ex = sub.add_parser("extract", help="Write the de-identified extract of clients who consented to research.")
        ex.add_argument("--out", type=Path, required=True)
        ex.add_argument("--key-file", type=Path, required=True, help="Secret key for the pseudonymous ids.")
        ex.add_argument(
            "--k", type=int, default=None, help="k-anonymity of the quasi-identifiers (default 5; at least 2)."
        )

        sub.add_parser(
            "refresh",
            help="Score every client again and store their warnings (the worker also does this daily, as a task).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (BadExtract, ModelRefused, EngineUnavailable, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _population(self, options: dict[str, Any]) -> None:
        from alongside.risk.population import generate

        written = generate(clients=options["clients"], seed=options["seed"], out=options["out"])
        self.stdout.write(
            f"{written.clients} clients, {written.total_rows:,} rows in {written.seconds:.1f} s "
            f"({written.rows_per_second:,.0f} rows/s) to {options['out']}"
        )

    def _score(self, options: dict[str, Any]) -> None:
        from alongside.risk.pipeline import REFERENCE, score

        rows = score(
            data=options["data"],
            backend=options["backend"],
            out=options["out"],
            as_of=options["as_of"],
            master=options["master"],
            model_dir=options["models"] or REFERENCE,
        )
        self.stdout.write(f"{rows} clients scored on {options['backend']} to {options['out']}")

    def _evaluate(self, options: dict[str, Any]) -> None:
        from alongside.risk.cards import summary, write_cards
        from alongside.risk.pipeline import evaluate, keep

        if options["practice"]:
            self._evaluate_practice(options)
            return
        if options["source"] == "practice" and options["data"] is None:
            raise CommandError("--source practice needs --data DIR (an extract) or --practice ID.")
        result = evaluate(
            source=options["source"], data=options["data"], clients=options["clients"], seed=options["seed"]
        )
        report = result["report"]
        if options["models"]:
            keep(result, options["models"])
        if options["cards"]:
            write_cards(result, options["cards"])
        self.stdout.write(json.dumps(report, indent=1, sort_keys=True) if options["json"] else summary(report))

    def _evaluate_practice(self, options: dict[str, Any]) -> None:
        from alongside.risk.practice_fit import fit_practice

        outcome = fit_practice(practice_id=options["practice"], data=options["data"], cards_dir=options["cards"])
        if options["json"]:
            self.stdout.write(json.dumps(outcome.report, indent=1, sort_keys=True))
        else:
            from alongside.risk.cards import summary

            self.stdout.write(summary(outcome.report))
        self.stdout.write(
            "The practice's own models are now in use."
            if outcome.activated
            else "The practice's models did not pass: they are kept with their cards, and the models in use are "
            "unchanged."
        )

    def _extract(self, options: dict[str, Any]) -> None:
        from django.utils import timezone

        from alongside.risk.services import extract_write

        try:
            key = options["key_file"].read_bytes().strip()
        except OSError as exc:
            raise CommandError(f"Cannot read the key file: {exc}") from exc
        report = extract_write(out=options["out"], key=key, now=timezone.now(), k=options["k"])
        levels = ", ".join(f"{name} {level}" for name, level in report.levels.items())
        self.stdout.write(
            f"{report.clients} consenting clients written to {options['out']}; {report.suppressed} left out so that "
            f"every group of quasi-identifiers holds at least {report.k} clients ({levels})"
        )
        if report.measured_k is not None:
            self.stdout.write(
                f"pyCANON: k-anonymity {report.measured_k}; l-diversity of the episode ending {report.measured_l}"
            )

    def _refresh(self, options: dict[str, Any]) -> None:
        from django.utils import timezone

        from alongside.risk.services import risks_refresh_all

        stored = risks_refresh_all(now=timezone.now())
        self.stdout.write(f"{stored} clients scored")
