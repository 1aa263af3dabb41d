"""Read FHIR Questionnaire JSON into our items, for the shipped instruments and for a practice's own import.

We validate against the R4B model of fhir.resources (not the package's default, R5): our files and the
questionnaires practices bring from EHRs are FHIR R4, and R4B keeps R4's Questionnaire structure (R5 changed
answerConstraint, enableWhen and more). A file that validates as R4B is a valid R4 Questionnaire for every
element we use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from alongside.measures.library.types import OPERATORS, AnswerError, EnableWhen, Instrument, Item, Option

ORDINAL_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)

# Limits on a practice's own questionnaire: generous for any real measure, small enough to stop abuse.
MAX_BYTES = 256 * 1024
MAX_ITEMS = 100
MAX_OPTIONS = 20
MAX_TEXT = 1000
MAX_DEPTH = 2
MAX_VALUE = 1000
STATUSES = ("draft", "active", "retired", "unknown")
LINK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _first_line(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))


def validate_questionnaire(data: Any) -> Questionnaire:
    """Validate a FHIR R4 Questionnaire dict; raise AnswerError with one line when it is not one."""
    if not isinstance(data, Mapping):
        raise AnswerError("not a FHIR resource: expected a JSON object")
    if data.get("resourceType") != "Questionnaire":
        raise AnswerError(f"not a Questionnaire: resourceType is {data.get('resourceType')!r}")
    try:
        resource = Questionnaire.model_validate(dict(data))
    except ValidationError as exc:
        raise AnswerError(f"invalid FHIR Questionnaire: {_first_line(exc)}") from None
    # fhir.resources checks types and cardinality but not every required value set.
    if resource.status not in STATUSES:
        raise AnswerError(f"invalid FHIR Questionnaire: status {resource.status!r} is not one of {', '.join(STATUSES)}")
    return resource


def option_value(option: Mapping[str, Any], where: str) -> Option:
    """Return the integer value and label of one answerOption (valueInteger, or a valueCoding with an integer
    code or an ordinalValue extension)."""
    if "valueInteger" in option:
        value = option["valueInteger"]
        label = str(value)
    elif "valueCoding" in option:
        coding = option["valueCoding"]
        label = str(coding.get("display") or coding.get("code") or "")
        value = None
        for ext in list(option.get("extension") or []) + list(coding.get("extension") or []):
            if ext.get("url") in ORDINAL_URLS and "valueDecimal" in ext:
                value = ext["valueDecimal"]
        if value is None:
            code = str(coding.get("code", ""))
            if not re.fullmatch(r"-?\d{1,4}", code):
                raise AnswerError(f"{where}: option {label!r} has no integer value (code or ordinalValue)")
            value = int(code)
    else:
        raise AnswerError(f"{where}: options must be valueInteger or valueCoding with an integer value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise AnswerError(f"{where}: option {label!r} has a non-integer value {value!r}")
    if abs(int(value)) > MAX_VALUE:
        raise AnswerError(f"{where}: option value {value} is out of range")
    if len(label) > MAX_TEXT:
        raise AnswerError(f"{where}: option label is too long")
    return Option(value=int(value), label=label)


def _enable_when(raw: Mapping[str, Any], where: str, earlier: Mapping[str, Item]) -> EnableWhen:
    question = raw.get("question")
    operator = raw.get("operator")
    if question not in earlier:
        raise AnswerError(f"{where}: enableWhen refers to {question!r}, which is not an earlier item")
    if operator not in OPERATORS:
        raise AnswerError(f"{where}: enableWhen operator {operator!r} is not supported")
    if "answerInteger" in raw:
        answer = raw["answerInteger"]
    elif "answerCoding" in raw:
        code = str(raw["answerCoding"].get("code", ""))
        if not re.fullmatch(r"-?\d{1,4}", code):
            raise AnswerError(f"{where}: enableWhen answerCoding must have an integer code")
        answer = int(code)
    else:
        raise AnswerError(f"{where}: enableWhen must compare with answerInteger or answerCoding")
    return EnableWhen(question=str(question), operator=str(operator), answer=int(answer))


def items_from_questionnaire(data: Mapping[str, Any], *, label: str) -> list[Item]:
    """Flatten the questionnaire's choice items (groups one level deep) into our items, in order.

    Display items are skipped. Any other item type, nesting deeper than MAX_DEPTH or a repeated linkId is
    refused: we only score what we understand.
    """
    items: list[Item] = []
    seen: dict[str, Item] = {}
    all_ids: set[str] = set()

    def walk(raw_items: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise AnswerError(f"{label}: items are nested more than {MAX_DEPTH} deep")
        for raw in raw_items or []:
            link_id = str(raw.get("linkId", ""))
            where = f"{label} item {link_id!r}"
            if not LINK_ID.match(link_id):
                raise AnswerError(f"{label}: linkId {link_id!r} is not a short plain identifier")
            if link_id in all_ids:
                raise AnswerError(f"{where}: linkId is used twice")
            all_ids.add(link_id)
            kind = raw.get("type")
            text = str(raw.get("text") or "")
            if len(text) > MAX_TEXT:
                raise AnswerError(f"{where}: text is longer than {MAX_TEXT} characters")
            if kind == "display":
                continue
            if kind == "group":
                walk(raw.get("item"), depth + 1)
                continue
            if kind != "choice":
                raise AnswerError(f"{where}: type {kind!r} cannot be sum-scored (only choice items can)")
            if raw.get("item"):
                raise AnswerError(f"{where}: choice items may not contain items")
            raw_options = raw.get("answerOption") or []
            if not raw_options:
                raise AnswerError(f"{where}: a choice item needs answerOption")
            if len(raw_options) > MAX_OPTIONS:
                raise AnswerError(f"{where}: more than {MAX_OPTIONS} options")
            options = tuple(option_value(o, where) for o in raw_options)
            if len({o.value for o in options}) != len(options):
                raise AnswerError(f"{where}: two options share a value")
            conditions = tuple(_enable_when(c, where, seen) for c in raw.get("enableWhen") or [])
            item = Item(
                link_id=link_id,
                number=len(items) + 1,
                text=text,
                options=options,
                required=bool(raw.get("required", False)),
                scored=True,
                enable_when=conditions,
                critical=None,
                prefix=str(raw.get("prefix") or ""),
                enable_behavior=str(raw.get("enableBehavior") or "all"),
            )
            items.append(item)
            seen[link_id] = item
            if len(items) > MAX_ITEMS:
                raise AnswerError(f"{label}: more than {MAX_ITEMS} items")

    walk(data.get("item"), 1)
    if not items:
        raise AnswerError(f"{label}: no choice items to score")
    return items


def custom_instrument_from_fhir(questionnaire_json: Any) -> Instrument:
    """Build a practice's own instrument from a FHIR R4 Questionnaire: sum scoring, labelled not validated.

    Accepts the parsed JSON (a dict) or its text/bytes. Refuses oversized, malformed or hostile input with an
    AnswerError whose message is one line.
    """
    if isinstance(questionnaire_json, (bytes, str)):
        if len(questionnaire_json) > MAX_BYTES:
            raise AnswerError(f"questionnaire is larger than {MAX_BYTES // 1024} KB")
        try:
            questionnaire_json = json.loads(questionnaire_json)
        except (ValueError, RecursionError):
            raise AnswerError("questionnaire is not valid JSON") from None
    if not isinstance(questionnaire_json, Mapping):
        raise AnswerError("not a FHIR resource: expected a JSON object")
    try:
        size = len(json.dumps(questionnaire_json))
    except (TypeError, ValueError, RecursionError):
        raise AnswerError("questionnaire is not plain JSON") from None
    if size > MAX_BYTES:
        raise AnswerError(f"questionnaire is larger than {MAX_BYTES // 1024} KB")
    resource = validate_questionnaire(questionnaire_json)
    title = str(resource.title or resource.name or "").strip()
    if not title:
        raise AnswerError("questionnaire needs a title or name")
    if len(title) > 200:
        raise AnswerError("questionnaire title is longer than 200 characters")
    items = items_from_questionnaire(questionnaire_json, label=title)
    slug = re.sub(r"[^a-z0-9]+", "", str(resource.id or resource.name or title).lower())[:40] or "questionnaire"
    total_min = sum(min(item.values) for item in items)
    total_max = sum(max(item.values) for item in items)
    return Instrument(
        code=f"custom{slug}",
        name=title,
        short_name=title[:40],
        items=tuple(items),
        licence=str(resource.copyright or "Imported by the practice; licence not checked by Alongside."),
        citation=str(resource.publisher or "Imported by the practice."),
        validated=False,
        loinc_total=None,
        preamble=str(resource.description or ""),
        recall_period="",
        total_min=total_min,
        total_max=total_max,
    )
