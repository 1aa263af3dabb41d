"""Evaluate the detector on a labelled TSV file (``alongside safety evaluate FILE.tsv``).

Columns: ``label language category text`` and optionally ``level`` (urgent, review, none)
and ``split``; a header row names them, otherwise the four columns are read in that order.
Label 1 means the message must alert (urgent or review).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from alongside.safety.detector import detect

MIN_RECALL = 0.95
MIN_PRECISION = 0.80
_COLUMNS = ["label", "language", "category", "text"]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: bool, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif label:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return 2 * r * p / (r + p) if r + p else 0.0

    def line(self, name: str) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return (
            f"{name:<28} n={n:<5} recall={self.recall:.3f} precision={self.precision:.3f} f1={self.f1:.3f}"
            f"  (tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn})"
        )


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    languages: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    categories: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    levels: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, language, category, text
    has_level: bool = False

    @property
    def passed(self) -> bool:
        return self.overall.recall >= MIN_RECALL and self.overall.precision >= MIN_PRECISION

    def render(self, *, show_misses: bool = True) -> str:
        out = [self.overall.line("overall"), "", "by language:"]
        out += [c.line(f"  {k}") for k, c in sorted(self.languages.items())]
        out += ["", "by category:"]
        out += [c.line(f"  {k}") for k, c in sorted(self.categories.items())]
        if self.has_level:
            out += ["", "level confusion (expected -> detected):"]
            out += [f"  {e:>7} -> {d:<7} {n}" for (e, d), n in sorted(self.levels.items())]
        if show_misses and self.misses:
            out += ["", "misses (fn = should alert, fp = should not):"]
            out += [f"  {kind} [{lang}/{cat}] {text}" for kind, lang, cat, text in self.misses]
        verdict = "PASS" if self.passed else "FAIL"
        out += ["", f"{verdict}: needs recall >= {MIN_RECALL} and precision >= {MIN_PRECISION}"]
        return "\n".join(out)


def read_rows(path: Path, *, split: str | None = None) -> list[dict[str, str]]:
    raw = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines = [line for line in reader if line and any(cell.strip() for cell in line)]
    if not lines:
        return []
    header = [h.strip().lower() for h in lines[0]]
    if {"label", "text"} <= set(header):
        body = lines[1:]
    else:
        header, body = _COLUMNS, lines
    rows = []
    for line in body:
        row = {name: (line[i] if i < len(line) else "") for i, name in enumerate(header)}
        if len(line) > len(header) and header[-1] == "text":  # a tab inside the text
            row["text"] = "\t".join(line[len(header) - 1 :])
        if split and row.get("split", split) != split:
            continue
        rows.append(row)
    return rows


def evaluate(rows: list[dict[str, str]]) -> Report:
    report = Report()
    for row in rows:
        label = row.get("label", "0").strip() in ("1", "true", "yes")
        result = detect(row.get("text", ""), language=row.get("language") or None)
        predicted = result.alert
        language = row.get("language", "").strip() or "?"
        category = row.get("category", "").strip() or "?"
        report.overall.add(label, predicted)
        report.languages[language].add(label, predicted)
        report.categories[category].add(label, predicted)
        expected_level = row.get("level", "").strip().lower()
        if expected_level:
            report.has_level = True
            report.levels[(expected_level, result.level.label)] += 1
        if label != predicted:
            report.misses.append(("fn" if label else "fp", language, category, row.get("text", "")[:200]))
    return report
