"""A push recomputes only the days its samples can change, reading only the stored samples around them."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.wearables import importing, storage
from alongside.wearables.baselines import with_baselines
from alongside.wearables.features import daily_features
from alongside.wearables.importing import import_points, stored_samples
from alongside.wearables.models import DailyFeature, ImportJob, Metric
from tests import factories

FIRST = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


def _frame(start: dt.datetime, minutes: float, zone: dt.tzinfo) -> dict:
    return {
        "time_interval": {
            "start_date_time": start.astimezone(zone).isoformat(),
            "end_date_time": (start + dt.timedelta(minutes=minutes)).astimezone(zone).isoformat(),
        }
    }


def _days(first: int, last: int) -> list[dict]:
    """Steps, heart rate and a night's sleep for each day; days 30 to 33 are spent nine hours east."""
    points = []
    for day in range(first, last):
        zone = dt.timezone(dt.timedelta(hours=9 if 30 <= day <= 33 else 0))
        midnight = FIRST + dt.timedelta(days=day)
        for hour in range(8, 20, 2):
            frame = _frame(midnight + dt.timedelta(hours=hour), 30, zone)
            body = {"step_count": 300 + (day * 37 + hour * 11) % 900, "effective_time_frame": frame}
            points.append({"header": {"schema_id": {"name": "step-count"}}, "body": body})
            at = (midnight + dt.timedelta(hours=hour, minutes=5)).astimezone(zone).isoformat()
            rate = {"value": 60 + (day * 7 + hour) % 30, "unit": "beats/min"}
            heart = {"heart_rate": rate, "effective_time_frame": {"date_time": at}}
            points.append({"header": {"schema_id": {"name": "heart-rate"}}, "body": heart})
        bed = midnight - dt.timedelta(minutes=30 + (day * 13) % 90)
        sleep = {"effective_time_frame": _frame(bed, 400 + (day * 17) % 120, zone)}
        points.append({"header": {"schema_id": {"name": "sleep-episode"}}, "body": sleep})
    return points


@pytest.fixture
def sam(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.world().sam


def _rows(client) -> dict[tuple[dt.date, str], tuple[float, float | None, float | None]]:
    return {
        (f.day, f.metric): (f.value, f.baseline_median, f.baseline_mad)
        for f in DailyFeature.objects.filter(client=client)
    }


def test_pushed_batches_leave_the_features_a_full_recomputation_gives(sam):
    """Batches pushed out of order, overlapping and across a trip leave every day's features and baseline as
    recomputing everything from all stored samples gives."""
    for first, last in ((20, 45), (0, 22), (44, 70), (30, 36)):
        import_points(actor=None, client=sam, points=_days(first, last))
    expected = with_baselines(daily_features(stored_samples(sam)))
    got = _rows(sam)
    assert len(got) == sum(len(metrics) for metrics in expected.values()) > 70 * 5
    for day, metrics in expected.items():
        for metric, (value, median, mad) in metrics.items():
            assert got[(day, metric)] == pytest.approx((value, median, mad)), (day, metric)
    assert any(metric == Metric.SLEEP_REGULARITY for _day, metric in got)


def test_a_push_leaves_the_feature_rows_of_other_days_in_place(sam):
    """A batch for the latest days keeps the rows of days more than ten days before it untouched."""
    import_points(actor=None, client=sam, points=_days(0, 40))
    early = dict(
        DailyFeature.objects.filter(client=sam, day__lt=FIRST.date() + dt.timedelta(days=29)).values_list("pk", "value")
    )
    import_points(actor=None, client=sam, points=_days(40, 45))
    after = dict(DailyFeature.objects.filter(pk__in=early).values_list("pk", "value"))
    assert after == early


def test_a_push_reads_only_the_imports_around_its_days(sam, monkeypatch):
    """An import whose samples are all months away from the batch is not opened at all."""
    import_points(actor=None, client=sam, points=_days(0, 10))
    import_points(actor=None, client=sam, points=_days(200, 210))
    far, near = ImportJob.objects.filter(client=sam).order_by("created_at").values_list("id", flat=True)
    opened: list = []
    real = storage.read

    def spy(**kwargs):
        opened.extend(kwargs["job_ids"])
        return real(**kwargs)

    monkeypatch.setattr(storage, "read", spy)
    result = import_points(actor=None, client=sam, points=_days(205, 215))
    assert result.samples_stored > 0
    assert result.duplicates_dropped > 0
    assert opened == [near]
    assert far not in opened
    assert importing.AFTER_DAYS >= 7


def _shapes() -> list[dict]:
    """Step and heart points in every form the quick reader takes, and some it leaves to pydantic."""
    frame = _frame(FIRST, 10, dt.timezone(dt.timedelta(hours=-5)))
    zulu = {"time_interval": {"start_date_time": "2025-03-01T10:00:00Z", "end_date_time": "2025-03-01T10:01:00.5Z"}}
    lasting = {
        "time_interval": {"start_date_time": "2025-03-01T11:00:00+01:00", "duration": {"value": 2, "unit": "min"}}
    }
    bodies = [
        ("step-count", {"step_count": 12, "effective_time_frame": frame}),
        ("step-count", {"step_count": {"value": 7.0, "unit": "steps"}, "effective_time_frame": zulu}),
        ("step-count", {"step_count": 9, "effective_time_frame": lasting}),
        ("step-count", {"step_count": 4, "effective_time_frame": frame, "descriptive_statistic": "average"}),
        (
            "heart-rate",
            {
                "heart_rate": {"value": 61, "unit": "beats/min"},
                "effective_time_frame": {"date_time": "2025-03-01T10:00:00+09:00"},
            },
        ),
        ("heart-rate", {"heart_rate": {"value": 62.5, "unit": "beats/min"}, "effective_time_frame": zulu}),
    ]
    return [{"header": {"schema_id": {"name": name}}, "body": body} for name, body in bodies]


def test_the_quick_reader_gives_what_the_pydantic_models_give(monkeypatch):
    """Every common shape reads to the same samples with and without the quick path."""
    from alongside.wearables.sources.omh import parser

    quick = parser.parse_points(_shapes(), "batch").samples
    monkeypatch.setattr(parser, "_quick", lambda _name, _point: None)
    slow = parser.parse_points(_shapes(), "batch").samples
    assert len(quick) == 5
    for column in ("kind", "start", "end", "offset", "value", "source"):
        assert list(getattr(quick, column)) == list(getattr(slow, column)), column


def test_a_batch_of_the_usual_shapes_is_read_without_pydantic(monkeypatch):
    """Points timed with an interval (steps) or a moment (heart rate) skip per-point model validation."""
    from alongside.wearables.sources.omh import parser

    def refuse(*_args, **_kwargs):
        raise AssertionError("validated by a model")

    monkeypatch.setattr(parser.StepCount, "model_validate", refuse)
    monkeypatch.setattr(parser.HeartRate, "model_validate", refuse)
    assert len(parser.parse_points(_days(0, 3), "batch").samples) == 3 * 13  # and a sleep episode a day
