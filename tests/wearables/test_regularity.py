"""The sleep regularity index follows Phillips et al. (2017): 100 for the same pattern daily, hand-computed otherwise."""

from __future__ import annotations

import datetime as dt

from alongside.wearables import storage
from alongside.wearables.features import daily_features
from alongside.wearables.metrics import Metric
from alongside.wearables.samples import Kind, Samples
from tests.wearables.conftest import once

pytestmark = once

UTC = dt.UTC


def nights(*spans: tuple[int, int, int] | None) -> dict:
    """Nights from 2024-03-01 on, each (start hour, end hour next morning, offset minutes) or None for no data."""
    samples = Samples()
    code = samples.source_code("Watch")
    for index, span in enumerate(spans):
        if span is None:
            continue
        bed, rise, offset = span
        evening = dt.datetime(2024, 3, 1, tzinfo=UTC) + dt.timedelta(days=index, minutes=-offset)
        start = int((evening + dt.timedelta(hours=bed)).timestamp())
        end = int((evening + dt.timedelta(hours=24 + rise)).timestamp())
        assert samples.add(Kind.SLEEP_ASLEEP, start, end, offset, 1.0, code) is None
    features = daily_features(storage.to_table(samples))
    return {day.isoformat(): values.get(Metric.SLEEP_REGULARITY) for day, values in features.items()}


def test_the_same_night_every_day_scores_100():
    """Eight nights from 23:00 to 07:00: every day with four or more compared pairs has an index of 100."""
    got = nights(*[(23, 7, 0)] * 8)
    assert got["2024-03-09"] == 100
    assert got["2024-03-06"] == 100  # nights end 2 to 9 March; by the 6th four pairs: 2-3, 3-4, 4-5, 5-6
    assert got["2024-03-05"] is None  # three pairs only


def test_nights_alternating_by_two_hours_score_66_7():
    """23:00-07:00 then 01:00-09:00, in turn: each pair differs on 240 of 1,440 minutes, so -100 + 200 x 1200/1440."""
    got = nights(*[(23, 7, 60), (25, 9, 60)] * 4)
    assert got["2024-03-09"] == round(-100 + 200 * 1200 / 1440, 1)


def test_a_night_without_data_is_left_out_not_counted_as_awake():
    """A missing night removes its two pairs instead of comparing against an all-awake day."""
    got = nights((23, 7, 0), (23, 7, 0), (23, 7, 0), None, (23, 7, 0), (23, 7, 0), (23, 7, 0), (23, 7, 0))
    assert got["2024-03-09"] == 100
    assert got["2024-03-07"] is None  # in its window only 2-3, 3-4 and 6-7 are pairs: three
