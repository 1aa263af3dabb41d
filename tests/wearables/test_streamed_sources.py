"""Fitbit archives, Open mHealth arrays, CSV and FIT files hand their samples to the spill as they are read.

Read with a spill, a file gives exactly the samples and the features of reading it whole (the path before),
on the real fixtures in ``/work/shared/data`` and on a CSV written from the same samples; the parser keeps
only the samples read since its last hand-over. A file that is bad late on (after samples were handed over)
is still refused whole, with the message it had when it was read whole, and nothing of it is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from alongside.wearables import spill, storage
from alongside.wearables.importing import import_file
from alongside.wearables.models import DailyFeature, ImportJob
from alongside.wearables.samples import BadInput, Samples
from alongside.wearables.services import wearables_csv_mapping_save
from alongside.wearables.sources.csv import parser as csv_source
from alongside.wearables.sources.fit import parser as fit
from alongside.wearables.sources.fitbit import parser as fitbit
from alongside.wearables.sources.omh import parser as omh
from tests import factories
from tests.wearables import exports, fit_files
from tests.wearables.test_chunked import assert_same

SHARED = Path("/work/shared/data")
COLUMNS = ("kind", "start", "end", "offset", "value", "source")
MAPPING = {"time": "start", "end": "end", "zone": "UTC", "value": "value", "type": "kind", "types": {}}


def rows(samples: Samples) -> list[tuple[object, ...]]:
    names = {code: name for name, code in samples.sources.items()}
    return [(*row[:5], names[row[5]]) for row in zip(*(getattr(samples, c) for c in COLUMNS), strict=True)]


def spilled(parse, path: Path, folder: Path) -> tuple[Samples, spill.Spill, int]:
    """Parse with a spill; return every sample (spilled, then the parser's rest), the spill and what it held."""
    into = spill.Spill(folder)
    rest = parse(path, into).samples
    handed = into.count
    every = Samples(sources=dict(rest.sources))
    for window in into.windows():
        part = into.samples(window, rest)
        for name in COLUMNS:
            getattr(every, name).extend(getattr(part, name))
    for name in COLUMNS:
        getattr(every, name).extend(getattr(rest, name))
    return every, into, handed


def fitbit_archive(folder: Path) -> Path:
    members = {path.name: path.read_bytes() for path in (SHARED / "fitbit").iterdir()}
    return exports.write_zip(folder / "fitbit.zip", members)


def omh_array(folder: Path) -> Path:
    """Every valid real Open mHealth example in one JSON array, three times over (so duplicates too)."""
    points = [json.loads(path.read_text()) for path in sorted(SHARED.glob("openmhealth/*/*/shouldPass/*.json"))]
    points = [
        {"header": {"schema_id": {"name": name}}, "body": point}
        for name, point in _named(points)
        if "effective_time_frame" in point  # the examples without a time are points Alongside refuses
    ]
    path = folder / "points.json"
    path.write_text(json.dumps(points * 3, indent=1))
    return path


def _named(points: list[dict]) -> list[tuple[str, dict]]:
    names = sorted(SHARED.glob("openmhealth/*/*/shouldPass/*.json"))
    return [(path.parts[-4], point) for path, point in zip(names, points, strict=True)]


def csv_of(samples: Samples, folder: Path) -> Path:
    """The samples as a long-layout CSV, one row each (kinds as the type words)."""
    lines = ["kind,start,end,value"]
    for kind, start, end, _offset, value, _source in rows(samples):
        lines.append(f"{kind},{_iso(start)},{_iso(end)},{value!r}")
    path = folder / "samples.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _iso(seconds: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()


def csv_parse(path: Path, into: spill.Spill | None = None):
    return csv_source.parse(path, csv_source.ColumnMapping.model_validate(_mapping()), into)


def _mapping() -> dict:
    from alongside.wearables.samples import KINDS

    return {**MAPPING, "types": {str(code): kind.value for code, kind in enumerate(KINDS)}}


@pytest.fixture
def small_flush(monkeypatch):
    """Hand over after every sample, so every row is a boundary."""
    monkeypatch.setattr(csv_source, "FLUSH", 1)
    monkeypatch.setattr(omh, "FLUSH", 1)


@pytest.mark.parametrize("source", ["fitbit", "omh", "csv"])
def test_the_streamed_path_gives_the_same_samples_and_features(sealed, small_flush, tmp_path, source):
    """Real Fitbit and Open mHealth fixtures, and a CSV of them: the same samples, and the same stored samples
    and features through the windowed import, as reading each file whole."""
    if source == "fitbit":
        path, parse = fitbit_archive(tmp_path), fitbit.parse
    elif source == "omh":
        path, parse = omh_array(tmp_path), omh.parse
    else:
        path, parse = csv_of(omh.parse(omh_array(tmp_path)).samples, tmp_path), csv_parse
    whole = parse(path).samples
    every, into, handed = spilled(parse, path, tmp_path / "spill")
    assert len(whole) > 10
    assert handed > 0, "nothing was handed over while reading"
    assert sorted(rows(every)) == sorted(rows(whole))
    into.close()
    assert_same(every, storage.SCHEMA.empty_table(), tmp_path / "w")
    assert_same(whole, storage.SCHEMA.empty_table(), tmp_path / "v")


def test_a_large_open_mhealth_array_is_read_one_point_at_a_time(small_flush, tmp_path, monkeypatch):
    """The array is never loaded whole: ``json`` is not called on a good array."""
    path = omh_array(tmp_path)

    def whole(*_args, **_kwargs):
        raise AssertionError("the array was read whole")

    monkeypatch.setattr(omh.json, "loads", whole)
    every, into, handed = spilled(omh.parse, path, tmp_path / "spill")
    into.close()
    assert handed == len(every)
    assert len(every) > 10


@pytest.fixture
def sam(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.client(factories.practice())


def refused(sam, path, source, *, mapping=None):
    """The import is refused; nothing is stored and no spill is left behind; return the message."""
    if mapping:
        wearables_csv_mapping_save(actor=None, client=sam, mapping=mapping)
    with pytest.raises(BadInput) as caught:
        import_file(actor=None, client=sam, path=path, source=source)
    assert not ImportJob.objects.exists()
    assert not DailyFeature.objects.exists()
    assert not storage.client_dir(sam.pk).exists()
    assert not list(storage.root().glob(".spill-*"))
    return str(caught.value)


def test_a_truncated_open_mhealth_array_is_refused_whole_with_its_line(sam, small_flush, tmp_path):
    """Good points first (handed over), then the file stops: the message and line of ``json`` on the whole file."""
    path = omh_array(tmp_path)
    text = path.read_text()
    path.write_text(text[: len(text) * 2 // 3])
    try:
        json.loads(path.read_text())
    except json.JSONDecodeError as error:
        line = error.lineno
    message = refused(sam, path, "omh")
    assert message == f"points.json, line {line}: this is not a JSON file of Open mHealth data points."


def test_a_bad_point_late_in_a_broken_array_gives_the_whole_file_message(sam, small_flush, tmp_path):
    """A heart rate of 900 before the file breaks: the JSON refusal comes first, as when it was read whole."""
    path = omh_array(tmp_path)
    points = json.loads(path.read_text())
    bad = next(p for p in points if p["header"]["schema_id"]["name"] == "heart-rate" and "date_time" in json.dumps(p))
    bad = json.loads(json.dumps(bad))
    bad["body"]["heart_rate"]["value"] = 900
    path.write_text(json.dumps([*points, bad])[:-1] + ", {")
    assert "not a JSON file" in refused(sam, path, "omh")
    path.write_text(json.dumps([*points, bad]))
    assert f"data point {len(points) + 1} (heart-rate) has an impossible heart_rate value 900" in refused(
        sam, path, "omh"
    )


def test_a_zip_bomb_inside_a_fitbit_archive_is_refused_whole(sam, tmp_path):
    """Real files first, then a member claiming to expand a thousandfold: refused from the archive's header."""
    path = fitbit_archive(tmp_path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("steps-2019-01-01.json", "[" + " " * (20 << 20) + "]")
    assert "zip bomb" in refused(sam, path, "fitbit")


def test_an_absurd_value_late_in_a_fitbit_archive_is_refused_whole(sam, tmp_path):
    """The real files are read and handed over first; a later file's heart rate of 900 refuses the archive."""
    members = {path.name: path.read_bytes() for path in sorted((SHARED / "fitbit").iterdir())}
    members["zz/heart_rate-2019-01-01.json"] = '[{"dateTime": "01/01/19 08:00:00", "value": {"bpm": 900}}]'
    path = exports.write_zip(tmp_path / "fitbit.zip", members)
    message = refused(sam, path, "fitbit")
    assert "heart_rate-2019-01-01.json" in message
    assert "900" in message


def test_a_csv_bad_late_on_is_refused_whole_at_its_line(sam, small_flush, tmp_path):
    """Rows handed over one by one, then a negative step count or a control character: refused at its line."""
    path = csv_of(omh.parse(omh_array(tmp_path)).samples, tmp_path)
    lines = path.read_text().splitlines()
    row = lines[-1].split(",")
    negative = [*lines, ",".join(["0", row[1], row[2], "-5"])]
    path.write_text("\n".join(negative) + "\n")
    message = refused(sam, path, "csv", mapping=_mapping())
    assert f"line {len(negative)}" in message
    assert "-5" in message
    control = [*lines[:-1], lines[-1] + "\x01"]
    path.write_text("\r\n".join(control) + "\r\n")
    assert f"line {len(control)}: the file holds control characters" in refused(sam, path, "csv")


@pytest.mark.parametrize("size", [1, 7, 1 << 20])
def test_control_characters_are_found_at_the_same_line_across_blocks(tmp_path, monkeypatch, size):
    """The block-wise check names the line ``str.splitlines`` names, even with CR LF split across blocks."""
    monkeypatch.setattr(csv_source, "_BLOCK", size)
    text = "a,b\r\n1,2\r\n\x0c3,4\r\n5,\x076\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode())
    expected = next(n for n, line in enumerate(text.splitlines(), 1) if any(ord(c) < 32 for c in line))
    with pytest.raises(BadInput, match=f"line {expected}: the file holds control"):
        csv_source._check_text(path)
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,\xe2\x82\xac\n" + b"\xff")
    with pytest.raises(BadInput, match="not UTF-8"):
        csv_source._check_text(path)


FIT_START = dt.datetime(2024, 3, 9, 6, tzinfo=dt.UTC)


def test_a_fit_monitoring_file_hands_its_samples_over_once_its_offset_is_known(sealed, monkeypatch, tmp_path):
    """A monitoring file gives its offset first: with a hand-over every message, the same samples as read whole."""
    monkeypatch.setattr(fit, "BATCH", 1)
    path = tmp_path / "monitor.fit"
    totals = [n * 37 % 4000 for n in range(96)]  # a day every 15 minutes, with the counter restarting
    path.write_bytes(fit_files.monitoring(FIT_START, walking_totals=totals, offset_minutes=60))
    whole = fit.parse(path).samples
    every, into, handed = spilled(fit.parse, path, tmp_path / "spill")
    into.close()
    assert handed > 0
    assert len(whole) > 50
    assert sorted(rows(every)) == sorted(rows(whole))
    assert set(every.offset) == {60}


def test_a_fit_activity_file_keeps_its_samples_until_its_offset_comes(monkeypatch, tmp_path):
    """An activity file names its offset in its last message: its samples wait for it, and all carry it."""
    monkeypatch.setattr(fit, "BATCH", 1)
    path = tmp_path / "run.fit"
    path.write_bytes(fit_files.activity(FIT_START, beats=[100 + n % 40 for n in range(120)], offset_minutes=-300))
    every, into, _handed = spilled(fit.parse, path, tmp_path / "spill")
    into.close()
    assert sorted(rows(every)) == sorted(rows(fit.parse(path).samples))
    assert set(every.offset) == {-300}


def test_a_damaged_fit_file_with_an_absurd_count_early_is_refused_as_damaged(sam, monkeypatch, tmp_path):
    """200,000 steps early on, then a bad CRC: refused as damaged (as when read whole), nothing stored."""
    monkeypatch.setattr(fit, "BATCH", 1)
    data = bytearray(
        fit_files.monitoring(FIT_START, walking_totals=[0, 200_000, *range(200_001, 200_100)], offset_minutes=0)
    )
    data[-1] ^= 0xFF
    path = tmp_path / "monitor.fit"
    path.write_bytes(bytes(data))
    assert "the FIT file is damaged" in refused(sam, path, "fit")
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    assert "message 4 has an impossible steps value 200000" in refused(sam, path, "fit")
