"""The value types of the instrument library: instruments, items, answers and scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The question id of a computed enableWhen condition: the raw sum of the instrument's scored items among the
# answers given so far. FHIR cannot express "total > 0" in plain enableWhen; we use
# EnableWhen(question=TOTAL_QUESTION, operator=">", answer=0) for PHQ-9's difficulty item.
TOTAL_QUESTION = "$total"

OPERATORS = ("=", "!=", ">", "<", ">=", "<=")


class AnswerError(ValueError):
    """Answers that cannot be scored; the message is one human-readable line."""


def compare(left: float, operator: str, right: float) -> bool:
    """Apply a FHIR enableWhen comparison operator."""
    match operator:
        case "=":
            return left == right
        case "!=":
            return left != right
        case ">":
            return left > right
        case "<":
            return left < right
        case ">=":
            return left >= right
        case "<=":
            return left <= right
    raise ValueError(f"unknown operator {operator!r}")


def tidy(number: float) -> float | int:
    """Return an int when the score is whole, else the score to one decimal (as CORE-10 reports it)."""
    return int(number) if float(number).is_integer() else round(number, 1)


@dataclass(frozen=True)
class Option:
    value: int
    label: str  # the published answer wording


@dataclass(frozen=True)
class EnableWhen:
    """One FHIR enableWhen condition: the item is asked when `question`'s answer `operator` `answer` holds.

    `question` is another item's link_id, or TOTAL_QUESTION ("$total") for the running raw total.
    """

    question: str
    operator: str
    answer: int


@dataclass(frozen=True)
class Item:
    link_id: str
    number: int  # 1-based position in the answer order (what the command line takes)
    text: str  # the published wording
    options: tuple[Option, ...]
    required: bool
    scored: bool
    enable_when: tuple[EnableWhen, ...]
    critical: str | None  # what answer is critical, in words; None when no answer is
    prefix: str = ""  # the printed item label ("6a", "d"); FHIR Questionnaire.item.prefix
    enable_behavior: str = "all"  # FHIR enableBehavior when there is more than one condition

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)

    def label_for(self, value: int) -> str | None:
        return next((o.label for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Band:
    """A severity band: scores from `low` to `high` inclusive (a prorated score between bands takes the lower)."""

    label: str
    low: float
    high: float


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short_name: str
    items: tuple[Item, ...]
    licence: str
    citation: str
    validated: bool
    loinc_total: str | None
    preamble: str
    recall_period: str
    bands: tuple[Band, ...] = ()
    bands_source: str = ""
    caseness_operator: str | None = None  # ">=" or "<="; None when the instrument has no caseness rule
    caseness_value: float | None = None
    caseness_source: str = ""
    higher_is_better: bool = False  # WHO-5: a higher score is better
    total_min: float | None = None
    total_max: float | None = None
    reliable_change: float | None = None
    reliable_change_source: str = ""
    has_total: bool = True
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    language: str = "en"  # the language of the wording; a published translation sets its own (translations.py)

    def item(self, link_id: str) -> Item:
        for item in self.items:
            if item.link_id == link_id:
                return item
        raise KeyError(f"{self.short_name} has no item {link_id!r}")

    def enabled_items(self, answers: Mapping[str, int | None]) -> list[Item]:
        """Return the items that are asked, given the answers so far (FHIR enableWhen semantics)."""
        enabled: list[Item] = []
        for item in self.items:
            if self._is_enabled(item, answers):
                enabled.append(item)
        return enabled

    def _is_enabled(self, item: Item, answers: Mapping[str, int | None]) -> bool:
        if not item.enable_when:
            return True
        results = [self._condition_holds(cond, answers) for cond in item.enable_when]
        return any(results) if item.enable_behavior == "any" else all(results)

    def _condition_holds(self, cond: EnableWhen, answers: Mapping[str, int | None]) -> bool:
        if cond.question == TOTAL_QUESTION:
            total = sum(answers.get(i.link_id) or 0 for i in self.items if i.scored)
            return compare(total, cond.operator, cond.answer)
        value = answers.get(cond.question)
        if value is None:
            # FHIR: a condition on an unanswered question is false ("!=" included).
            return False
        return compare(value, cond.operator, cond.answer)


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    total: float | int | None
    severity: str | None
    subscales: dict[str, float | int]
    critical_items: list[int]
    caseness: bool | None
    extra: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """Return the flat JSON object the command line prints: the fixed keys, then the instrument's own."""
        out: dict[str, Any] = {
            "instrument": self.instrument,
            "total": self.total,
            "severity": self.severity,
            "subscales": dict(self.subscales),
            "critical_items": list(self.critical_items),
            "caseness": self.caseness,
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out
