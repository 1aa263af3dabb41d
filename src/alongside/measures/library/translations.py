"""Published translations of shipped instruments: ``<code>.questionnaire.<language>.json``.

A translation file holds a published form's own wording (preamble, every item, every answer), its source
and the date it was checked. There is no translation of our own here: an instrument without a published
form in the reader's language keeps its original wording, and the pages say so. Scoring never changes:
a localized instrument has the same codes, items and answer values as the original.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

from pydantic import BaseModel, ConfigDict, ValidationError

from alongside.measures.library.loader import INSTRUMENTS_DIR, InstrumentDataError
from alongside.measures.library.types import Instrument, Option


class TranslatedItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    answers: dict[str, str]


class Translation(BaseModel):
    """A published form in another language, with where its wording was checked."""

    model_config = ConfigDict(extra="forbid")

    instrument: str
    language: str
    form: str
    source: str
    source_note: str
    checked_on: str
    licence: str
    preamble: str
    items: dict[str, TranslatedItem]


def _language(language: object) -> str:
    return str(language or "").strip().lower().replace("_", "-").split("-")[0]


@cache
def translation(code: str, language: str) -> Translation | None:
    """The published ``language`` form of shipped instrument ``code``, or None when there is none."""
    path = INSTRUMENTS_DIR / f"{code}.questionnaire.{language}.json"
    if not path.is_file():
        return None
    try:
        found = Translation.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise InstrumentDataError(f"{path.name}: {exc}") from exc
    if found.instrument != code or found.language != language:
        raise InstrumentDataError(f"{path.name} names itself {found.instrument!r} in {found.language!r}")
    return found


def localized(instrument: Instrument, language: object) -> Instrument:
    """``instrument`` in its published ``language`` form when one ships; else ``instrument`` unchanged.

    Raise InstrumentDataError when the form leaves out an item or an answer, or names one the original lacks.
    """
    lang = _language(language)
    if not lang or lang == instrument.language:
        return instrument
    form = translation(instrument.code, lang)
    if form is None:
        return instrument
    if set(form.items) != {item.link_id for item in instrument.items}:
        raise InstrumentDataError(f"{instrument.code}.questionnaire.{lang}.json does not cover the same items")
    items = []
    for item in instrument.items:
        wording = form.items[item.link_id]
        if set(wording.answers) != {str(o.value) for o in item.options}:
            raise InstrumentDataError(f"{instrument.code}.questionnaire.{lang}.json: answers of {item.link_id}")
        options = tuple(Option(value=o.value, label=wording.answers[str(o.value)]) for o in item.options)
        items.append(replace(item, text=wording.text, options=options))
    metadata = {**instrument.metadata, "copyright": form.licence, "source": form.source, "checked_on": form.checked_on}
    return replace(instrument, items=tuple(items), preamble=form.preamble, language=lang, metadata=metadata)
