"""Daily features: steps counted once across phone and watch, sleep nights, local days through travel and DST,
baselines and sustained deviations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from alongside.wearables import baselines, storage
from alongside.wearables.features import daily_features, deoverlap_total
from alongside.wearables.models import Metric
from alongside.wearables.samples import Kind, Samples
from tests.wearables.conftest import once

pytestmark = once

UTC = dt.UTC
WATCH, PHONE = "Sam's Apple Watch", "Sam's iPhone"


def table(*rows):
    """Build a sample table from (kind, start, end, value, source) with aware datetimes."""
    samples = Samples()
    for kind, start, end, value, source in rows:
        offset = int(start.utcoffset().total_seconds() // 60)
        problem = samples.add(
            kind, int(start.timestamp()), int(end.timestamp()), offset, value, samples.source_code(source)
        )
        assert problem is None, problem
    return storage.to_table(samples)


def at(hour, minute=0, day=5, zone=UTC):
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=zone)


def test_phone_and_watch_steps_for_the_same_minutes_count_once():
    """Hand-computed: the watch's 1,000 steps 9:00-9:10 win; the phone's 9:05-9:15 keeps only its last 5 minutes.

    Phone: 600 steps over 10 minutes, half covered by the watch, so 300 count. Plus the phone alone at 12:00.
    """
    rows = [
        (at(9, 0), at(9, 10), 0, 1000.0, WATCH),
        (at(9, 5), at(9, 15), 0, 600.0, PHONE),
        (at(12, 0), at(12, 10), 0, 250.0, PHONE),
    ]
    as_seconds = [(int(s.timestamp()), int(e.timestamp()), o, v, src) for s, e, o, v, src in rows]
    assert deoverlap_total(as_seconds) == 1000 + 300 + 250
    features = daily_features(table(*[(Kind.STEPS, s, e, v, src) for s, e, _o, v, src in rows]))
    assert features[dt.date(2024, 3, 5)][Metric.STEPS] == 1550


def test_a_phone_that_mirrors_the_watch_adds_nothing():
    """When both count the same minutes the day's total is the watch's alone, as the Health app shows it."""
    rows = []
    for hour in range(8, 20):
        rows.append((Kind.STEPS, at(hour), at(hour, 30), 800.0, WATCH))
        rows.append((Kind.STEPS, at(hour, 2), at(hour, 28), 750.0, PHONE))
    assert daily_features(table(*rows))[dt.date(2024, 3, 5)][Metric.STEPS] == 12 * 800


def test_a_renamed_watch_still_comes_before_the_phone():
    """A watch its owner named in Spanish ("Reloj de Ana") ranks as a watch: its 1,300 steps win, not the phone's 1,100."""
    rows = [
        (Kind.STEPS, at(9), at(9, 30), 1300.0, "Reloj de Ana"),
        (Kind.STEPS, at(9), at(9, 30), 1100.0, "iPhone de Ana"),
    ]
    assert daily_features(table(*rows))[dt.date(2024, 3, 5)][Metric.STEPS] == 1300


def test_a_night_of_stages_from_two_sources():
    """Core/deep/REM from the watch with a 30-minute waking, in bed from the phone 23:00-07:00.

    Asleep 23:30-06:30 is 7 hours minus 30 minutes awake = 390 minutes; in bed 480; efficiency 81.2%.
    Onset 23:30 is -30 minutes from midnight, wake 06:30 is 390, midpoint 180 (03:00).
    """
    night = table(
        (Kind.SLEEP_CORE, at(23, 30, day=4), at(2, 0), 1.0, WATCH),
        (Kind.SLEEP_DEEP, at(2, 0), at(3, 0), 1.0, WATCH),
        (Kind.SLEEP_AWAKE, at(3, 0), at(3, 30), 1.0, WATCH),
        (Kind.SLEEP_REM, at(3, 30), at(6, 30), 1.0, WATCH),
        (Kind.SLEEP_IN_BED, at(23, 0, day=4), at(7, 0), 1.0, PHONE),
    )
    features = daily_features(night)[dt.date(2024, 3, 5)]
    assert features[Metric.SLEEP_TOTAL] == 390
    assert features[Metric.SLEEP_IN_BED] == 480
    assert features[Metric.SLEEP_EFFICIENCY] == 81.2
    assert (features[Metric.SLEEP_ONSET], features[Metric.SLEEP_WAKE]) == (-30, 390)
    assert features[Metric.SLEEP_MIDPOINT] == 180


def test_a_flight_across_nine_time_zones_keeps_each_sample_on_the_day_it_was_lived():
    """London to Tokyo (+9 h): steps at 22:00 London time and at 07:00 Tokyo time fall on their own local days."""
    london, tokyo = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")
    before = dt.datetime(2024, 3, 5, 22, 0, tzinfo=london)
    after = dt.datetime(2024, 3, 7, 7, 0, tzinfo=tokyo)  # 22:00 UTC on the 6th
    features = daily_features(
        table(
            (Kind.STEPS, before, before + dt.timedelta(minutes=10), 100.0, WATCH),
            (Kind.STEPS, after, after + dt.timedelta(minutes=10), 200.0, WATCH),
        )
    )
    assert {day: values[Metric.STEPS] for day, values in features.items()} == {
        dt.date(2024, 3, 5): 100,
        dt.date(2024, 3, 7): 200,
    }


def test_both_dst_changes_keep_the_local_day_and_the_real_length_of_a_night():
    """Europe/Madrid: the spring night is an hour shorter on the clock but the asleep time is real minutes."""
    madrid = ZoneInfo("Europe/Madrid")
    spring_start = dt.datetime(2024, 3, 30, 23, 0, tzinfo=madrid)  # +01:00
    spring_end = dt.datetime(2024, 3, 31, 7, 0, tzinfo=madrid)  # +02:00, 7 real hours later
    autumn_start = dt.datetime(2024, 10, 26, 23, 0, tzinfo=madrid)  # +02:00
    autumn_end = dt.datetime(2024, 10, 27, 7, 0, tzinfo=madrid)  # +01:00, 9 real hours later
    features = daily_features(
        table(
            (Kind.SLEEP_ASLEEP, spring_start, spring_end, 1.0, WATCH),
            (Kind.SLEEP_ASLEEP, autumn_start, autumn_end, 1.0, WATCH),
        )
    )
    assert features[dt.date(2024, 3, 31)][Metric.SLEEP_TOTAL] == 7 * 60
    assert features[dt.date(2024, 10, 27)][Metric.SLEEP_TOTAL] == 9 * 60
    assert features[dt.date(2024, 3, 31)][Metric.SLEEP_ONSET] == -60


def test_sdnn_and_rmssd_stay_apart():
    """Apple's SDNN and Fitbit's RMSSD on the same day are two features, never averaged together."""
    features = daily_features(
        table(
            (Kind.HRV_SDNN, at(3), at(3, 1), 40.0, WATCH),
            (Kind.HRV_RMSSD, at(3), at(3), 25.0, "Fitbit"),
        )
    )[dt.date(2024, 3, 5)]
    assert (features[Metric.HRV_SDNN], features[Metric.HRV_RMSSD]) == (40, 25)


def test_a_day_without_the_watch_is_missing_not_zero():
    """Heart-rate readings give wear time; a day with none has no wear-time feature at all."""
    features = daily_features(
        table(
            (Kind.HEART_RATE, at(9, 0), at(9, 0), 70.0, WATCH),
            (Kind.HEART_RATE, at(9, 5), at(9, 5), 72.0, WATCH),
            (Kind.HEART_RATE, at(10, 0), at(10, 0), 75.0, WATCH),
        )
    )
    assert features == {dt.date(2024, 3, 5): {Metric.WEAR_MIN: 30.0}}


def test_a_baseline_needs_14_of_the_28_days_before():
    """Median and MAD of the days before, never the day itself; too few days give no baseline."""
    day = dt.date(2024, 3, 1)
    values = {day - dt.timedelta(days=n): float(n % 3) for n in range(1, 14)}
    assert baselines.baseline(values, day) is None
    values[day - dt.timedelta(days=14)] = 2.0
    values[day] = 100.0
    assert baselines.baseline(values, day) == (1.0, 1.0)


def test_three_days_beyond_two_mads_are_a_sustained_deviation_two_are_not():
    """A run of three low days is reported once; a run of two, or days on alternate sides, is not."""
    day = dt.date(2024, 3, 1)
    series = [(day + dt.timedelta(days=n), sign) for n, sign in enumerate([0, -1, -1, 0, -1, -1, -1, 0, 1, -1, 1])]
    [run] = baselines.sustained(Metric.STEPS, series)
    assert (run.first, run.last, run.days, run.direction) == (
        day + dt.timedelta(days=4),
        day + dt.timedelta(days=6),
        3,
        -1,
    )
    assert baselines.direction(5, 10, 2) == -1
    assert baselines.direction(7, 10, 2) == 0
