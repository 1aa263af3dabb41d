"""The Apple Health importer reads real and hand-written exports: records, workouts, summaries, sleep, HRV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alongside.wearables.samples import KINDS, Kind
from alongside.wearables.sources.apple_health.parser import parse
from tests.wearables import exports
from tests.wearables.conftest import once

pytestmark = once

FIXTURES = Path(__file__).parent / "fixtures"
UTC = dt.UTC


def kinds(parsed):
    return [KINDS[code] for code in parsed.samples.kind]


def test_the_tdda_export_with_its_full_dtd_is_read():
    """A real export with its DTD: every record counted, steps kept with their +01:00 offset."""
    parsed = parse(FIXTURES / "tdda-export6s3sample.xml")
    assert parsed.records == 18
    assert kinds(parsed).count(Kind.STEPS) == 10
    assert kinds(parsed).count(Kind.SUMMARY_EXERCISE_MIN) == 2
    steps = [i for i, kind in enumerate(kinds(parsed)) if kind == Kind.STEPS]
    assert {parsed.samples.offset[i] for i in steps} == {60}
    assert parsed.samples.value[0] == 329.0


def test_workouts_heart_rate_and_activity_summaries_are_read():
    """dogsheep's export: the heart rate, the running workout's minutes and both activity summaries."""
    parsed = parse(FIXTURES / "dogsheep-export.xml")
    assert kinds(parsed) == [Kind.HEART_RATE, Kind.WORKOUT, Kind.SUMMARY_EXERCISE_MIN, Kind.SUMMARY_EXERCISE_MIN]
    assert parsed.samples.offset[0] == -420
    assert round(parsed.samples.value[1], 2) == 5.19
    assert list(parsed.samples.value[2:]) == [68.0, 39.0]


def test_the_ios16_malformed_dtd_does_not_stop_the_import():
    """xmllint refuses this DTD's ATTLIST; the importer skips the DTD and reads the new sleep stages and SDNN."""
    parsed = parse(FIXTURES / "ios16-malformed-dtd.xml")
    assert kinds(parsed) == [
        Kind.HRV_SDNN, Kind.SLEEP_CORE, Kind.SLEEP_DEEP, Kind.SLEEP_AWAKE, Kind.SLEEP_REM, Kind.SLEEP_IN_BED,
    ]  # fmt: skip
    assert parsed.samples.value[0] == 48.5


def test_old_sleep_values_are_read_too(tmp_path):
    """The pre-iOS 16 forms (named InBed/Asleep and the numeric 0/1) map to the same kinds as the new ones."""
    night = dt.datetime(2020, 5, 1, 23, 0, tzinfo=UTC)
    path = exports.write_xml(
        tmp_path / "export.xml",
        exports.record("SleepAnalysis", night, night + dt.timedelta(hours=8), "HKCategoryValueSleepAnalysisInBed"),
        exports.record("SleepAnalysis", night, night + dt.timedelta(hours=7), "HKCategoryValueSleepAnalysisAsleep"),
        exports.record("SleepAnalysis", night, night + dt.timedelta(hours=8), "0"),
        exports.record("SleepAnalysis", night, night + dt.timedelta(hours=7), "1"),
    )
    assert kinds(parse(path)) == [Kind.SLEEP_IN_BED, Kind.SLEEP_ASLEEP, Kind.SLEEP_IN_BED, Kind.SLEEP_ASLEEP]


def test_the_xml_inside_a_zip_is_found_by_its_content(tmp_path):
    """A Spanish phone names the file exportar.xml; the importer finds it among the routes by what it holds."""
    text = (FIXTURES / "dogsheep-export.xml").read_bytes()
    path = exports.write_zip(
        tmp_path / "export.zip",
        {
            "apple_health_export/workout-routes/route_1.gpx": "<gpx></gpx>",
            "apple_health_export/exportar.xml": text,
        },
    )
    assert parse(path).records == 5


def test_our_exercise_minutes_match_the_exports_own_activity_summary(tmp_path):
    """Watch and phone both log the same 30 exercise minutes; our daily total equals ActivitySummary's 30, not 60."""
    from alongside.wearables import storage
    from alongside.wearables.features import daily_features, vendor_exercise_totals
    from alongside.wearables.metrics import Metric

    start = dt.datetime(2024, 6, 3, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    minutes = [start + dt.timedelta(minutes=n) for n in range(30)]
    records = [exports.record("AppleExerciseTime", m, m + dt.timedelta(minutes=1), 1) for m in minutes]
    records += [exports.record("AppleExerciseTime", m, m + dt.timedelta(minutes=1), 1, "Sam's iPhone") for m in minutes]
    records.append(' <ActivitySummary dateComponents="2024-06-03" appleExerciseTime="30" appleStandHours="9"/>\n')
    table = storage.to_table(parse(exports.write_xml(tmp_path / "export.xml", *records)).samples)
    ours = daily_features(table)[dt.date(2024, 6, 3)][Metric.ACTIVE_MIN]
    assert ours == vendor_exercise_totals(table)[dt.date(2024, 6, 3)] == 30


def test_progress_is_reported_up_to_the_whole_file(tmp_path):
    """The command's progress bar is told the bytes read, ending with the file's full size."""
    from alongside.wearables.inputs import progress

    path = FIXTURES / "tdda-export6s3sample.xml"
    seen: list[tuple[int, int]] = []
    token = progress.set(lambda done, total: seen.append((done, total)))
    try:
        parse(path)
    finally:
        progress.reset(token)
    size = path.stat().st_size
    assert seen[-1] == (size, size)
