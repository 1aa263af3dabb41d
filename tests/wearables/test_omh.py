"""Open mHealth data points: the schemas' own examples, as a file and through the push API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alongside.accounts import tokens
from alongside.wearables.models import ImportJob
from alongside.wearables.samples import KINDS, BadInput, Kind
from alongside.wearables.sources.omh.parser import parse_points

EXAMPLES = Path(__file__).parent / "fixtures" / "openmhealth"
URL = "/api/v1/wearables/samples"


def point(example: str) -> dict:
    schema = example.split("-")[0] + "-" + example.split("-")[1]
    return {
        "header": {"schema_id": {"namespace": "omh", "name": schema}},
        "body": json.loads((EXAMPLES / example).read_text()),
    }


GOOD = [
    "step-count-valid-step-count.json",
    "heart-rate-with-temporal-relationship-to-sleep.json",
    "sleep-episode-valid-sleep-episode.json",
    "physical-activity-with-calories-burned.json",
    "step-count-with-average.json",
]


def test_the_schemas_valid_examples_become_samples():
    """Steps 10,600 over an hour, heart rate 67.5 at -08:00, a 9-hour sleep episode, an hour's walk; the average is skipped."""
    parsed = parse_points([point(name) for name in GOOD], "batch")
    samples = parsed.samples
    assert [KINDS[code] for code in samples.kind] == [Kind.STEPS, Kind.HEART_RATE, Kind.SLEEP_ASLEEP, Kind.WORKOUT]
    assert list(samples.value) == [10600, 67.5, 1.0, 60.0]
    assert samples.offset[1] == -480
    assert samples.end[2] - samples.start[2] == 9 * 3600
    assert parsed.records == 5


@pytest.mark.parametrize(
    "example",
    [
        "step-count-invalid-unit-step-count.json",
        "heart-rate-incorrect-unit.json",
        "heart-rate-missing-effective-time-frame.json",
    ],
)
def test_the_schemas_invalid_examples_are_refused_naming_the_point(example):
    """The schemas' shouldFail examples are refused, naming the data point's number and schema."""
    with pytest.raises(BadInput, match=r"batch: data point 2 \("):
        parse_points([point(GOOD[0]), point(example)], "batch")


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


@pytest.fixture
def store(settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"


def test_a_client_pushes_a_batch_once(client, world, store):
    """A pushed batch is stored; the same batch again stores nothing."""
    body = {"data_points": [point(name) for name in GOOD]}
    first = client.post(URL, body, content_type="application/json", **_auth(world.sam.user))
    assert first.status_code == 200, first.content
    assert first.json()["samples_stored"] == 4
    again = client.post(URL, body, content_type="application/json", **_auth(world.sam.user))
    assert again.json()["samples_stored"] == 0
    assert ImportJob.objects.filter(client=world.sam).count() == 1


def test_a_bad_point_refuses_the_whole_batch(client, world, store):
    """One invalid point: 422 naming it, and nothing stored."""
    body = {"data_points": [point(GOOD[0]), point("heart-rate-incorrect-unit.json")]}
    response = client.post(URL, body, content_type="application/json", **_auth(world.sam.user))
    assert response.status_code == 422
    assert "data point 2 (heart-rate)" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_staff_and_oversized_batches_are_refused(client, world, store):
    """A clinician cannot push; a batch over 5,000 points is refused before it is read."""
    body = {"data_points": [point(GOOD[0])]}
    assert client.post(URL, body, content_type="application/json", **_auth(world.alice)).status_code == 403
    huge = {"data_points": [point(GOOD[0])] * 5001}
    assert client.post(URL, huge, content_type="application/json", **_auth(world.sam.user)).status_code == 422
    assert not ImportJob.objects.exists()


def test_an_idempotency_key_replays_its_batch_and_refuses_another(client, world, store):
    """The same key and batch again stores nothing (200); the same key with a different batch gets 409."""
    headers = {**_auth(world.sam.user), "HTTP_IDEMPOTENCY_KEY": "batch-0001"}
    body = {"data_points": [point(GOOD[0])]}
    assert client.post(URL, body, content_type="application/json", **headers).json()["samples_stored"] == 1
    assert client.post(URL, body, content_type="application/json", **headers).json()["samples_stored"] == 0
    other = {"data_points": [point(GOOD[1])]}
    assert client.post(URL, other, content_type="application/json", **headers).status_code == 409
    assert ImportJob.objects.count() == 1
