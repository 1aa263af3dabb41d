"""Export questionnaire administrations as FHIR R4 QuestionnaireResponses and Observations.

Each administration becomes a ``QuestionnaireResponse`` (the instrument's canonical
Questionnaire URL, every answer as the Questionnaire's own ``valueCoding``) plus, once scored,
``Observation``s for the total and each subscale, derived from it. Totals carry their LOINC
code where one exists (PHQ-9 44261-6, GAD-7 70274-6, PHQ-2 55758-7, AUDIT-C 75626-2: the
``loinc_total`` of the instrument's scoring file, with its source there) and our own code
otherwise (:data:`MEASURES_SYSTEM`; WHO-5 among them: we found no LOINC code for its total that
we could confirm). Where the Questionnaire itself has a LOINC panel code (PHQ-9 44249-1, GAD-7
69737-5, PHQ-2 55757-9), a panel Observation with that code groups the score Observations as
``hasMember``, as LOINC's survey panels do. The severity band is the ``interpretation``.

The R4B models validate every resource: R4B keeps R4's structure for all the elements used here
(see :mod:`alongside.measures.library.fhir`).

Access is the caller's job. These functions decrypt answers and read scores without checking
who asks: call them only with instances obtained through :mod:`alongside.measures.selectors`
(``measures_client``, ``responses_for``, ``response_for``), which check the reader's access and
the client's measures scope and audit staff reads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource

from alongside.care.models import ClientProfile
from alongside.measures import library
from alongside.measures.library import Instrument
from alongside.measures.library.fhir import option_value
from alongside.measures.library.loader import INSTRUMENTS_DIR
from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus
from alongside.measures.services import answers_of

# Our canonical base, as in the shipped Questionnaires (https://alongside.example/fhir/Questionnaire/<code>).
FHIR_BASE = "https://alongside.example/fhir"
MEASURES_SYSTEM = f"{FHIR_BASE}/CodeSystem/measures"  # totals and subscales without a LOINC code
BAND_SYSTEM = f"{FHIR_BASE}/CodeSystem/severity-band"  # the published band names, slugged
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")


def as_json(resource: Resource) -> dict[str, Any]:
    """Return a resource as a JSON-ready dict (FHIR JSON: no nulls, FHIR date formats)."""
    return dict(json.loads(resource.model_dump_json()))


def _fhir_id(*parts: object) -> str:
    # FHIR ids: [A-Za-z0-9-.]{1,64}.
    return _ID_UNSAFE.sub("-", "-".join(str(p) for p in parts))[:64]


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _patient(client_id: object) -> dict[str, str]:
    return {"reference": f"Patient/{client_id}"}


@cache
def _questionnaire(code: str) -> dict[str, Any]:
    """Return the shipped Questionnaire JSON of an instrument (read once)."""
    with (INSTRUMENTS_DIR / f"{code}.questionnaire.json").open(encoding="utf-8") as handle:
        return dict(json.load(handle))


def _questionnaire_items(code: str) -> dict[str, dict[str, Any]]:
    """Return the Questionnaire's items by linkId (nested groups flattened)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(items: Iterable[Mapping[str, Any]]) -> None:
        for item in items:
            found[str(item["linkId"])] = dict(item)
            walk(item.get("item") or [])

    walk(_questionnaire(code).get("item") or [])
    return found


def _answer(code: str, link_id: str, value: int) -> dict[str, Any]:
    """Return the answer as the Questionnaire offers it: its valueCoding, or valueInteger."""
    item = _questionnaire_items(code).get(link_id, {})
    for option in item.get("answerOption") or []:
        if option_value(option, link_id).value != value:
            continue
        coding = option.get("valueCoding")
        if coding is not None:
            return {"valueCoding": {k: coding[k] for k in ("system", "code", "display") if k in coding}}
        break
    return {"valueInteger": value}


def _panel_code(code: str) -> dict[str, Any] | None:
    """Return the Questionnaire's LOINC panel coding (PHQ-9 44249-1), or None."""
    for coding in _questionnaire(code).get("code") or []:
        if coding.get("system") == LOINC:
            return {"system": LOINC, "code": coding["code"], "display": coding.get("display", "")}
    return None


def questionnaire_url(instrument: Instrument) -> str:
    """Return the canonical URL of the instrument's Questionnaire."""
    return str(instrument.metadata.get("questionnaire_url") or f"{FHIR_BASE}/Questionnaire/{instrument.code}")


def questionnaire_response(response: MeasureResponse) -> QuestionnaireResponse:
    """Return one administration as a QuestionnaireResponse (answers decrypted; see the module note on access)."""
    instrument = library.get(response.instrument)
    answers = answers_of(response)
    items = []
    for item in instrument.items:
        value = answers.get(item.link_id)
        if value is None:
            continue  # not asked (branching), or not answered yet
        items.append(
            {"linkId": item.link_id, "text": item.text, "answer": [_answer(instrument.code, item.link_id, value)]}
        )
    submitted = response.status == ResponseStatus.SUBMITTED
    authored = response.submitted_at if submitted and response.submitted_at else response.updated_at
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": _fhir_id(response.pk),
        "identifier": {"system": f"{FHIR_BASE}/measure-response", "value": str(response.pk)},
        "questionnaire": questionnaire_url(instrument),
        "status": "completed" if submitted else "in-progress",
        "subject": _patient(response.client_id),
        "authored": _instant(authored),
    }
    if items:
        data["item"] = items
    return QuestionnaireResponse.model_validate(data)


def _value(number: float, *, percent: bool = False) -> dict[str, Any]:
    if percent:
        return {"valueQuantity": {"value": number, "unit": "%", "system": UCUM, "code": "%"}}
    if float(number).is_integer():
        return {"valueInteger": int(number)}
    # A prorated score (CORE-10) is not whole: a quantity in UCUM's arbitrary unit {score}.
    return {"valueQuantity": {"value": number, "unit": "score", "system": UCUM, "code": "{score}"}}


def _band(label: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": BAND_SYSTEM, "code": _slug(label), "display": label}], "text": label}]


def _observation(
    score: MeasureScore, *, suffix: str, coding: list[dict[str, Any]], text: str, value: dict[str, Any]
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _fhir_id(score.response_id, suffix),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": coding, "text": text},
        "subject": _patient(score.client_id),
        "effectiveDateTime": _instant(_effective(score)),
        "issued": _instant(score.scored_at),
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{_fhir_id(score.response_id)}"}],
        **value,
    }


def _effective(score: MeasureScore) -> dt.datetime:
    response = score.response
    return response.submitted_at or score.scored_at


def score_observations(score: MeasureScore) -> list[Observation]:
    """Return the Observations of one scored administration: total, subscales, and the LOINC panel if any."""
    instrument = library.get(score.instrument)
    name = instrument.short_name
    members: list[dict[str, Any]] = []
    if instrument.has_total and score.total is not None:
        coding = [{"system": MEASURES_SYSTEM, "code": f"{instrument.code}-total", "display": f"{name} total score"}]
        if instrument.loinc_total:
            coding.insert(0, {"system": LOINC, "code": instrument.loinc_total, "display": f"{name} total score"})
        percent = score.extra.get("percentage") == score.total and "raw" in score.extra
        total = _observation(
            score, suffix="total", coding=coding, text=f"{name} total score", value=_value(score.total, percent=percent)
        )
        if score.severity:
            total["interpretation"] = _band(score.severity)
        members.append(total)
    bands = score.extra.get("subscale_severity")
    for key, number in sorted(score.subscales.items()):
        if not isinstance(number, int | float) or isinstance(number, bool):
            continue
        label = key.replace("_", " ")
        sub = _observation(
            score,
            suffix=_slug(key),
            coding=[
                {"system": MEASURES_SYSTEM, "code": f"{instrument.code}-{_slug(key)}", "display": f"{name} {label}"}
            ],
            text=f"{name} {label}",
            value=_value(number),
        )
        if isinstance(bands, Mapping) and isinstance(bands.get(key), str):
            sub["interpretation"] = _band(str(bands[key]))
        members.append(sub)
    resources = [Observation.model_validate(m) for m in members]
    panel = _panel_code(instrument.code)
    if panel is not None and members:
        resources.insert(
            0,
            Observation.model_validate(
                {
                    **_observation(score, suffix="panel", coding=[panel], text=instrument.name, value={}),
                    "hasMember": [{"reference": f"Observation/{m['id']}"} for m in members],
                }
            ),
        )
    return resources


def _score_of(response: MeasureResponse) -> MeasureScore | None:
    try:
        return response.score
    except MeasureScore.DoesNotExist:
        return None


def administration_resources(response: MeasureResponse, score: MeasureScore | None = None) -> list[Resource]:
    """Return the QuestionnaireResponse of an administration followed by its score Observations."""
    if score is None and response.status == ResponseStatus.SUBMITTED:
        score = _score_of(response)
    resources: list[Resource] = [questionnaire_response(response)]
    if score is not None:
        resources.extend(score_observations(score))
    return resources


def client_measures_bundle(
    client: ClientProfile, responses: Iterable[MeasureResponse], *, timestamp: dt.datetime | None = None
) -> Bundle:
    """Return a collection Bundle: a Patient stub for the client, then each administration's resources.

    The Patient carries only its id (no name or other identifiers); callers add what their receiver needs.
    Scores are read in one query whatever the number of responses.
    """
    chosen = list(responses)
    if any(r.client_id != client.pk for r in chosen):
        raise ValueError("Every response must belong to the client of the bundle.")
    by_id = {r.pk: r for r in chosen}
    scores = {s.response_id: s for s in MeasureScore.objects.filter(response__in=list(by_id))}
    for score in scores.values():
        # The response is already loaded: do not fetch it again for the effective time.
        score.response = by_id[score.response_id]
    patient = Patient.model_validate({"resourceType": "Patient", "id": _fhir_id(client.pk), "active": True})
    resources: list[Resource] = [patient]
    for response in sorted(chosen, key=lambda r: (r.submitted_at or r.updated_at, str(r.pk))):
        resources.extend(administration_resources(response, scores.get(response.pk)))
    entries = [{"fullUrl": f"{FHIR_BASE}/{r.get_resource_type()}/{r.id}", "resource": as_json(r)} for r in resources]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": _instant(timestamp or timezone.now()),
            "entry": entries,
        }
    )
