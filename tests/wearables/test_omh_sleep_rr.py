"""Open mHealth sleep-duration and rr-interval points: the schemas' own examples, RMSSD, nights, and the push API."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.wearables import storage
from alongside.wearables.features import daily_features
from alongside.wearables.metrics import Metric
from alongside.wearables.models import DailyFeature, ImportJob
from alongside.wearables.samples import KINDS, BadInput, Kind
from alongside.wearables.sources.omh import derived
from alongside.wearables.sources.omh.parser import parse_points
from tests.wearables.test_omh import URL, _auth, point

HOUR = 3600
ALTERNATING = [950, 1050] * 20  # 39 successive differences of 100 ms: RMSSD 100.0


@pytest.fixture
def store(settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"


def rr(values, unit="ms", frame=None):
    frame = frame or {"date_time": "2024-03-05T07:00:00+01:00"}
    return {
        "header": {"schema_id": {"name": "rr-interval"}},
        "body": {"rr_interval": {"value": values, "unit": unit}, "effective_time_frame": frame},
    }


def sleep(value, unit="h", start="2024-03-04T23:00:00+01:00", end="2024-03-05T07:00:00+01:00"):
    interval = {"start_date_time": start, "end_date_time": end}
    return {
        "header": {"schema_id": {"name": "sleep-duration"}},
        "body": {"sleep_duration": {"value": value, "unit": unit}, "effective_time_frame": {"time_interval": interval}},
    }


def spans(parsed):
    samples = parsed.samples
    return [
        (KINDS[kind], end - start, value)
        for kind, start, end, value in zip(samples.kind, samples.start, samples.end, samples.value, strict=True)
    ]


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        # 2.0: 7.5 hours asleep over 20:35-06:35: asleep over the 10 hours, 2.5 of them one awake spell
        ("sleep-duration-valid-sleep-duration.json", [(Kind.SLEEP_ASLEEP, 10 * HOUR, 1), (Kind.SLEEP_AWAKE, 9000, 1)]),
        ("sleep-duration-with-descriptive-statistic.json", []),  # an average is not a night
        (
            "sleep-duration-duration-shorter-than-time-frame.json",
            [(Kind.SLEEP_ASLEEP, 36000, 1), (Kind.SLEEP_AWAKE, 14400, 1)],
        ),
        ("sleep-duration-duration-longer-than-time-frame.json", [(Kind.SLEEP_ASLEEP, 36000, 1)]),  # capped at its frame
        ("sleep-duration-with-user-notes.json", [(Kind.SLEEP_ASLEEP, 36000, 1), (Kind.SLEEP_AWAKE, 14400, 1)]),
        # One beat of 30 ms each: too few beats for an RMSSD (and an artefact), so no sample and no refusal
        ("rr-interval-rr-interval-only.json", []),
        ("rr-interval-with-statistic.json", []),
        ("rr-interval-with-temporal-relationship-to-physical-activity.json", []),
        ("rr-interval-with-time-frame.json", []),
    ],
)
def test_the_schemas_valid_examples_read(example, expected):
    """Each shouldPass example of sleep-duration and rr-interval is read, giving the samples it holds."""
    assert spans(parse_points([point(example)], "batch")) == expected


@pytest.mark.parametrize(
    ("example", "reason"),
    [
        ("sleep-duration-empty-document.json", "Field required"),
        ("sleep-duration-sleep-duration-only.json", "Field required"),
        ("sleep-duration-with-date-time.json", "needs a time_interval"),
        ("sleep-duration-invalid-unit.json", "not valid"),
        ("sleep-duration-missing-sleep-duration.json", "not valid"),
        ("rr-interval-empty-document.json", "Field required"),
        ("rr-interval-invalid-rr-interval.json", "rr_interval's unit must be 'ms' or 's' (not 'mm')"),
    ],
)
def test_the_schemas_invalid_examples_are_refused_naming_the_point(example, reason):
    """Each shouldFail example is refused, naming the data point's number and schema."""
    with pytest.raises(BadInput, match=r"batch: data point 2 \(") as refused:
        parse_points([point("step-count-valid-step-count.json"), point(example)], "batch")
    assert reason in str(refused.value)


def test_a_sleep_duration_in_seconds_is_refused_with_its_unit():
    """The schemas' units are sec, min and h: 's' is refused, naming it (the examples also lack a time_interval)."""
    with pytest.raises(BadInput, match=r"data point 1 \(sleep-duration\).*'sec', 'min' or 'h' \(not 's'\)"):
        parse_points([sleep(24000, unit="s")], "batch")


def test_alternating_beats_give_an_rmssd_of_100_in_ms_and_in_seconds():
    """950/1050 ms alternating is an RMSSD of 100.0 ms, whether written in ms, in s, or as a list of objects."""
    in_seconds = [value / 1000 for value in ALTERNATING]
    objects = rr([], frame={"date_time": "2024-03-05T07:00:00+01:00"})
    objects["body"]["rr_interval"] = [{"value": value, "unit": "ms"} for value in ALTERNATING]
    for data in (rr(ALTERNATING), rr(in_seconds, unit="s"), objects):
        parsed = parse_points([data], "batch")
        assert spans(parsed) == [(Kind.HRV_RMSSD, 40, 100.0)]  # from its date_time over its 40 s of beats
        assert parsed.samples.offset[0] == 60
        assert parsed.samples.start[0] == int(dt.datetime(2024, 3, 5, 6, tzinfo=dt.UTC).timestamp())


def test_a_point_within_five_minutes_is_one_sample_over_its_time_interval():
    """A time_interval of 2 minutes holding the beats gives one RMSSD over that interval."""
    frame = {"time_interval": {"start_date_time": "2024-03-05T07:00:00Z", "end_date_time": "2024-03-05T07:02:00Z"}}
    assert spans(parse_points([rr(ALTERNATING, frame=frame)], "batch")) == [(Kind.HRV_RMSSD, 120, 100.0)]


def test_a_longer_point_gives_an_rmssd_per_five_minutes():
    """800 beats (13 minutes 20 s) from 07:00 are cut as FIT beats are: windows of 298 s, 300 s and the rest."""
    parsed = parse_points([rr([0.95, 1.05] * 400, unit="s")], "batch")
    assert spans(parsed) == [(Kind.HRV_RMSSD, 298, 100.0), (Kind.HRV_RMSSD, 300, 100.0), (Kind.HRV_RMSSD, 202, 100.0)]
    assert parsed.samples.start[1] - parsed.samples.start[0] == 298


def test_too_few_clean_beats_give_no_sample_and_no_refusal():
    """30 beats give 29 differences (30 are needed); an artefact of 2.5 s pairs with neither neighbour."""
    assert spans(parse_points([rr(ALTERNATING[:30])], "batch")) == []
    assert spans(parse_points([rr(ALTERNATING[:31])], "batch")) == [(Kind.HRV_RMSSD, 30, 100.0)]  # 30.95 s
    with_artefact = [*ALTERNATING[:16], 2500, *ALTERNATING[16:31]]
    assert spans(parse_points([rr(with_artefact)], "batch")) == []


def test_beats_without_a_time_frame_or_in_another_unit_are_refused():
    """Enough beats but nowhere to place them, or beats in minutes: refused, naming the point."""
    unplaced = rr(ALTERNATING)
    del unplaced["body"]["effective_time_frame"]
    with pytest.raises(BadInput, match=r"data point 1 \(rr-interval\) has beat-to-beat .* no effective_time_frame"):
        parse_points([unplaced], "batch")
    with pytest.raises(BadInput, match=r"data point 1 \(rr-interval\) is not valid: .*'ms' or 's' \(not 'min'\)"):
        parse_points([rr(ALTERNATING, unit="min")], "batch")


def test_a_point_with_more_beats_than_any_recording_is_refused(monkeypatch):
    """The cap a FIT file has (a million beats), here per point; lowered to 100 for the test."""
    monkeypatch.setattr(derived, "MAX_BEATS", 100)
    assert len(parse_points([rr([0.95, 1.05] * 50, unit="s")], "batch").samples) == 1
    with pytest.raises(BadInput, match=r"data point 1 \(rr-interval\) is not valid: .*over 100 beat-to-beat"):
        parse_points([rr([0.95, 1.05] * 51, unit="s")], "batch")


def test_an_interval_that_ends_before_it_starts_is_refused():
    frame = {"time_interval": {"start_date_time": "2024-03-05T07:02:00Z", "end_date_time": "2024-03-05T07:00:00Z"}}
    with pytest.raises(BadInput, match=r"data point 1 \(rr-interval\) has an interval that ends before it starts"):
        parse_points([rr(ALTERNATING, frame=frame)], "batch")


def test_a_sleep_duration_night_counts_its_duration_once_beside_a_sleep_episode():
    """6 h asleep over 23:00-07:00: total 360 min, 480 in bed; the same night's sleep-episode adds nothing."""
    duration = parse_points([sleep(6)], "batch").samples
    night = daily_features(storage.to_table(duration))[dt.date(2024, 3, 5)]
    assert (night[Metric.SLEEP_TOTAL], night[Metric.SLEEP_IN_BED], night[Metric.SLEEP_EFFICIENCY]) == (360, 480, 75.0)
    assert (night[Metric.SLEEP_ONSET], night[Metric.SLEEP_WAKE]) == (-60, 420)
    episode = {
        "header": {"schema_id": {"name": "sleep-episode"}},
        "body": {"effective_time_frame": sleep(6)["body"]["effective_time_frame"]},
    }
    both = parse_points([sleep(6), episode], "batch").samples
    assert daily_features(storage.to_table(both))[dt.date(2024, 3, 5)][Metric.SLEEP_TOTAL] == 360


def test_a_night_from_before_six_in_the_evening_keeps_its_awake_time():
    """17:00-01:00 with 6 h asleep: the 2 hours not asleep stay on the same night (a night is chosen by a
    sample's start, and evening samples from 18:00 go to the next day), so the night's total is 360, not 480."""
    night = sleep(6, start="2024-03-04T17:00:00Z", end="2024-03-05T01:00:00Z")
    features = daily_features(storage.to_table(parse_points([night], "batch").samples))
    assert features[dt.date(2024, 3, 4)][Metric.SLEEP_TOTAL] == 360
    assert dt.date(2024, 3, 5) not in features


def test_a_time_interval_may_be_its_end_and_a_duration():
    """An end with a duration places the interval before the end (the brief's "start or end with a duration")."""
    data = sleep(8)
    data["body"]["effective_time_frame"]["time_interval"] = {
        "end_date_time": "2024-03-05T07:00:00+01:00",
        "duration": {"value": 480, "unit": "min"},
    }
    assert spans(parse_points([data], "batch")) == [(Kind.SLEEP_ASLEEP, 8 * HOUR, 1.0)]


def test_both_schemas_arrive_through_the_push_api(client, world, store):
    """A batch of sleep-duration and a batch of rr-interval points are stored, with the night's and the HRV features."""
    headers = _auth(world.sam.user)
    nights = {"data_points": [sleep(7, start="2024-03-04T23:00:00Z", end="2024-03-05T07:00:00Z")]}
    first = client.post(URL, nights, content_type="application/json", **headers)
    assert first.status_code == 200, first.content
    assert first.json()["samples_stored"] == 2
    beats = {"data_points": [rr([0.95, 1.05] * 400, unit="s"), rr(ALTERNATING[:10])]}
    second = client.post(URL, beats, content_type="application/json", **headers)
    assert second.status_code == 200, second.content
    assert second.json()["samples_stored"] == 3
    features = dict(
        DailyFeature.objects.filter(client=world.sam, day=dt.date(2024, 3, 5)).values_list("metric", "value")
    )
    assert features[Metric.SLEEP_TOTAL] == 420
    assert features[Metric.HRV_RMSSD] == 100.0
    bad = client.post(URL, {"data_points": [rr(ALTERNATING, unit="mm")]}, content_type="application/json", **headers)
    assert bad.status_code == 422
    assert "data point 1 (rr-interval)" in bad.content.decode()
    assert ImportJob.objects.filter(client=world.sam).count() == 2
