"""Importing stores sealed samples once, merges overlapping exports, and erasure and shredding remove them."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import Http404

from alongside.care.erasure import client_erase
from alongside.consent.services import scopes_set
from alongside.crypto.keys import KeyProblem, destroy_data_key
from alongside.wearables import storage
from alongside.wearables.importing import import_file, stored_samples
from alongside.wearables.models import DailyFeature, ImportJob, Metric
from alongside.wearables.selectors import features_for
from alongside.wearables.services import wearables_delete_all
from tests import factories
from tests.wearables import exports

UTC = dt.UTC


def steps(day: int, hour: int, value: int, source: str = "Sam's Apple Watch") -> str:
    start = dt.datetime(2024, 2, day, hour, 0, tzinfo=UTC)
    return exports.record("StepCount", start, start + dt.timedelta(minutes=10), value, source)


@pytest.fixture
def home(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.world()


def test_the_same_file_twice_changes_nothing(home, tmp_path):
    """The second import stores nothing, adds no import row and leaves the features as they were."""
    path = exports.write_xml(tmp_path / "export.xml", steps(1, 9, 500), steps(1, 10, 300), steps(2, 9, 100))
    first = import_file(actor=None, client=home.sam, path=path)
    assert (first.records, first.samples_stored, first.duplicates_dropped, first.days) == (3, 3, 0, 2)
    features = list(DailyFeature.objects.values_list("day", "metric", "value"))
    second = import_file(actor=None, client=home.sam, path=path)
    assert (second.samples_stored, second.duplicates_dropped, second.days) == (0, 3, 0)
    assert ImportJob.objects.count() == 1
    assert list(DailyFeature.objects.values_list("day", "metric", "value")) == features


def test_overlapping_exports_merge(home, tmp_path):
    """A later export repeating earlier days stores only its new samples; daily totals count each once."""
    first = exports.write_xml(tmp_path / "a.xml", steps(1, 9, 500), steps(2, 9, 100))
    later = exports.write_xml(tmp_path / "b.xml", steps(2, 9, 100), steps(3, 9, 700))
    import_file(actor=None, client=home.sam, path=first)
    result = import_file(actor=None, client=home.sam, path=later)
    assert (result.samples_stored, result.duplicates_dropped) == (1, 1)
    totals = dict(DailyFeature.objects.filter(metric=Metric.STEPS).values_list("day", "value"))
    assert totals == {dt.date(2024, 2, 1): 500, dt.date(2024, 2, 2): 100, dt.date(2024, 2, 3): 700}
    assert stored_samples(home.sam).num_rows == 3


def test_sample_files_are_sealed_and_shredding_makes_them_unreadable(home, tmp_path):
    """No Parquet (or any plaintext) on disk; once the client's key is destroyed the file does not open."""
    import_file(actor=None, client=home.sam, path=exports.write_xml(tmp_path / "e.xml", steps(1, 9, 500)))
    [sealed] = storage.client_dir(home.sam.pk).iterdir()
    raw = sealed.read_bytes()
    assert b"PAR1" not in raw
    assert b"Apple Watch" not in raw
    destroy_data_key(home.sam.pk)
    with pytest.raises(KeyProblem):
        stored_samples(home.sam)


def test_erasure_deletes_the_sample_files(home, tmp_path, django_capture_on_commit_callbacks):
    """Erasing a client removes their folder of sample files once the erasure commits."""
    import_file(actor=None, client=home.sam, path=exports.write_xml(tmp_path / "e.xml", steps(1, 9, 500)))
    assert storage.client_dir(home.sam.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_erase(actor=home.admin, client=home.sam, confirm_email=home.sam.user.email)
    assert not storage.client_dir(home.sam.pk).exists()


def test_the_client_can_delete_all_their_sensor_data(home, tmp_path, django_capture_on_commit_callbacks):
    """Deleting all sensor data removes imports, features and files."""
    import_file(actor=None, client=home.sam, path=exports.write_xml(tmp_path / "e.xml", steps(1, 9, 500)))
    with django_capture_on_commit_callbacks(execute=True):
        assert wearables_delete_all(actor=home.sam.user, client=home.sam) == 1
    assert not ImportJob.objects.exists()
    assert not DailyFeature.objects.exists()
    assert not storage.client_dir(home.sam.pk).exists()


def test_features_follow_the_wearables_sharing_scope(home, tmp_path):
    """The therapist sees features only while Sam shares wearables; outsiders never; revoking hides them at once."""
    import_file(actor=None, client=home.sam, path=exports.write_xml(tmp_path / "e.xml", steps(1, 9, 500)))
    assert len(features_for(actor=home.sam.user, client_id=home.sam.pk)) == 1
    with pytest.raises(Http404):
        features_for(actor=home.alice, client_id=home.sam.pk)
    scopes_set(client=home.sam, scopes=exports.ALL_STREAMS, actor=home.sam.user)
    assert len(features_for(actor=home.alice, client_id=home.sam.pk)) == 1
    for outsider in (home.bob, home.carol, home.other_client.user):
        with pytest.raises(Http404):
            features_for(actor=outsider, client_id=home.sam.pk)
    scopes_set(client=home.sam, scopes=exports.NO_STREAMS, actor=home.sam.user)
    with pytest.raises(Http404):
        features_for(actor=home.alice, client_id=home.sam.pk)


def test_the_commands_print_json(home, tmp_path):
    """`wearables import` ends with one JSON line of counts; `wearables features --json` prints each feature."""
    path = exports.write_xml(tmp_path / "export.xml", steps(1, 9, 500), steps(1, 9, 500, source="Sam's iPhone"))
    out = StringIO()
    call_command("wearables", "import", str(path), "--client", home.sam.user.email, stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(result) == {"records", "samples_stored", "duplicates_dropped", "days", "seconds"}
    assert (result["records"], result["samples_stored"], result["days"]) == (2, 2, 1)
    out = StringIO()
    call_command("wearables", "features", "--client", home.sam.user.email, "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {"day": "2024-02-01", "metric": "steps", "value": 500.0, "baseline_median": None, "baseline_mad": None}
    ]


def test_a_correlations_child_that_is_also_top_level_is_stored_once(home, tmp_path):
    """Apple repeats a Correlation's records at the top level; the copy is dropped as a duplicate."""
    beat = exports.record(
        "HeartRate", dt.datetime(2024, 2, 1, 9, tzinfo=UTC), dt.datetime(2024, 2, 1, 9, tzinfo=UTC), 64
    )
    correlation = (
        ' <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Cuff" '
        'startDate="2024-02-01 09:00:00 +0000" endDate="2024-02-01 09:00:00 +0000">\n' + beat + " </Correlation>\n"
    )
    result = import_file(actor=None, client=home.sam, path=exports.write_xml(tmp_path / "e.xml", beat, correlation))
    assert (result.records, result.samples_stored, result.duplicates_dropped) == (2, 1, 1)
