"""Fitbit archives, Garmin FIT files and mapped CSV files import into the same daily features as Apple's."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from alongside.wearables import storage
from alongside.wearables.importing import import_file, stored_samples
from alongside.wearables.models import DailyFeature, ImportJob, Metric
from alongside.wearables.samples import BadInput
from alongside.wearables.services import wearables_csv_mapping_save
from alongside.wearables.sources import SOURCES
from tests import factories
from tests.wearables import fit_files

FIXTURES = Path(__file__).parent / "fixtures" / "fitbit"
UTC = dt.UTC


@pytest.fixture
def sam(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.client(factories.practice())


def features(client) -> dict[tuple[str, str], float]:
    return {(f.day.isoformat(), f.metric): f.value for f in DailyFeature.objects.filter(client=client)}


def archive(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(f"Takeout/Fitbit/Global Export Data/{name}", data)
    return path


def refused(client, path: Path, source: str, *words: str) -> str:
    with pytest.raises(BadInput) as caught:
        import_file(actor=None, client=client, path=path, source=source)
    message = str(caught.value)
    assert path.name in message
    for word in words:
        assert word in message
    assert not ImportJob.objects.exists()
    assert not DailyFeature.objects.exists()
    assert not storage.client_dir(client.pk).exists()
    return message


def test_every_source_is_registered():
    """The registry offers Apple, Fitbit, FIT, Open mHealth and CSV."""
    assert set(SOURCES) == {"apple", "fitbit", "fit", "omh", "csv"}


# Fitbit


def test_fitbit_archive_gives_the_logs_own_totals(sam, tmp_path):
    """Sleep totals equal each log's minutesAsleep and timeInBed; active minutes add very and moderately active."""
    members = {path.name: path.read_bytes() for path in FIXTURES.iterdir()}
    result = import_file(actor=None, client=sam, path=archive(tmp_path / "takeout.zip", members), source="fitbit")
    got = features(sam)
    assert got[("2018-02-02", Metric.SLEEP_TOTAL)] == 452  # "stages" log
    assert got[("2018-02-02", Metric.SLEEP_IN_BED)] == 486
    assert got[("2018-02-03", Metric.SLEEP_TOTAL)] == 312  # "classic" log: restless counts as awake
    assert got[("2018-02-03", Metric.SLEEP_IN_BED)] == 510
    assert got[("2018-01-01", Metric.ACTIVE_MIN)] == 33 + 22
    assert got[("2018-12-30", Metric.RESTING_HR)] == 59.4
    assert got[("2019-08-29", Metric.SLEEP_SCORE)] == 75
    assert got[("2018-01-01", Metric.WORKOUT_MIN)] == pytest.approx(1229 / 60)
    assert result.records > 0
    assert result.samples_stored > 0


PROFILE = "id,full_name,timezone\nABC,Sam,America/New_York\n"
HEART = [{"dateTime": "03/10/24 07:01:00", "value": {"bpm": 61, "confidence": 2}}]
STAGES = [
    {
        "logId": 1,
        "dateOfSleep": "2024-03-10",
        "startTime": "2024-03-09T23:00:00.000",
        "endTime": "2024-03-10T07:00:00.000",
        "type": "stages",
        "levels": {
            "data": [
                {"dateTime": "2024-03-09T23:00:00.000", "level": "wake", "seconds": 600},
                {"dateTime": "2024-03-09T23:10:00.000", "level": "light", "seconds": 3000},
                {"dateTime": "2024-03-10T00:00:00.000", "level": "deep", "seconds": 3600},
                {"dateTime": "2024-03-10T01:00:00.000", "level": "rem", "seconds": 18000},
            ],
            "shortData": [{"dateTime": "2024-03-10T01:30:00.000", "level": "wake", "seconds": 120}],
        },
    }
]


def test_fitbit_zones_put_utc_minutes_and_local_nights_on_the_clients_days(sam, tmp_path):
    """Per-minute files are UTC, sleep is local to Profile.csv's zone; RMSSD stays RMSSD and never becomes SDNN.

    On 2024-03-10 New York springs forward at 02:00, so the night from 23:00 to 07:00 local lasts 7 hours.
    """
    members = {
        "Profile.csv": PROFILE,
        "heart_rate-2024-03-10.json": json.dumps(HEART),
        "sleep-2024-03-10.json": json.dumps(STAGES),
        "steps-2024-03-10.json": json.dumps([{"dateTime": "03/10/24 04:30:00", "value": "120"}]),
        "Daily Heart Rate Variability Summary - 2024-03-(10).csv": "timestamp,rmssd,nremhr,entropy\n"
        "2024-03-10T00:00:00,41.5,55.2,2.1\n",
    }
    import_file(actor=None, client=sam, path=archive(tmp_path / "fitbit.zip", members), source="fitbit")
    rows = stored_samples(sam).to_pylist()
    heart = next(row for row in rows if row["kind"] == "heart_rate")
    assert heart["start"] == int(dt.datetime(2024, 3, 10, 7, 1, tzinfo=UTC).timestamp())
    assert heart["offset"] == -240  # 07:01 UTC is just after the change (02:00 EST = 07:00 UTC): EDT
    steps = next(row for row in rows if row["kind"] == "steps")
    assert steps["offset"] == -300  # 04:30 UTC is 23:30 EST on the 9th
    got = features(sam)
    assert got[("2024-03-09", Metric.STEPS)] == 120
    assert got[("2024-03-10", Metric.SLEEP_IN_BED)] == 7 * 60
    # 50 light + 60 deep + 300 REM (01:00 EST to 07:00 EDT), less the 2-minute short wake
    assert got[("2024-03-10", Metric.SLEEP_TOTAL)] == 50 + 60 + 300 - 2
    assert got[("2024-03-10", Metric.HRV_RMSSD)] == 41.5
    assert not any(metric == Metric.HRV_SDNN for _day, metric in got)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("heart_rate-2024-03-10.json", '[{"dateTime": "2024-03-10 06:59", "value": {"bpm": 61}}]', ["entry 1", "form"]),
        (
            "heart_rate-2024-03-10.json",
            '[{"dateTime": "03/10/24 06:59:00", "value": {"bpm": 900}}]',
            ["entry 1", "900"],
        ),
        ("steps-2024-03-10.json", '[{"dateTime": "03/10/24 06:59:00", "value": "-5"}]', ["entry 1", "-5"]),
        ("steps-2024-03-10.json", '[{"dateTime": "01/01/70 00:00:00", "value": "5"}]', ["entry 1", "2007"]),
        ("sleep-2024-03-10.json", '[{"logId": 1,\n "startTime": ', ["line 2", "JSON"]),
        ("sleep-2024-03-10.json", '[{"logId": 1}]', ["startTime"]),
        ("sleep_score.csv", "timestamp,overall_score\n2019-08-29T06:30:30Z,75\nyesterday,80\n", ["line 3"]),
        ("sleep_score.csv", "timestamp,overall_score\n2019-08-29T06:30:30Z,7\x015\n", ["line 2", "control"]),
        ("resting_heart_rate-2024.json", '{"dateTime": "03/10/24 00:00:00"}', ["list"]),
    ],
)
def test_bad_fitbit_files_are_refused_naming_file_and_place(sam, tmp_path, name, data, words):
    """Each bad Fitbit file is refused with the member and the entry or line named; nothing is stored."""
    good = json.dumps(HEART)
    path = archive(tmp_path / "fitbit.zip", {"heart_rate-2024-03-09.json": good, name: data})
    refused(sam, path, "fitbit", name, *words)


def test_an_archive_without_fitbit_files_is_refused(sam, tmp_path):
    """A zip holding no file the Fitbit importer reads is the wrong kind of file."""
    refused(sam, archive(tmp_path / "photos.zip", {"holiday.jpg": b"\xff\xd8"}), "fitbit", "no Fitbit file")


def test_a_fitbit_zip_with_a_traversal_name_is_refused(sam, tmp_path):
    """Archive names pointing outside the archive are refused before anything is read."""
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("../../etc/heart_rate-2024-03-10.json", json.dumps(HEART))
    refused(sam, path, "fitbit", "unsafe")


# Garmin FIT

START = dt.datetime(2024, 3, 9, 7, 0, tzinfo=UTC)


def test_a_fit_activity_gives_heart_rate_and_a_workout_at_its_local_offset(sam, tmp_path):
    """Records become heart-rate samples and the session a workout, all at the activity's own offset."""
    path = tmp_path / "run.fit"
    path.write_bytes(fit_files.activity(START, beats=[100, 120, 140, 150], offset_minutes=-300))
    result = import_file(actor=None, client=sam, path=path, source="fit")
    rows = stored_samples(sam).to_pylist()
    assert {row["offset"] for row in rows} == {-300}
    assert sorted(row["value"] for row in rows if row["kind"] == "heart_rate") == [100, 120, 140, 150]
    assert features(sam)[("2024-03-09", Metric.WORKOUT_MIN)] == 4
    assert result.samples_stored == 5


def test_fit_monitoring_steps_are_the_rises_of_the_running_total(sam, tmp_path):
    """Monitoring step counts run up through the day; the day's steps are the last total, counted once."""
    path = tmp_path / "monitor.fit"
    path.write_bytes(fit_files.monitoring(START, walking_totals=[0, 100, 250, 250, 900], offset_minutes=60))
    import_file(actor=None, client=sam, path=path, source="fit")
    assert features(sam)[("2024-03-09", Metric.STEPS)] == 900


def test_a_fit_file_with_a_bad_crc_is_refused(sam, tmp_path):
    """A flipped byte fails the file's CRC; nothing of it is stored."""
    data = bytearray(fit_files.activity(START, beats=[100, 120], offset_minutes=0))
    data[40] ^= 0xFF
    path = tmp_path / "flipped.fit"
    path.write_bytes(bytes(data))
    refused(sam, path, "fit", "damaged")


def test_a_truncated_fit_file_is_refused(sam, tmp_path):
    """A file cut short is refused as damaged."""
    path = tmp_path / "cut.fit"
    path.write_bytes(fit_files.activity(START, beats=[100, 120, 130], offset_minutes=0)[:-20])
    refused(sam, path, "fit", "damaged")


def test_a_fit_heart_rate_of_251_is_refused_naming_the_message(sam, tmp_path):
    """An impossible heart rate is refused with its message number."""
    path = tmp_path / "odd.fit"
    path.write_bytes(fit_files.activity(START, beats=[100, 251], offset_minutes=0))
    refused(sam, path, "fit", "message 3", "251")


def test_a_non_fit_file_is_refused(sam, tmp_path):
    """A file without the FIT header is the wrong kind of file; an empty one is named as empty."""
    path = tmp_path / "notes.fit"
    path.write_text("hello, this is not a FIT file")
    refused(sam, path, "fit", "not a FIT file")
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    refused(sam, empty, "fit", "0 bytes")


# Generic CSV

MAPPING = {
    "time": "When",
    "minutes": 60,
    "time_format": "%d.%m.%Y %H:%M",
    "zone": "Europe/Berlin",
    "columns": {"steps": "Schritte", "heart_rate": "Puls"},
    "source": "Band",
}


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "band.csv"
    path.write_text(text)
    return path


def test_a_csv_imports_with_the_clients_saved_mapping(sam, tmp_path):
    """The saved mapping reads the columns, the format and the zone; empty cells are skipped."""
    wearables_csv_mapping_save(actor=None, client=sam, mapping=MAPPING)
    path = write_csv(tmp_path, "When,Schritte,Puls\n09.03.2024 23:30,500,\n10.03.2024 00:30,250,64\n")
    result = import_file(actor=None, client=sam, path=path, source="csv")
    got = features(sam)
    assert got[("2024-03-09", Metric.STEPS)] == 500
    assert got[("2024-03-10", Metric.STEPS)] == 250
    assert {row["offset"] for row in stored_samples(sam).to_pylist()} == {60}
    assert result.records == 2
    assert result.samples_stored == 3
    again = import_file(actor=None, client=sam, path=path, source="csv")
    assert again.samples_stored == 0


def test_a_csv_without_a_saved_mapping_is_refused(sam, tmp_path):
    """Without a mapping there is nothing to read the columns by."""
    refused(sam, write_csv(tmp_path, "When,Schritte\n09.03.2024 23:30,500\n"), "csv", "mapping")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("When,Steps\n09.03.2024 23:30,500\n", ["line 1", "Schritte"]),
        ("When,Schritte,Puls\n09.03.2024 23:30,500,60\n2024-03-10,3,60\n", ["line 3", "time"]),
        ("When,Schritte,Puls\n09.03.2024 23:30,lots,60\n", ["line 2", "lots"]),
        ("When,Schritte,Puls\n09.03.2024 23:30,5,900\n", ["line 2", "900"]),
        ("When,Schritte,Puls\n09.03.2024 23:30,\x075,60\n", ["line 2", "control"]),
        ("When,Schritte,Puls\n", ["no rows"]),
    ],
)
def test_bad_csv_rows_are_refused_naming_the_line(sam, tmp_path, text, words):
    """Missing columns, unreadable times, non-numbers, absurd values and control characters name the line."""
    wearables_csv_mapping_save(actor=None, client=sam, mapping=MAPPING)
    refused(sam, write_csv(tmp_path, text), "csv", *words)


def test_an_invalid_mapping_is_not_saved(sam):
    """A mapping naming an unknown kind or zone is refused before it is saved."""
    with pytest.raises(ValidationError):
        wearables_csv_mapping_save(actor=None, client=sam, mapping={**MAPPING, "columns": {"mood": "x"}})
    with pytest.raises(ValidationError):
        wearables_csv_mapping_save(actor=None, client=sam, mapping={**MAPPING, "zone": "Mars/Olympus"})
