"""Load the shipped instruments from their data files, once, on first use, and check they agree."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from alongside.measures.library.fhir import items_from_questionnaire, validate_questionnaire
from alongside.measures.library.metadata import ScoringSpec
from alongside.measures.library.types import Band, EnableWhen, Instrument, Item, tidy

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"

_lock = threading.Lock()


class InstrumentDataError(RuntimeError):
    """A shipped data file is broken: a bug in Alongside, not in the caller's input."""


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstrumentDataError(f"{path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise InstrumentDataError(f"{path.name}: expected a JSON object")
    return data


def load_instrument(code: str, directory: Path = INSTRUMENTS_DIR) -> tuple[Instrument, ScoringSpec]:
    """Read and cross-check <code>.questionnaire.json and <code>.scoring.json."""
    questionnaire = _read_json(directory / f"{code}.questionnaire.json")
    try:
        spec = ScoringSpec.model_validate(_read_json(directory / f"{code}.scoring.json"))
    except ValidationError as exc:
        raise InstrumentDataError(f"{code}.scoring.json: {exc}") from exc
    if spec.code != code:
        raise InstrumentDataError(f"{code}.scoring.json names itself {spec.code!r}")
    resource = validate_questionnaire(questionnaire)
    raw_items = items_from_questionnaire(questionnaire, label=spec.short_name)
    by_id = {item.link_id: item for item in raw_items}

    named = set(spec.unscored_items) | set(spec.computed_enable_when) | {c.item for c in spec.critical}
    named |= {i for s in spec.subscales for i in s.items}
    named |= set(spec.reverse.items if spec.reverse else [])
    unknown = named - set(by_id)
    if unknown:
        raise InstrumentDataError(f"{code}.scoring.json names items the questionnaire lacks: {sorted(unknown)}")

    items: list[Item] = []
    for item in raw_items:
        critical = [c.description for c in spec.critical if c.item == item.link_id]
        computed = spec.computed_enable_when.get(item.link_id)
        items.append(
            replace(
                item,
                scored=item.link_id not in spec.unscored_items,
                critical=" ".join(critical) or None,
                enable_when=(
                    (EnableWhen(question=computed.question, operator=computed.operator, answer=computed.answer),)
                    if computed
                    else item.enable_when
                ),
                enable_behavior="all" if computed else item.enable_behavior,
            )
        )

    multiplier = spec.total.multiplier if spec.total else 1
    scored = [i for i in items if i.scored]
    total_min = tidy(multiplier * sum(min(i.values) for i in scored))
    total_max = tidy(multiplier * sum(max(i.values) for i in scored))
    rc = spec.reliable_change
    if rc.method == "jacobson_truax":
        from alongside.measures.library.outcomes import jacobson_truax

        assert rc.sd is not None
        assert rc.reliability is not None
        rc_value: float | None = jacobson_truax(rc.sd, rc.reliability)
    else:
        rc_value = rc.value
    instrument = Instrument(
        code=code,
        name=spec.name,
        short_name=spec.short_name,
        items=tuple(items),
        licence=spec.licence,
        citation=spec.citation,
        validated=spec.validated,
        loinc_total=spec.loinc_total,
        preamble=spec.preamble,
        recall_period=spec.recall_period,
        bands=tuple(Band(label=b.label, low=b.min, high=b.max) for b in (spec.bands.bands if spec.bands else [])),
        bands_source=spec.bands.source if spec.bands else "",
        caseness_operator=spec.caseness.operator if spec.caseness else None,
        caseness_value=tidy(spec.caseness.value) if spec.caseness else None,
        caseness_source=spec.caseness.source if spec.caseness else "",
        higher_is_better=spec.higher_is_better,
        total_min=None if spec.no_total else total_min,
        total_max=None if spec.no_total else total_max,
        reliable_change=rc_value,
        reliable_change_source=" ".join(part for part in (rc.source, rc.note) if part),
        has_total=not spec.no_total,
        metadata={"questionnaire_url": str(resource.url or ""), "copyright": str(resource.copyright or "")},
    )
    return instrument, spec


@cache
def registry() -> dict[str, tuple[Instrument, ScoringSpec]]:
    """Return every shipped instrument by code, loading the data files on first call."""
    with _lock:
        codes = sorted(p.name.removesuffix(".scoring.json") for p in INSTRUMENTS_DIR.glob("*.scoring.json"))
        return {code: load_instrument(code) for code in codes}
