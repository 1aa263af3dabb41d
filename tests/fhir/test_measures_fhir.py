"""FHIR R4 export of questionnaire administrations: every resource validates and carries the right codes."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from alongside.fhir.measures import (
    BAND_SYSTEM,
    LOINC,
    MEASURES_SYSTEM,
    administration_resources,
    as_json,
    client_measures_bundle,
    questionnaire_response,
    score_observations,
)
from alongside.measures import library
from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus
from alongside.measures.services import response_save_answer, response_start, response_submit
from alongside.synth.measures import score_fields
from alongside.synth.responses import answer_instrument, theta_of
from tests import factories

pytestmark = pytest.mark.django_db

R4B = {"QuestionnaireResponse": QuestionnaireResponse, "Observation": Observation, "Patient": Patient}


def _valid(resource: Any) -> dict[str, Any]:
    """Round-trip a resource through its JSON and the R4B model; return the JSON."""
    data = as_json(resource)
    R4B[data["resourceType"]].model_validate(data)
    return data


def _submit(client: Any, code: str, answers: list[int | None] | dict[str, int]) -> MeasureResponse:
    """Answer and submit through the product's services, as the client."""
    instrument = library.get(code)
    if not isinstance(answers, dict):
        answers = {i.link_id: v for i, v in zip(instrument.items, answers, strict=False) if v is not None}
    response = response_start(
        actor=client.user, client_id=client.pk, instrument=code, idempotency_key=f"test-{uuid.uuid4().hex[:12]}"
    )
    response_submit(actor=client.user, response_id=response.pk, answers=answers)
    return MeasureResponse.objects.select_related("score").get(pk=response.pk)


def _direct(client: Any, code: str, answers: dict[str, int]) -> MeasureResponse:
    """Store a scored administration directly (for instruments whose scoring needs context)."""
    now = timezone.now()
    response = MeasureResponse(
        client=client,
        instrument=code,
        idempotency_key=f"direct-{uuid.uuid4().hex[:12]}",
        status=ResponseStatus.SUBMITTED,
        submitted_at=now,
    )
    response.answers = answers  # type: ignore[assignment]
    response.save(force_insert=True)
    fields = score_fields(code, answers) if code != "auditc" else _auditc_fields(answers)
    MeasureScore.objects.create(response=response, client=client, instrument=code, scored_at=now, **fields)
    return MeasureResponse.objects.select_related("score").get(pk=response.pk)


def _auditc_fields(answers: dict[str, int]) -> dict[str, Any]:
    result = library.score("auditc", answers, sex="female")
    return {"total": result.total, "severity": result.severity or "", "caseness": result.caseness}


def _by_id(resources: list[Any]) -> dict[str, dict[str, Any]]:
    return {data["id"]: data for data in (_valid(r) for r in resources)}


@pytest.fixture
def sam() -> Any:
    return factories.world().sam


def test_phq9_exports_a_questionnaire_response_with_coded_answers(sam: Any) -> None:
    """Every answered item, in order, with the Questionnaire's own coding; canonical URL, subject, time."""
    response = _submit(sam, "phq9", [1, 2, 1, 0, 3, 1, 0, 0, 1, 1])
    qr = _valid(questionnaire_response(response))
    assert qr["questionnaire"] == "https://alongside.example/fhir/Questionnaire/phq9"
    assert qr["status"] == "completed"
    assert qr["subject"] == {"reference": f"Patient/{sam.pk}"}
    assert qr["authored"].startswith(str(response.submitted_at.astimezone(timezone.UTC).date()))
    assert [i["linkId"] for i in qr["item"]] == [f"phq9-{n}" for n in range(1, 11)]
    fifth = qr["item"][4]["answer"][0]["valueCoding"]
    assert fifth == {
        "system": "https://alongside.example/fhir/CodeSystem/answer-value",
        "code": "3",
        "display": "Nearly every day",
    }
    assert qr["item"][0]["text"] == "Little interest or pleasure in doing things"


def test_phq9_total_has_loinc_code_band_and_panel(sam: Any) -> None:
    """PHQ-9 total 44261-6 (valueInteger, band 'mild') inside the 44249-1 panel, both derived from the response."""
    response = _submit(sam, "phq9", [1, 2, 1, 0, 3, 1, 0, 0, 1, 1])
    observations = _by_id(score_observations(response.score))
    panel, total = observations[f"{response.pk}-panel"], observations[f"{response.pk}-total"]
    assert panel["code"]["coding"][0]["system"] == LOINC
    assert panel["code"]["coding"][0]["code"] == "44249-1"
    assert panel["hasMember"] == [{"reference": f"Observation/{response.pk}-total"}]
    assert "valueInteger" not in panel
    assert total["code"]["coding"][0] == {"system": LOINC, "code": "44261-6", "display": "PHQ-9 total score"}
    assert total["code"]["coding"][1]["system"] == MEASURES_SYSTEM
    assert total["valueInteger"] == 9
    assert total["interpretation"][0]["coding"][0] == {"system": BAND_SYSTEM, "code": "mild", "display": "mild"}
    for observation in (panel, total):
        assert observation["status"] == "final"
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response.pk}"}]
        assert observation["subject"] == {"reference": f"Patient/{sam.pk}"}
        assert observation["effectiveDateTime"]


@pytest.mark.parametrize(
    ("code", "answers", "loinc_total", "panel", "value"),
    [
        ("gad7", [3, 2, 2, 1, 0, 2, 1], "70274-6", "69737-5", 11),
        ("phq2", [2, 1], "55758-7", "55757-9", 3),
    ],
)
def test_gad7_and_phq2_totals_have_loinc_codes(
    sam: Any, code: str, answers: list[int], loinc_total: str, panel: str, value: int
) -> None:
    """GAD-7 total 70274-6 in panel 69737-5; PHQ-2 total 55758-7 in panel 55757-9."""
    response = _submit(sam, code, answers)
    observations = _by_id(score_observations(response.score))
    total = observations[f"{response.pk}-total"]
    assert total["code"]["coding"][0]["code"] == loinc_total
    assert total["valueInteger"] == value
    assert observations[f"{response.pk}-panel"]["code"]["coding"][0]["code"] == panel


def test_who5_uses_our_code_system_and_a_percentage(sam: Any) -> None:
    """WHO-5 has no LOINC total we could confirm: our code, the percentage as a UCUM quantity, no panel."""
    response = _submit(sam, "who5", [3, 3, 4, 2, 3])
    observations = [_valid(o) for o in score_observations(response.score)]
    assert len(observations) == 1
    total = observations[0]
    assert total["code"]["coding"] == [
        {"system": MEASURES_SYSTEM, "code": "who5-total", "display": "WHO-5 total score"}
    ]
    assert total["valueQuantity"] == {"value": 60.0, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}


def test_core10_prorated_total_is_a_quantity(sam: Any) -> None:
    """A prorated CORE-10 score (not whole) exports as valueQuantity in {score}."""
    response = _submit(sam, "core10", [1, 2, 3, 1, 1, 0, 2, 1, 1, None])
    total = _valid(score_observations(response.score)[0])
    assert total["valueQuantity"]["code"] == "{score}"
    assert total["valueQuantity"]["value"] == response.score.total
    assert total["interpretation"][0]["text"] == "mild"


def test_subscales_export_with_their_bands(sam: Any) -> None:
    """DASS-21 subscales are Observations of their own, each with its severity band."""
    response = _direct(sam, "dass21", {f"dass21-{n}": 1 for n in range(1, 22)})
    observations = _by_id(score_observations(response.score))
    depression = observations[f"{response.pk}-depression"]
    assert depression["code"]["coding"][0]["code"] == "dass21-depression"
    assert depression["valueInteger"] == response.score.subscales["depression"]
    assert depression["interpretation"][0]["text"] == response.score.extra["subscale_severity"]["depression"]


def test_skipped_items_are_left_out(sam: Any) -> None:
    """PHQ-9's difficulty item, not asked when every answer is 0, is not in the QuestionnaireResponse."""
    response = _submit(sam, "phq9", [0] * 9)
    qr = _valid(questionnaire_response(response))
    assert [i["linkId"] for i in qr["item"]] == [f"phq9-{n}" for n in range(1, 10)]


def test_in_progress_response_has_no_observations(sam: Any) -> None:
    """A response left part-way exports as in-progress with the answers so far, and no scores."""
    response = response_start(actor=sam.user, client_id=sam.pk, instrument="gad7", idempotency_key="partial-123")
    response_save_answer(actor=sam.user, response_id=response.pk, link_id="gad7-1", value=2)
    response.refresh_from_db()
    resources = [_valid(r) for r in administration_resources(response)]
    assert len(resources) == 1
    assert resources[0]["status"] == "in-progress"
    assert [i["linkId"] for i in resources[0]["item"]] == ["gad7-1"]


@pytest.mark.parametrize("code", [i.code for i in library.all_instruments()])
def test_every_shipped_instrument_exports_valid_resources(sam: Any, code: str) -> None:
    """For each instrument, answers drawn by the synthetic model export as valid R4 resources."""
    rng = random.Random(code)
    answers = answer_instrument(rng, code, theta_of(0.6))
    response = _direct(sam, code, answers)
    resources = administration_resources(response)
    for data in (_valid(r) for r in resources):
        if data["resourceType"] == "Observation":
            assert data["code"]["coding"][0]["system"] in {LOINC, MEASURES_SYSTEM}
    instrument = library.get(code)
    total = next((_valid(r) for r in resources if r.id == f"{response.pk}-total"), None)
    if instrument.loinc_total:
        assert total is not None
        assert total["code"]["coding"][0] == {
            "system": LOINC,
            "code": instrument.loinc_total,
            "display": f"{instrument.short_name} total score",
        }


def test_bundle_is_a_valid_collection_with_resolvable_references(sam: Any, django_assert_max_num_queries: Any) -> None:
    """A collection Bundle: a Patient stub, each response and its Observations; every reference resolves inside."""
    responses = [
        _submit(sam, "phq9", [1, 2, 1, 0, 3, 1, 0, 0, 1, 1]),
        _submit(sam, "gad7", [3, 2, 2, 1, 0, 2, 1]),
        _submit(sam, "who5", [3, 3, 4, 2, 3]),
    ]
    fresh = list(MeasureResponse.objects.filter(pk__in=[r.pk for r in responses]))
    with django_assert_max_num_queries(2):  # the scores in one query (plus the data key, once)
        bundle = client_measures_bundle(sam, fresh)
    data = as_json(bundle)
    Bundle.model_validate(data)
    assert data["type"] == "collection"
    entries = data["entry"]
    assert entries[0]["resource"]["resourceType"] == "Patient"
    assert set(entries[0]["resource"]) == {"resourceType", "id", "active"}, "no identifying data"
    types = [e["resource"]["resourceType"] for e in entries]
    assert types.count("QuestionnaireResponse") == 3
    assert types.count("Observation") == 2 + 2 + 1
    full_urls = {e["fullUrl"] for e in entries}
    assert len(full_urls) == len(entries)
    base = "https://alongside.example/fhir/"
    for entry in entries:
        resource = entry["resource"]
        R4B[resource["resourceType"]].model_validate(resource)
        references = [resource.get("subject", {}).get("reference")]
        references += [r["reference"] for r in resource.get("derivedFrom", []) + resource.get("hasMember", [])]
        for reference in filter(None, references):
            assert base + reference in full_urls


def test_bundle_refuses_another_clients_responses(sam: Any) -> None:
    """Responses of someone else are refused rather than silently mixed into the bundle."""
    world_other = factories.client(sam.practice, name="Robin")
    theirs = _direct(world_other, "phq9", {f"phq9-{n}": 0 for n in range(1, 10)})
    with pytest.raises(ValueError, match="belong to the client"):
        client_measures_bundle(sam, [theirs])
