"""A dense Fitbit archive (heart rate every 5 seconds) stores the same samples and gives the same features with
small windows, one window of features at a time, as with the shipped month-long windows and as all at once.

Dense sources are imported a window of features at a time (``chunked.group_windows``) and their feature
tables are slices of the windows (``chunked._between``); windows of a day put a boundary at every UTC
midnight, each of which has a heart-rate sample and a minute of steps starting exactly on it. The archive's
days overlap (two copies of two days, one day already stored), so the de-duplication is crossed by the
boundaries too; a sample dropped or counted twice at a boundary changes the stored file or a day's steps.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from alongside.wearables import chunked, spill, storage
from alongside.wearables.samples import Kind, Samples
from alongside.wearables.sources.fitbit import parser as fitbit
from tests.wearables.conftest import once
from tests.wearables.test_chunked import at_once, windowed
from tests.wearables.test_more_sources import archive

pytestmark = once

DAY = 86_400
FIRST = dt.date(2024, 3, 8)  # New York's clocks go forward on the 10th
PROFILE = "id,full_name,timezone\nABC,Sam,America/New_York\n"


def _day_files(day: dt.date, rng: random.Random) -> dict[str, str]:
    midnight = dt.datetime.combine(day, dt.time())
    beats = [
        {"dateTime": f"{midnight + dt.timedelta(seconds=s):%m/%d/%y %H:%M:%S}", "value": {"bpm": rng.randint(52, 120)}}
        for s in range(0, DAY, 5)
    ]
    steps = [
        {"dateTime": f"{midnight + dt.timedelta(minutes=m):%m/%d/%y %H:%M:%S}", "value": str(rng.choice((0, 12, 80)))}
        for m in range(1440)
    ]
    return {f"heart_rate-{day}.json": json.dumps(beats), f"steps-{day}.json": json.dumps(steps)}


def _parse(folder: Path, name: str, days: list[dt.date]) -> Samples:
    rng = random.Random(name)
    files = {"Profile.csv": PROFILE}
    for day in days:
        files.update(_day_files(day, rng))
    return fitbit.parse(archive(folder / name, files), minute_zone="utc").samples


@pytest.fixture(scope="module")
def dense(tmp_path_factory) -> tuple[Samples, pa.Table]:
    """Six days of a watch, two of them twice; a night across a UTC midnight; and one day already stored."""
    folder = tmp_path_factory.mktemp("dense")
    days = [FIRST + dt.timedelta(days=n) for n in range(6)]
    samples = _parse(folder, "fitbit.zip", days)
    again = _parse(folder, "again.zip", days[:2])  # the same generator: the same readings, counted once
    for name in ("kind", "start", "end", "offset", "value", "source"):
        getattr(samples, name).extend(getattr(again, name))
    night = int(dt.datetime(2024, 3, 11, 3, tzinfo=dt.UTC).timestamp())  # 23:00 to 06:00 in New York
    samples.add(Kind.SLEEP_ASLEEP, night, night + 7 * 3600, -240, 1, samples.source_code(fitbit.SOURCE))
    table = storage.to_table(samples)
    low = int(dt.datetime(2024, 3, 12, tzinfo=dt.UTC).timestamp())
    start = table.column("start")
    stored = table.filter(pc.and_(pc.greater_equal(start, low), pc.less(start, low + DAY)))
    return samples, stored


def test_the_archive_is_dense_and_crosses_midnights_with_samples_on_them(dense):
    """The fixture is what the test needs: dense enough for one window at a time, samples on every boundary."""
    samples, stored = dense
    assert len(samples) > 6 * 17_280
    starts = set(samples.start)
    midnights = [int(dt.datetime.combine(FIRST, dt.time(), dt.UTC).timestamp()) + n * DAY for n in range(1, 6)]
    assert all(midnight in starts for midnight in midnights)
    assert stored.num_rows > 17_280


def test_small_windows_store_and_compute_what_the_default_windows_and_the_whole_table_do(
    dense, sealed, monkeypatch, tmp_path
):
    """Windows of a day, one at a time, against month-long windows three at a time and against all at once."""
    samples, stored = dense
    whole, features = at_once(samples, stored)
    assert 0 < whole.num_rows < len(samples) - stored.num_rows  # the repeated days and the stored day dropped
    default, default_outcome = windowed(samples, stored, tmp_path / "default")
    monkeypatch.setattr(spill, "WINDOW", DAY)
    monkeypatch.setattr(chunked, "GROUP_SAMPLES", 1)  # every window dense: features one window at a time
    small, small_outcome = windowed(samples, stored, tmp_path / "small")
    assert small.equals(whole), "a small window lost, doubled or reordered a stored sample"
    assert default.equals(whole)
    assert small_outcome.features == default_outcome.features == features
    assert (small_outcome.stored, small_outcome.days, small_outcome.span) == (
        default_outcome.stored,
        default_outcome.days,
        default_outcome.span,
    )
    steps = {day: values["steps"] for day, values in features.items() if "steps" in values}
    assert len(steps) >= 6
    assert all(total > 0 for total in steps.values())
    assert any("wear_min" in values for values in features.values())
    assert any("sleep_total_min" in values for values in features.values())


def test_a_dense_window_is_grouped_alone_and_a_sparse_one_is_not():
    """A month of 5-second heart rate is one window at a time; a year of an Apple watch's samples is three."""
    assert chunked.group_windows({0: 560_000, 1: 12}) == 1
    assert chunked.group_windows({0: 18_000, 1: 19_000}) == chunked.GROUP
    assert chunked.group_windows({}) == chunked.GROUP
