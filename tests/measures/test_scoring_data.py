"""The data files: valid FHIR R4 Questionnaires, complete scoring metadata, and the custom import's defences."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from alongside.measures.library import (
    AnswerError,
    Instrument,
    UnknownInstrument,
    all_instruments,
    custom_instrument_from_fhir,
    get,
    score,
    scoring_spec,
)
from alongside.measures.library.loader import INSTRUMENTS_DIR

CODES = sorted(
    [
        "phq9",
        "phq2",
        "gad7",
        "gad2",
        "pcl5",
        "who5",
        "k10",
        "dass21",
        "pss10",
        "auditc",
        "phq15",
        "wsas",
        "core10",
        "cssrs",
    ]
)


def test_the_library_ships_every_instrument_the_issue_names():
    assert [i.code for i in all_instruments()] == CODES


@pytest.mark.parametrize("code", CODES)
def test_questionnaire_validates_as_fhir_r4(code):
    """Each Questionnaire validates with fhir.resources' R4B model (R4-compatible; the default is R5)."""
    raw = json.loads((INSTRUMENTS_DIR / f"{code}.questionnaire.json").read_text(encoding="utf-8"))
    resource = Questionnaire.model_validate(raw)
    assert resource.status == "active"
    assert resource.copyright
    for item in resource.item:
        assert item.type == "choice"
        assert item.answerOption
        assert item.required is not None


@pytest.mark.parametrize("code", CODES)
def test_every_rule_carries_its_source(code):
    """Licence, citation, bands, caseness, critical rules and reliable change each name where they come from."""
    spec = scoring_spec(code)
    instrument = get(code)
    assert instrument.licence
    assert instrument.citation
    assert instrument.validated
    assert all(item.text and item.options for item in instrument.items)
    if spec.bands:
        assert spec.bands.source
    if spec.caseness:
        assert spec.caseness.source
    for rule in spec.critical:
        assert rule.source
        assert rule.description
    for sub in spec.subscales:
        assert sub.source
    assert spec.reliable_change.source or spec.reliable_change.note


def test_unknown_code_is_a_clear_key_error():
    with pytest.raises(KeyError, match="unknown instrument 'phq8'; known: auditc"):
        get("phq8")
    with pytest.raises(UnknownInstrument):
        score("PHQ9", [0] * 9)


def test_the_instruments_are_loaded_once():
    assert get("phq9") is get("phq9")


# ---- A practice's own questionnaire ---------------------------------------------------------------------------


def custom(**changes):
    resource = {
        "resourceType": "Questionnaire",
        "id": "sleep-check",
        "status": "active",
        "title": "Sleep check",
        "item": [
            {
                "linkId": "q1",
                "text": "How well did you sleep?",
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": {"code": "0", "display": "Well"}},
                    {"valueCoding": {"code": "2", "display": "Badly"}},
                ],
            },
            {
                "linkId": "q2",
                "text": "Did you nap?",
                "type": "choice",
                "required": True,
                "answerOption": [{"valueInteger": 0}, {"valueInteger": 1}],
                "enableWhen": [{"question": "q1", "operator": "=", "answerCoding": {"code": "2"}}],
            },
        ],
    }
    resource.update(changes)
    return resource


def test_custom_questionnaire_is_sum_scored_and_not_validated():
    instrument = custom_instrument_from_fhir(custom())
    assert isinstance(instrument, Instrument)
    assert instrument.validated is False
    assert instrument.code == "customsleepcheck"
    assert (instrument.total_min, instrument.total_max) == (0, 3)
    result = score(instrument, [2, 1])
    assert result.total == 3
    assert result.extra["validated"] is False
    assert score(instrument, [0, "-"]).total == 0
    with pytest.raises(AnswerError, match="item 2 is asked only when item 1 = 2"):
        score(instrument, [0, 1])


def test_custom_questionnaire_accepts_json_text_and_ordinal_values():
    resource = custom()
    resource["item"][0]["answerOption"] = [
        {
            "valueCoding": {"code": "well", "display": "Well"},
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 0}],
        },
        {
            "valueCoding": {"code": "badly", "display": "Badly"},
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 2}],
        },
    ]
    instrument = custom_instrument_from_fhir(json.dumps(resource))
    assert instrument.items[0].values == (0, 2)


def _without_enable_when(resource):
    resource["item"][1].pop("enableWhen")
    return resource


BAD = [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ({"resourceType": "Patient", "id": "x"}, "not a Questionnaire: resourceType is 'Patient'"),
    ({"title": "x"}, "not a Questionnaire: resourceType is None"),
    (custom(status="maybe"), "invalid FHIR Questionnaire: status 'maybe'"),
    (custom(date="yesterday"), "invalid FHIR Questionnaire: date"),
    (custom(item="x"), "invalid FHIR Questionnaire: item"),
    (custom(title=None), "needs a title or name"),
    (custom(item=[]), "no choice items"),
    (
        custom(item=[{"linkId": "a", "type": "choice", "answerOption": [{"valueCoding": {"code": "often"}}]}]),
        "has no integer value",
    ),
    (custom(item=[{"linkId": "a", "type": "choice", "answerOption": [{"valueString": "often"}]}]), "valueInteger"),
    (custom(item=[{"linkId": "a", "type": "string"}]), "cannot be sum-scored"),
    (custom(item=[{"linkId": "a", "type": "choice"}]), "needs answerOption"),
    (
        custom(item=[{"linkId": "a b;DROP", "type": "choice", "answerOption": [{"valueInteger": 0}]}]),
        "not a short plain identifier",
    ),
    (
        custom(item=[{"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": 0}, {"valueInteger": 0}]}]),
        "two options share a value",
    ),
    (
        custom(item=[{"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": 10**9}]}]),
        "out of range",
    ),
    (
        custom(
            item=[
                {"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": 0}]},
                {"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": 0}]},
            ]
        ),
        "linkId is used twice",
    ),
    (
        custom(
            item=[
                {
                    "linkId": "a",
                    "type": "choice",
                    "answerOption": [{"valueInteger": 0}],
                    "enableWhen": [{"question": "later", "operator": "=", "answerInteger": 1}],
                }
            ]
        ),
        "not an earlier item",
    ),
    (
        custom(
            item=[
                {
                    "linkId": "g1",
                    "type": "group",
                    "item": [
                        {
                            "linkId": "g2",
                            "type": "group",
                            "item": [{"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": 0}]}],
                        }
                    ],
                }
            ]
        ),
        "nested more than 2 deep",
    ),
    (
        custom(item=[{"linkId": f"i{n}", "type": "choice", "answerOption": [{"valueInteger": 0}]} for n in range(101)]),
        "more than 100 items",
    ),
    ("x" * (300 * 1024), "larger than 256 KB"),
    (custom(description="x" * (300 * 1024)), "larger than 256 KB"),
]


@pytest.mark.parametrize(("payload", "message"), BAD, ids=[m for _, m in BAD])
def test_custom_import_refuses_malformed_or_hostile_input(payload, message):
    """Malformed JSON, other resources, options without integer values and oversized input are refused."""
    with pytest.raises(AnswerError, match=message) as caught:
        custom_instrument_from_fhir(payload)
    assert "\n" not in str(caught.value)


def test_custom_import_refuses_deeply_nested_json():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(AnswerError):
        custom_instrument_from_fhir(deep)
