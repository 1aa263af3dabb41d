"""The scoring engine: check answers against the questionnaire, then apply the instrument's published rules.

Generic rules (sum, reverse items, multiplier, prorating, subscales, bands, caseness, critical items) come from
the scoring metadata; the few rules that are one instrument's own (PCL-5 diagnosis, WHO-5 percentage, AUDIT-C
sex-specific cut-off, C-SSRS triage, PHQ-15 and WSAS items that may not apply) are in rules.py. Each rule's source
is in the data file next to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alongside.measures.library import rules
from alongside.measures.library.metadata import BandsSpec, ScoringSpec
from alongside.measures.library.types import (
    TOTAL_QUESTION,
    AnswerError,
    Band,
    Instrument,
    Item,
    ScoreResult,
    compare,
    tidy,
)

Answers = Mapping[str, int | str | None] | Sequence[int | str | None]
SKIPPED = "-"


def _value(instrument: Instrument, item: Item, raw: object) -> int | None:
    if raw is None or raw == SKIPPED:
        return None
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise AnswerError(f"{instrument.short_name} item {_label(item)}: {raw!r} is not a whole number or '-'")


def _label(item: Item) -> str:
    return item.prefix or str(item.number)


def normalise(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """Return answers keyed by link_id, from a mapping or from values in item order."""
    if isinstance(answers, Mapping):
        known = {item.link_id for item in instrument.items}
        unknown = sorted(set(answers) - known)
        if unknown:
            raise AnswerError(f"{instrument.short_name}: no item called {unknown[0]!r}")
        return {item.link_id: _value(instrument, item, answers.get(item.link_id)) for item in instrument.items}
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise AnswerError(f"{instrument.short_name}: answers must be a list in item order or a mapping by item id")
    # Trailing optional items may be left off (PHQ-9's difficulty item).
    required_len = len(instrument.items)
    while required_len > 0 and not instrument.items[required_len - 1].required:
        required_len -= 1
    if not required_len <= len(answers) <= len(instrument.items):
        expected = (
            str(len(instrument.items))
            if required_len == len(instrument.items)
            else f"{required_len} to {len(instrument.items)}"
        )
        raise AnswerError(f"{instrument.short_name}: expected {expected} answers, got {len(answers)}")
    padded = list(answers) + [None] * (len(instrument.items) - len(answers))
    return {item.link_id: _value(instrument, item, raw) for item, raw in zip(instrument.items, padded, strict=True)}


def _why_disabled(instrument: Instrument, item: Item) -> str:
    parts = []
    for cond in item.enable_when:
        if cond.question == TOTAL_QUESTION:
            parts.append(f"the total is {cond.operator} {cond.answer}")
        else:
            other = instrument.item(cond.question)
            parts.append(f"item {_label(other)} {cond.operator} {cond.answer}")
    joiner = " or " if item.enable_behavior == "any" else " and "
    return joiner.join(parts)


def check(instrument: Instrument, answers: Mapping[str, int | None], max_missing: int = 0) -> list[Item]:
    """Refuse out-of-range values, answers to items not asked and missing required items.

    Return the required items left unanswered when the instrument allows that many (prorating).
    """
    name = instrument.short_name
    for item in instrument.items:
        value = answers.get(item.link_id)
        if value is not None and value not in item.values:
            allowed = ", ".join(str(v) for v in sorted(item.values))
            raise AnswerError(f"{name} item {_label(item)}: {value} is not one of the answers ({allowed})")
    enabled = {item.link_id for item in instrument.enabled_items(answers)}
    missing: list[Item] = []
    for item in instrument.items:
        value = answers.get(item.link_id)
        if item.link_id not in enabled:
            if value is not None:
                raise AnswerError(
                    f"{name} item {_label(item)} is asked only when {_why_disabled(instrument, item)}, "
                    f"but it was answered; give '-' for it"
                )
        elif value is None and item.required:
            missing.append(item)
    if len(missing) > max_missing:
        numbers = ", ".join(_label(i) for i in missing)
        allowance = f" (at most {max_missing} may be left out)" if max_missing else ""
        raise AnswerError(f"{name}: required item(s) {numbers} not answered{allowance}")
    return missing


def band_for(bands: Sequence[Band], score: float | None) -> str | None:
    """Return the label of the band holding `score`; a prorated score between two bands takes the lower one."""
    if score is None or not bands:
        return None
    current = None
    for band in bands:
        if score >= band.low:
            current = band
    if current is None or (current is bands[-1] and score > current.high):
        return None
    return current.label


def _bands(spec: BandsSpec | None) -> list[Band]:
    return [Band(label=b.label, low=b.min, high=b.max) for b in (spec.bands if spec else [])]


def critical_rule_holds(spec: ScoringSpec, link_id: str, value: int) -> bool:
    return any(c.item == link_id and compare(value, c.operator, c.value) for c in spec.critical)


def _item_scores(instrument: Instrument, spec: ScoringSpec | None, values: Mapping[str, int | None]) -> dict[str, int]:
    """Each answered, scored item's score, reverse-keyed where the instrument says so."""
    reverse = set(spec.reverse.items) if spec and spec.reverse else set()
    item_scores: dict[str, int] = {}
    for item in instrument.items:
        value = values[item.link_id]
        if value is None or not item.scored:
            continue
        # Reverse-keyed items (PSS-10 4, 5, 7, 8: Cohen 1983; CORE-10 2, 3: Barkham 2013) map min..max onto max..min.
        item_scores[item.link_id] = min(item.values) + max(item.values) - value if item.link_id in reverse else value
    return item_scores


def score_instrument(
    instrument: Instrument, spec: ScoringSpec | None, answers: Answers, context: Mapping[str, Any]
) -> ScoreResult:
    """Score one administration of `instrument`."""
    if (spec is None or spec.rule != "auditc") and context:
        raise AnswerError(f"{instrument.short_name} takes no {', '.join(sorted(context))} argument")
    values = normalise(instrument, answers)
    max_missing = spec.prorate.max_missing if spec and spec.prorate else 0
    missing = check(instrument, values, max_missing)

    item_scores = _item_scores(instrument, spec, values)
    scored_items = [i for i in instrument.items if i.scored]
    raw = sum(item_scores.values())
    if missing:
        # Prorating, where the instrument defines it: CORE-10's clinical score is the item mean x 10, allowed
        # with one item missing (Connell & Barkham 2007; Barkham et al. 2013).
        total: float | int | None = tidy(raw * len(scored_items) / (len(scored_items) - len(missing)))
    else:
        total = raw
    multiplier = spec.total.multiplier if spec and spec.total else 1
    if total is not None:
        # WHO-5 raw x 4 = percentage (Topp et al. 2015); DASS-21 sums x 2 (Lovibond & Lovibond 1995).
        total = tidy(total * multiplier)
    if spec and spec.no_total:
        total = None

    # Severity bands as published: PHQ-9 Kroenke 2001; GAD-7 Spitzer 2006; PHQ-15 Kroenke 2002; K10 Andrews &
    # Slade 2001; PSS-10 common convention; WSAS Mundt 2002; CORE-10 Barkham 2013; WHO-5 Topp 2015 (see files).
    severity = band_for(instrument.bands, total)

    caseness: bool | None = None
    if instrument.caseness_operator and instrument.caseness_value is not None and total is not None:
        # PHQ-9 >= 10 and GAD-7 >= 8 (NHS Talking Therapies manual 2024); PHQ-2/GAD-2 >= 3 (Kroenke 2003/2007);
        # CORE-10 >= 11 (Barkham 2013); PCL-5 >= 33 (Bovin 2016); WHO-5 <= 50% (Topp 2015).
        caseness = compare(total, instrument.caseness_operator, instrument.caseness_value)

    subscales: dict[str, float | int] = {}
    extra: dict[str, Any] = {}
    if spec:
        sub_severity: dict[str, str | None] = {}
        for sub in spec.subscales:
            # PCL-5 DSM-5 clusters (Weathers 2013); DASS-21 subscales x 2 (Lovibond & Lovibond 1995).
            subscales[sub.name] = tidy(sum(item_scores.get(i, 0) for i in sub.items) * sub.multiplier)
            if sub.bands:
                sub_severity[sub.name] = band_for(_bands(sub.bands), subscales[sub.name])
        if sub_severity:
            extra["subscale_severity"] = sub_severity

    critical_items: list[int] = []
    for item in instrument.items:
        value = values[item.link_id]
        # PHQ-9 item 9 > 0 (Kroenke 2001); CORE-10 item 6 > 0 (Barkham 2013); C-SSRS 3-6 yes (Columbia triage).
        if spec and value is not None and critical_rule_holds(spec, item.link_id, value):
            critical_items.append(item.number)

    if missing:
        extra["prorated"] = True
        extra["missing_items"] = [i.number for i in missing]
    if not instrument.validated:
        extra["validated"] = False

    result = ScoreResult(
        instrument=instrument.code,
        total=total,
        severity=severity,
        subscales=subscales,
        critical_items=critical_items,
        caseness=caseness,
        extra=extra,
    )
    if spec and spec.rule:
        result = rules.apply(spec, instrument, values, item_scores, result, context)
    return result
