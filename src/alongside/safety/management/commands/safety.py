"""``alongside safety``: evaluate the crisis-language detector, rebuild its corpus and weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Crisis-language detection: evaluate on a labelled TSV, rebuild the corpus, retrain the classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="Print recall, precision and F1; exit 1 below the bar.")
        evaluate.add_argument("file", help="TSV with columns label, language, category, text (and optionally level).")
        evaluate.add_argument("--split", help="Only rows whose split column has this value (e.g. test).")
        evaluate.add_argument("--no-misses", action="store_true", help="Do not list the misses.")
        sub.add_parser("train", help="Rebuild data/forms.json and data/model.json from the corpus (deterministic).")
        export = sub.add_parser(
            "feedback-export", help="Write clinicians' feedback as a TSV in the evaluate format (holds client text)."
        )
        export.add_argument("--out", required=True, help="The TSV file to write.")
        export.add_argument("--practice", help="Only this practice's feedback (its id).")
        sub.add_parser("corpus", help="Rebuild corpus/corpus.tsv from the hand-written templates (deterministic).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "evaluate":
            self._evaluate(Path(options["file"]), options.get("split"), not options.get("no_misses"))
        elif action == "train":
            from alongside.safety.training import train

            report = train()
            self.stdout.write(
                f"trained on {report.rows} messages, {report.features} n-grams; threshold {report.threshold:.2f} "
                f"(dev: recall {report.dev_recall:.3f}, precision {report.dev_precision:.3f})"
            )
        elif action == "feedback-export":
            from alongside.safety.feedback import export

            count = export(Path(options["out"]), practice_id=options.get("practice"))
            self.stdout.write(f"wrote {count} feedback rows to {options['out']}")
        elif action == "corpus":
            from alongside.safety.corpus import build

            rows = build.build()
            build.write(rows)
            self.stdout.write(f"wrote {len(rows)} messages to {build.CORPUS_PATH}")

    def _evaluate(self, path: Path, split: str | None, show_misses: bool) -> None:
        from alongside.safety.evaluation import evaluate, read_rows

        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        rows = read_rows(path, split=split)
        if not rows:
            raise CommandError("The file has no rows to evaluate.")
        report = evaluate(rows)
        self.stdout.write(report.render(show_misses=show_misses))
        if not report.passed:
            raise SystemExit(1)
