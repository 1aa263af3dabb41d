"""Put the layers together: normalise, find patterns, weigh context, classify, look back 48 h."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from alongside.safety import classifier, context, patterns
from alongside.safety.normalize import MAX_CHARS
from alongside.safety.result import Category, ClassifierEvidence, Context, Detection, Level, PatternHit

logger = logging.getLogger("alongside.safety")

# Categories whose recent presence makes a timing phrase ("tonight's the night") urgent.
_RISK_HISTORY = {
    Category.SUICIDE_IDEATION,
    Category.PLAN_OR_PREPARATION,
    Category.MEANS,
    Category.GOODBYE_OR_FINALITY,
    Category.BURDEN_HOPELESSNESS,
    Category.SELF_HARM,
}
FAILED = Detection(
    level=Level.REVIEW,
    categories=(Category.CHECK_FAILED,),
    check_failed=True,
    notes=("The crisis-language check could not run on this text; please read it.",),
)


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def pattern_hits(normalized: str) -> list[PatternHit]:
    """The pattern families that match the normalised text, each with its level after context."""
    hits = []
    for found in patterns.find(normalized):
        family = found.family
        level = family.level
        contexts: tuple[Context, ...] = ()
        if level is not Level.NONE:
            contexts = context.modifiers(normalized, found.start, found.end, family.category)
            if contexts and level is Level.URGENT:
                level = Level.REVIEW
        hits.append(PatternHit(family.id, family.category, family.language, level, found.phrase, contexts))
    return hits


def _history_risk(history: Iterable[object]) -> bool:
    """Whether any recent message carried risk that a plain timing phrase now completes."""
    for previous in list(history)[-50:]:
        normalized = patterns.normalize(_as_text(previous)[:MAX_CHARS])
        if any(h.level > Level.NONE and h.category in _RISK_HISTORY for h in pattern_hits(normalized)):
            return True
    return False


def _detect(text: str, history: Iterable[object], explain: bool) -> Detection:
    normalized = patterns.normalize(text)
    if not normalized:
        return Detection(level=Level.NONE)
    hits = pattern_hits(normalized)
    timing = any(h.level is Level.NONE for h in hits)
    level = max((h.level for h in hits), default=Level.NONE)
    categories = [h.category for h in hits if h.level > Level.NONE]
    notes: list[str] = []
    scored = classifier.score(normalized, by_sentence=level is Level.NONE)
    evidence = None
    if scored is not None:
        probability, vector = scored
        short = classifier.is_short(normalized)
        idiom = level is Level.NONE and context.figurative(normalized)
        raised = (
            classifier.is_alert(probability)
            and not idiom
            and (level > Level.NONE or not short or classifier.is_short_alert(probability))
        )
        evidence = ClassifierEvidence(probability=probability)
        if (raised or level > Level.NONE) and (explain or (raised and level is Level.NONE)):
            evidence = classifier.explain(probability, vector)
        if raised and level is Level.NONE:
            level = Level.REVIEW
            known = {str(c) for c in Category}
            categories.extend([Category(c) for _id, c, _s in evidence.nearest if c in known][:1])
            notes.append("Raised by the statistical classifier; no phrase pattern matched.")
        patterned = any(h.level > Level.NONE for h in hits)
        confident = patterned or (
            probability >= classifier.URGENT_MIN_ALERT
            and not context.about_others_or_the_past(normalized)
            # a short text alone: urgent only with a pattern's timing cue
            and (timing or not short)
        )
        if (
            level is Level.REVIEW
            and confident
            and not any(h.contexts for h in hits)
            and not context.break_up(normalized)
        ):
            urgency = classifier.urgency(vector)
            if urgency is not None:
                evidence = replace(evidence, urgency=urgency)
                if classifier.is_urgent(urgency):
                    level = Level.URGENT
                    notes.append(
                        "Urgent: the classifier's level model reads a plan, means, timing or something "
                        "happening now (no denial, memory or other person found)."
                    )
    from_history = False
    completes = timing or (level is Level.REVIEW and any(h.category in _RISK_HISTORY for h in hits))
    if completes and history and _history_risk(history):
        from_history = level < Level.URGENT
        level = Level.URGENT
        categories.append(Category.PLAN_OR_PREPARATION)
        notes.append("Urgent because of risk in the client's messages of the last 48 hours.")
    unique = tuple(dict.fromkeys(categories))
    return Detection(
        level=level,
        categories=unique,
        hits=tuple(h for h in hits if h.level > Level.NONE or from_history),
        classifier=evidence,
        from_history=from_history,
        notes=tuple(notes),
    )


def detect(
    text: object, *, language: str | None = None, history: Iterable[object] = (), explain: bool = False
) -> Detection:
    """Return the crisis level, categories and evidence for a client's text. Never raises.

    ``language`` ("en", "es") is a hint only: both languages are always checked, because
    clients mix them. ``history`` is the client's earlier texts of the last 48 hours,
    oldest first. If the check fails internally, the result is "review" with
    ``check_failed`` set, so that a person reads the text. With ``explain``, an alert
    also carries the classifier's heaviest n-grams and nearest labelled examples (an
    alert raised by the classifier alone always does).
    """
    try:
        return _detect(_as_text(text)[:MAX_CHARS], history or (), explain)
    except Exception:
        logger.exception("safety: the crisis-language check failed; asking for review")
        return FAILED
