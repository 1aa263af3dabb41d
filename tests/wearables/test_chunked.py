"""The import a window at a time stores exactly the samples, and gives exactly the features, of doing it all at once.

"All at once" is the path every import took before (and pushed batches still take): one Arrow table of the
file's samples, de-duplicated against what is stored, the features computed over the stored and new samples
together. The windowed path must agree sample for sample and feature for feature, with windows of a month
and with windows of a day (so that every midnight is a boundary), on the real fixtures and on a synthetic
multi-month export with samples exactly on a boundary, sleep crossing one, travel and duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from alongside.wearables import chunked, spill, storage
from alongside.wearables.features import daily_features
from alongside.wearables.importing import _span
from alongside.wearables.samples import Kind, Samples
from alongside.wearables.sources.apple_health import parser as apple
from alongside.wearables.sources.fitbit import parser as fitbit
from alongside.wearables.sources.omh import parser as omh
from tests.wearables import exports

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path("/work/shared/data")
DAY = 86_400
# (window days, windows per feature group): the shipped month, and a day (every UTC midnight a boundary).
SHAPES = [(spill.WINDOW_DAYS, chunked.GROUP), (1, 1), (5, 2)]


def at_once(incoming: Samples, stored: pa.Table) -> tuple[pa.Table, dict[dt.date, dict[str, float]]]:
    """The samples kept and the features recomputed, all in one table (the path before windows)."""
    new = storage.new_only(storage.to_table(incoming), stored)
    if not new.num_rows:
        return new, {}
    lo, hi = _span(new)
    first = dt.date(1970, 1, 1) + dt.timedelta(days=lo)
    last = dt.date(1970, 1, 1) + dt.timedelta(days=hi + chunked.AFTER_DAYS)
    features = daily_features(pa.concat_tables([stored, new]))
    return new, {day: values for day, values in features.items() if first <= day <= last}


def windowed(incoming: Samples, stored: pa.Table, folder: Path, *, pieces: int = 3) -> tuple[pa.Table, chunked.Outcome]:
    """The same through a spill (handed over in ``pieces`` parts, as the parser does) and :func:`chunked.run`."""
    spilled = spill.Spill(folder / "spill")
    size = -(-len(incoming) // pieces) if len(incoming) else 1
    for low in range(0, len(incoming), size):
        part = Samples(sources=incoming.sources)
        for name in ("kind", "start", "end", "offset", "value", "source"):
            getattr(part, name).extend(getattr(incoming, name)[low : low + size])
        spilled.take(part)
        assert len(part) == 0  # handed over, not copied

    def read(low: int, high: int) -> list[pa.Table]:
        start = stored.column("start")
        return [stored.filter(pc.and_(pc.greater_equal(start, low), pc.less_equal(start, high)))]

    writer = storage.SealedWriter(client_id="client", job_id="job")
    outcome = chunked.run(spill=spilled, like=incoming, stored=read, writer=writer)
    path = writer.close()
    spilled.close()
    kept = storage.read(client_id="client", job_ids=["job"]) if path else storage.SCHEMA.empty_table()
    if path:
        path.unlink()
    return kept, outcome


def assert_same(incoming: Samples, stored: pa.Table, folder: Path) -> chunked.Outcome:
    new, features = at_once(incoming, stored)
    kept, outcome = windowed(incoming, stored, folder)
    assert kept.equals(new), "the windowed path lost, doubled or reordered a sample"
    assert (outcome.incoming, outcome.stored) == (len(incoming), new.num_rows)
    assert outcome.features == features
    return outcome


def fixture_samples() -> dict[str, Samples]:
    found = {}
    for path in [*sorted(FIXTURES.glob("*.xml")), *sorted((SHARED / "apple-health").glob("*.xml"))]:
        found[f"apple {path}"] = apple.parse(path).samples
    for folder in (FIXTURES / "fitbit", SHARED / "fitbit"):
        if folder.is_dir():
            members = {path.name: path.read_bytes() for path in folder.iterdir()}
            archive = exports.write_zip(Path(os.environ.get("TMPDIR", "/tmp")) / f"fitbit-{os.getpid()}.zip", members)
            found[f"fitbit {folder}"] = fitbit.parse(archive).samples
            archive.unlink()
    for path in sorted((FIXTURES / "openmhealth").glob("*valid*.json")):
        try:
            found[f"omh {path.name}"] = omh.parse(path).samples
        except Exception:  # the fixtures that must be refused are tested elsewhere
            continue
    return found


@pytest.mark.parametrize(("window_days", "group"), SHAPES)
def test_real_fixtures_give_the_same_samples_and_features(sealed, monkeypatch, window_days, group):
    """Every real Apple, Fitbit and Open mHealth fixture: the same stored samples and features either way."""
    monkeypatch.setattr(spill, "WINDOW", window_days * DAY)
    monkeypatch.setattr(chunked, "GROUP", group)
    fixtures = fixture_samples()
    assert len(fixtures) >= 5
    assert sum(len(samples) for samples in fixtures.values()) > 50
    for name, samples in fixtures.items():
        assert_same(samples, storage.SCHEMA.empty_table(), sealed / name.replace("/", "_"))


def synthetic(days: int, seed: int) -> Samples:
    """A watch and a phone over ``days`` days: overlapping steps, heart rate, HRV, workouts, sleep, travel, duplicates."""
    rng = random.Random(seed)
    samples = Samples(latest=2e9)
    watch, phone = samples.source_code("Sam's Apple Watch"), samples.source_code("Sam's iPhone")
    first = dt.datetime(2024, 1, 20, tzinfo=dt.UTC)
    for n in range(days):
        offset = 60 if n < days // 2 else -480  # a flight nine time zones west half-way through
        midnight = int((first + dt.timedelta(days=n)).timestamp()) - offset * 60
        for k in range(24):
            at = midnight + k * 3600 + rng.randint(0, 600)
            samples.add(Kind.HEART_RATE, at, at, offset, rng.randint(50, 110), watch)
        for k in range(12):
            at = midnight + 8 * 3600 + k * 1800
            samples.add(Kind.STEPS, at, at + 600, offset, rng.randint(0, 900), watch)
            samples.add(Kind.STEPS, at + 300, at + 900, offset, rng.randint(0, 900), phone)
        samples.add(Kind.RESTING_HR, midnight + 12 * 3600, midnight + 12 * 3600, offset, 55 + n % 7, watch)
        samples.add(Kind.HRV_SDNN, midnight + 3 * 3600, midnight + 3 * 3600, offset, 30 + n % 20, watch)
        samples.add(Kind.EXERCISE_MIN, midnight + 18 * 3600, midnight + 18 * 3600 + 60, offset, 1, watch)
        samples.add(Kind.WORKOUT, midnight + 17 * 3600, midnight + 18 * 3600, offset, 60, watch)
        bed = midnight - rng.randint(3600, 7200)  # sleep crosses midnight every night
        samples.add(Kind.SLEEP_IN_BED, bed, bed + 8 * 3600, offset, 1, phone)
        at = bed + 600
        for k in range(12):
            kind = (Kind.SLEEP_CORE, Kind.SLEEP_DEEP, Kind.SLEEP_REM, Kind.SLEEP_AWAKE)[k % 4]
            samples.add(kind, at, at + 1800, offset, 1, watch)
            at += 1800
        if n % 9 == 0:  # the same record written twice in one export
            samples.add(Kind.STEPS, midnight + 8 * 3600, midnight + 8 * 3600 + 600, offset, 5, watch)
            samples.add(Kind.STEPS, midnight + 8 * 3600, midnight + 8 * 3600 + 600, offset, 5, watch)
    # Exactly on window boundaries: a step sample starting at one, a night of sleep across the next.
    boundary = (int(first.timestamp()) // spill.WINDOW + 1) * spill.WINDOW
    samples.add(Kind.STEPS, boundary, boundary + 600, 60, 321, phone)
    samples.add(Kind.STEPS, boundary - 600, boundary, 60, 123, phone)
    samples.add(Kind.SLEEP_ASLEEP, boundary + spill.WINDOW - 3 * 3600, boundary + spill.WINDOW + 4 * 3600, 60, 1, watch)
    return samples


@pytest.mark.parametrize(("window_days", "group"), SHAPES)
def test_a_synthetic_multi_month_export_gives_the_same_samples_and_features(sealed, monkeypatch, window_days, group):
    """Ten weeks with travel, duplicates and samples on window boundaries; then a second export overlapping it."""
    monkeypatch.setattr(spill, "WINDOW", window_days * DAY)
    monkeypatch.setattr(chunked, "GROUP", group)
    first = synthetic(70, seed=1)
    outcome = assert_same(first, storage.SCHEMA.empty_table(), sealed / "a")
    assert outcome.stored == len(first) - 8  # the eight records written twice are kept once
    assert len(outcome.features) >= 70
    stored = storage.new_only(storage.to_table(first), storage.SCHEMA.empty_table())
    later = synthetic(90, seed=1)  # the same first 35 days, then other days: an overlapping export
    outcome = assert_same(later, stored, sealed / "b")
    assert 0 < outcome.stored < len(later)


def test_the_export_parser_hands_its_samples_over_as_it_reads(sealed, monkeypatch, tmp_path):
    """With a spill, the parser keeps only the last samples; together with the spill they are all of the file's."""
    monkeypatch.setattr(apple, "FLUSH", 1)
    start = dt.datetime(2010, 1, 1, 9, tzinfo=dt.UTC)
    records = [
        exports.record("StepCount", start + dt.timedelta(days=n), start + dt.timedelta(days=n, minutes=9), n + 1)
        for n in range(5000)  # about 700 kB: the parser reads 1 MB at a time, so make it more than one read
    ] * 2
    path = exports.write_xml(tmp_path / "export.xml", *records)
    whole = apple.parse(path).samples
    spilled = spill.Spill(tmp_path / "spill")
    rest = apple.parse(path, spilled).samples
    assert spilled.count > 0
    assert spilled.count + len(rest) == len(whole) == 10_000
    spilled.take(rest)
    new, outcome = windowed(whole, storage.SCHEMA.empty_table(), tmp_path / "w")
    assert outcome.stored == new.num_rows == 5000


@pytest.mark.django_db
def test_an_import_leaves_no_spill_behind_whether_it_succeeds_or_fails(settings, tmp_path):
    """The per-window parts are deleted after a good import and after a file refused half-way through."""
    from alongside.wearables.importing import import_file
    from alongside.wearables.samples import BadInput
    from tests import factories

    settings.WEARABLES_DIR = tmp_path / "store"
    sam = factories.world().sam
    start = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    good = [
        exports.record("StepCount", start + dt.timedelta(hours=n), start + dt.timedelta(hours=n, minutes=9), 5)
        for n in range(2000)
    ]
    path = exports.write_xml(tmp_path / "good.xml", *good)
    assert import_file(actor=None, client=sam, path=path).samples_stored == 2000
    assert not list((tmp_path / "store").glob(".spill-*"))
    bad = exports.record("HeartRate", start, start, 900)
    path = exports.write_xml(tmp_path / "bad.xml", *good[:1000], bad, *good[1000:])
    with pytest.raises(BadInput):
        import_file(actor=None, client=sam, path=path)
    assert not list((tmp_path / "store").glob(".spill-*"))
