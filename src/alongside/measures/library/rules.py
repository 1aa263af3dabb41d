"""Scoring rules that belong to one instrument; each cites its source, which is also in the data file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from alongside.measures.library.metadata import ScoringSpec
from alongside.measures.library.types import AnswerError, Instrument, ScoreResult, tidy

SEXES = {"male": "male", "m": "male", "man": "male", "female": "female", "f": "female", "woman": "female"}


def _pcl5(spec: ScoringSpec, values: Mapping[str, int | None], result: ScoreResult) -> ScoreResult:
    # Weathers et al. 2013 (National Center for PTSD scoring guidance): an item rated 2 ("Moderately") or higher
    # is a symptom endorsed; provisional DSM-5 PTSD needs >= 1 B (1-5), >= 1 C (6-7), >= 2 D (8-14), >= 2 E (15-20).
    endorsed_at = int(spec.rule_params["endorsed_at"])
    need: dict[str, int] = spec.rule_params["need"]
    counts = {
        sub.name: sum(1 for i in sub.items if (values.get(i) or 0) >= endorsed_at)
        for sub in spec.subscales
        if sub.name in need
    }
    diagnosis = all(counts[name] >= minimum for name, minimum in need.items())
    # Bovin et al. 2016: total cut-point 31-33 for probable PTSD; caseness uses 33 (from the data file).
    return replace(
        result,
        extra={
            **result.extra,
            "provisional_diagnosis": diagnosis,
            "symptoms_endorsed": counts,
            "cut_point": tidy(spec.caseness.value) if spec.caseness else None,
            "above_cut_point": result.caseness,
        },
    )


def _who5(spec: ScoringSpec, item_scores: Mapping[str, int], result: ScoreResult) -> ScoreResult:
    # Topp et al. 2015: raw 0-25 x 4 = percentage; <= 50% (raw < 13) poor wellbeing, <= 28% likely depression.
    raw = sum(item_scores.values())
    percentage = raw * 4
    return replace(
        result,
        extra={
            **result.extra,
            "raw": raw,
            "percentage": percentage,
            "poor_wellbeing": percentage <= spec.rule_params["poor_wellbeing_at_or_below"],
            "depression_screen_positive": percentage <= spec.rule_params["depression_at_or_below"],
        },
    )


def _auditc(spec: ScoringSpec, result: ScoreResult, context: Mapping[str, Any]) -> ScoreResult:
    unknown = set(context) - {"sex"}
    if unknown:
        raise AnswerError(f"AUDIT-C takes no {', '.join(sorted(unknown))} argument")
    raw_sex = context.get("sex")
    sex = None
    if raw_sex not in (None, ""):
        sex = SEXES.get(str(raw_sex).strip().lower())
        if sex is None:
            raise AnswerError(f"AUDIT-C: sex must be 'male' or 'female', not {raw_sex!r}")
    # Bradley et al. 2007: screen positive at >= 4 for men, >= 3 for women. Without sex we cannot say.
    cut_off = spec.rule_params[sex] if sex else None
    caseness = None if cut_off is None or result.total is None else result.total >= cut_off
    return replace(result, caseness=caseness, extra={**result.extra, "sex": sex, "cut_off": cut_off})


def _cssrs(values: Mapping[str, int | None], result: ScoreResult) -> ScoreResult:
    # Columbia Lighthouse Project screener triage: yes to 4 or 5, or behaviour (6) within 3 months = high;
    # yes to 3, or behaviour more than 3 months ago = moderate; yes to 1 or 2 = low.
    def yes(link_id: str) -> bool:
        return values.get(link_id) == 1

    if yes("cssrs-4") or yes("cssrs-5") or (yes("cssrs-6") and yes("cssrs-6a")):
        level = "high"
    elif yes("cssrs-3") or yes("cssrs-6"):
        level = "moderate"
    elif yes("cssrs-1") or yes("cssrs-2"):
        level = "low"
    else:
        level = "none"
    return replace(result, extra={**result.extra, "risk_level": level})


def _not_applicable(result: ScoreResult, values: Mapping[str, int | None], link_id: str, key: str) -> ScoreResult:
    # PHQ-15 (Kroenke 2002): the menstrual item is for women only and is left out of the sum.
    # WSAS (Mundt 2002): the work item is left blank by people retired or not working; no prorating is defined.
    return replace(result, extra={**result.extra, key: values.get(link_id) is not None})


def apply(
    spec: ScoringSpec,
    instrument: Instrument,
    values: Mapping[str, int | None],
    item_scores: Mapping[str, int],
    result: ScoreResult,
    context: Mapping[str, Any],
) -> ScoreResult:
    """Apply the instrument's own rule named in its scoring file."""
    match spec.rule:
        case "pcl5":
            return _pcl5(spec, values, result)
        case "who5":
            return _who5(spec, item_scores, result)
        case "auditc":
            return _auditc(spec, result, context)
        case "cssrs":
            return _cssrs(values, result)
        case "phq15":
            return _not_applicable(result, values, "phq15-4", "menstrual_item_applies")
        case "wsas":
            return _not_applicable(result, values, "wsas-1", "work_item_applies")
    raise AssertionError(f"{instrument.code}: unknown rule {spec.rule!r}")
