"""The detector's vocabulary: levels, categories and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Level(IntEnum):
    """How soon a person must look: none, review (the alert list), urgent (the critical path)."""

    NONE = 0
    REVIEW = 1
    URGENT = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Category(StrEnum):
    SUICIDE_IDEATION = "suicide_ideation"
    PLAN_OR_PREPARATION = "plan_or_preparation"
    MEANS = "means"
    GOODBYE_OR_FINALITY = "goodbye_or_finality"
    BURDEN_HOPELESSNESS = "burden_hopelessness"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    DANGER_ABUSE = "danger_abuse"
    CHECK_FAILED = "check_failed"


class Context(StrEnum):
    """Why a match was lowered to review (NegEx/ConText modifiers)."""

    NEGATED = "negated"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    OTHER_PERSON = "other_person"
    EVERYDAY_REASON = "everyday_reason"


@dataclass(frozen=True)
class PatternHit:
    """One pattern family found in the normalised text."""

    pattern_id: str
    category: Category
    language: str
    level: Level
    phrase: str  # the normalised words that matched
    contexts: tuple[Context, ...] = ()


@dataclass(frozen=True)
class ClassifierEvidence:
    """What the statistical layer saw: its probability, heaviest n-grams and nearest examples."""

    probability: float
    top_ngrams: tuple[tuple[str, float], ...] = ()
    nearest: tuple[tuple[str, str, float], ...] = ()  # (example id, category, similarity)
    urgency: float | None = None  # the level model's probability of "urgent", when it was asked


@dataclass(frozen=True)
class Detection:
    """The result of :func:`alongside.safety.detect`."""

    level: Level
    categories: tuple[Category, ...] = ()
    hits: tuple[PatternHit, ...] = ()
    classifier: ClassifierEvidence | None = None
    from_history: bool = False  # raised to this level by the client's recent messages
    check_failed: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def alert(self) -> bool:
        return self.level > Level.NONE

    @property
    def urgent(self) -> bool:
        return self.level is Level.URGENT

    @property
    def show_resources(self) -> bool:
        """Whether the client should see crisis lines now: urgent, or a risk statement of their own.

        Passive ideation and hopelessness show them; a denial, a memory, a hypothetical or
        someone else's risk ("I'd never hurt myself") goes to the clinician without them.
        """
        return self.urgent or any(h.level > Level.NONE and not h.contexts for h in self.hits)

    def evidence(self) -> dict[str, object]:
        """A JSON-ready summary for clinicians and logs (normalised phrases, no raw text)."""
        return {
            "level": self.level.label,
            "categories": [str(c) for c in self.categories],
            "patterns": [
                {
                    "id": h.pattern_id,
                    "level": h.level.label,
                    "phrase": h.phrase,
                    "context": [str(c) for c in h.contexts],
                }
                for h in self.hits
            ],
            "classifier": None
            if self.classifier is None
            else {
                "probability": round(self.classifier.probability, 3),
                "top_ngrams": [[g, round(w, 3)] for g, w in self.classifier.top_ngrams],
                "nearest": [list(n) for n in self.classifier.nearest],
                "urgency": None if self.classifier.urgency is None else round(self.classifier.urgency, 3),
            },
            "from_history": self.from_history,
            "check_failed": self.check_failed,
            "notes": list(self.notes),
        }
