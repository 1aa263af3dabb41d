"""Fitbit, CSV, Open mHealth and FIT files report the bytes read to the import's live progress, as Apple's do.

The command's progress bar and the upload's live progress both listen on ``inputs.progress``; each source
tells it (bytes read, bytes in all) as it reads, with counts that only grow and end at the file's size.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from alongside.wearables.inputs import progress
from alongside.wearables.samples import BadInput
from alongside.wearables.sources import reading
from alongside.wearables.sources.fit import parser as fit
from alongside.wearables.sources.fitbit import parser as fitbit
from alongside.wearables.sources.omh import parser as omh
from tests.wearables import fit_files
from tests.wearables.test_streamed_sources import SHARED, csv_of, csv_parse, fitbit_archive, omh_array


@pytest.fixture
def seen(monkeypatch):
    """Every (done, total) the sources report, reading 256 bytes at a time so a small file takes many reads."""
    monkeypatch.setattr(reading, "CHUNK", 256)
    told: list[tuple[int, int]] = []
    token = progress.set(lambda done, total: told.append((done, total)))
    yield told
    progress.reset(token)


def assert_reported(told: list[tuple[int, int]], path: Path) -> None:
    size = path.stat().st_size
    assert len(told) > 1, told
    counts = [done for done, _total in told]
    assert counts == sorted(set(counts)), "the counts must only grow"
    assert {total for _done, total in told} == {size}
    assert told[-1] == (size, size)


def test_a_fitbit_archive_reports_its_own_bytes(seen, tmp_path):
    """The archive's compressed bytes, member after member, then the whole archive."""
    path = fitbit_archive(tmp_path)
    assert len(fitbit.parse(path).samples) > 0
    assert_reported(seen, path)


def test_a_single_fitbit_file_reports_as_it_is_read(seen, tmp_path):
    path = tmp_path / "sleep.json"
    path.write_bytes((SHARED / "fitbit" / "sleep.json").read_bytes())
    assert len(fitbit.parse(path).samples) > 0
    assert_reported(seen, path)


def test_an_open_mhealth_array_reports_as_it_is_read(seen, tmp_path):
    path = omh_array(tmp_path)
    assert len(omh.parse(path).samples) > 0
    assert_reported(seen, path)


def test_a_single_open_mhealth_point_reports_as_it_is_read(seen, tmp_path):
    """A file of one data point is read whole, a block at a time."""
    path = tmp_path / "point.json"
    body = json.loads((SHARED / "openmhealth/step-count/3.0/shouldPass/valid-step-count.json").read_text())
    path.write_text(json.dumps({"header": {"schema_id": {"name": "step-count"}}, "body": body}, indent=4))
    assert len(omh.parse(path).samples) == 1
    assert_reported(seen, path)


def test_a_csv_file_reports_as_its_rows_are_read(seen, tmp_path):
    path = csv_of(omh.parse(omh_array(tmp_path)).samples, tmp_path)
    header, *lines = path.read_text().splitlines(keepends=True)
    path.write_text(header + "".join(lines * 5))  # over 8 KB: the text layer reads 8 KB at a time
    seen.clear()  # the array read to write the CSV reported too
    assert len(csv_parse(path).samples) > 0
    assert_reported(seen, path)


def test_a_fit_file_reports_as_it_is_read(seen, tmp_path):
    path = tmp_path / "activity.fit"
    start = dt.datetime(2024, 3, 5, 6, tzinfo=dt.UTC)
    path.write_bytes(fit_files.activity(start, beats=[60 + n % 20 for n in range(120)], offset_minutes=60))
    assert len(fit.parse(path).samples) > 0
    assert_reported(seen, path)


def test_a_refused_file_keeps_its_message(seen, tmp_path):
    """Reporting changes no refusal: a damaged FIT file and a broken JSON array say what they said."""
    path = tmp_path / "activity.fit"
    start = dt.datetime(2024, 3, 5, 6, tzinfo=dt.UTC)
    data = bytearray(fit_files.activity(start, beats=[70] * 50, offset_minutes=0))
    data[-1] ^= 0xFF  # the CRC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"^activity\.fit: the FIT file is damaged after message \d+ \("):
        fit.parse(path)
    broken = tmp_path / "points.json"
    broken.write_text('[\n{"header": {"schema_id": {"name": "step-count"}},\n "body": {')
    with pytest.raises(
        BadInput, match=r"^points\.json, line 3: this is not a JSON file of Open mHealth data points\.$"
    ):
        omh.parse(broken)


@pytest.mark.django_db
def test_an_import_reports_through_the_same_callback(seen, world, settings, tmp_path):
    """The whole import (as the command and the upload task run it) reports an Open mHealth file's bytes."""
    from alongside.wearables.importing import import_file

    settings.WEARABLES_DIR = tmp_path / "store"
    path = omh_array(tmp_path)
    assert import_file(actor=None, client=world.sam, path=path, source="omh").samples_stored > 0
    assert_reported(seen, path)
