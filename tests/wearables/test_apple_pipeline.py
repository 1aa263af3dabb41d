"""The pre-filter in a child process reads the same samples and refuses the same files as in one process.

``WEARABLES_PIPELINE_BYTES`` is set to 1 so that even the small fixtures go through the child; each file is
parsed both ways and the outcomes compared (samples, record counts, or the refusal's message and line).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from alongside.wearables.inputs import CountedReader
from alongside.wearables.samples import BadInput
from alongside.wearables.sources.apple_health import parser as apple
from alongside.wearables.sources.apple_health import pipeline
from alongside.wearables.sources.apple_health.prefilter import Prefilter
from tests.wearables import exports
from tests.wearables.conftest import once

pytestmark = once

FIXTURES = Path(__file__).parent / "fixtures"
AT = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)


class Counted(pipeline.Reader):
    """The child reader, counting how many were started in a test."""

    started = 0
    last: pipeline.Reader

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        Counted.started += 1
        Counted.last = self


@pytest.fixture
def through_child(settings: object, monkeypatch: pytest.MonkeyPatch) -> type[Counted]:
    settings.WEARABLES_PIPELINE_BYTES = 1  # type: ignore[attr-defined]
    Counted.started = 0
    monkeypatch.setattr(apple, "Reader", Counted)
    return Counted


def outcome(path: Path, *, pipeline_on: bool) -> tuple[object, ...]:
    try:
        parsed = apple.parse(path, pipeline=pipeline_on)
    except BadInput as refused:
        return ("refused", str(refused), refused.line)
    samples = parsed.samples
    columns = (samples.kind, samples.start, samples.end, samples.offset, samples.value, samples.source)
    return ("read", parsed.records, [list(column) for column in columns], samples.sources)


def long_export(path: Path, *, bad: str | None = None, at: int = 6_000, records: int = 8_000) -> Path:
    """Several megabytes: dropped and kept records interleaved, with ``bad`` put in as record number ``at``."""
    lines = []
    for n in range(records):
        when = AT + dt.timedelta(minutes=n)
        if bad is not None and n == at:
            lines.append(bad)
        lines.append(exports.record("ActiveEnergyBurned", when, when + dt.timedelta(minutes=1), 0.4 + n % 7))
        lines.append(exports.record("HeartRate", when, when, 55 + n % 40))
        if n % 3 == 0:
            lines.append(exports.record("StepCount", when, when + dt.timedelta(minutes=1), n % 90))
    return exports.write_xml(path, *lines)


def test_fixtures_read_the_same_through_the_child(through_child: type[Counted], tmp_path: Path) -> None:
    files = [*sorted(FIXTURES.glob("*.xml")), long_export(tmp_path / "long.xml")]
    zipped = exports.write_zip(tmp_path / "export.zip", {"apple_health_export/exportar.xml": files[-1].read_bytes()})
    for path in [*files, zipped]:
        expected = outcome(path, pipeline_on=False)
        assert through_child.started == 0 or path != files[0]
        assert outcome(path, pipeline_on=True) == expected, path.name
    assert through_child.started == len(files) + 1  # every file went through a child
    read = outcome(files[-1], pipeline_on=True)
    assert read[0] == "read"
    assert read[1] == 8_000 * 2 + (8_000 + 2) // 3


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (
            ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" startDate="2024-03-21 08:00:00 +0000" '
            'endDate="2024-03-21 08:00:00 +0000" value="900"/>\n',
            "heart",
        ),
        (' <Record type="HKQuantityTypeIdentifierStepCount" value="3" <oops/>\n', "not well-formed"),
        (" </Oops>\n", "not well-formed"),  # an end tag that closes nothing
    ],
)
def test_refusals_are_the_same_through_the_child(
    through_child: type[Counted], tmp_path: Path, bad: str, says: str
) -> None:
    path = long_export(tmp_path / "bad.xml", bad=bad)
    expected = outcome(path, pipeline_on=False)
    assert expected[0] == "refused"
    assert says in str(expected[1]).lower(), expected
    assert outcome(path, pipeline_on=True) == expected
    assert through_child.started == 1
    assert through_child.last.process.returncode is not None  # the child was stopped and waited for


def test_truncated_file_is_refused_the_same_way(through_child: type[Counted], tmp_path: Path) -> None:
    path = long_export(tmp_path / "whole.xml")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    expected = outcome(path, pipeline_on=False)
    assert expected[0] == "refused"
    assert "truncated" in str(expected[1])
    assert outcome(path, pipeline_on=True) == expected


def test_a_member_longer_than_declared_is_refused_by_the_child(through_child: type[Counted], tmp_path: Path) -> None:
    path = long_export(tmp_path / "long.xml")
    with path.open("rb") as raw:
        declared = path.stat().st_size - 1000  # as a zip member whose header understates its size
        stream = CountedReader(raw, declared, "export.zip:export.xml", (raw.fileno(), -1))
        with pytest.raises(BadInput, match="larger than it declares"):
            apple.parse_stream(stream, stream.label)
    assert through_child.started == 1


def test_a_child_that_dies_stops_the_import(
    through_child: type[Counted], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed_first(self: pipeline.Reader, cutter: Prefilter) -> object:
        self.process.kill()
        self.process.wait()
        return original(self, cutter)

    original = pipeline.Reader.pieces
    monkeypatch.setattr(Counted, "pieces", killed_first)
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        apple.parse(long_export(tmp_path / "long.xml"))


def test_small_files_stay_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Counted.started = 0
    monkeypatch.setattr(apple, "Reader", Counted)
    path = long_export(tmp_path / "long.xml")
    assert path.stat().st_size < pipeline.PIPELINE_BYTES
    assert outcome(path, pipeline_on=True)[0] == "read"
    assert Counted.started == 0


def test_the_child_closes_what_it_opened(through_child: type[Counted], tmp_path: Path) -> None:
    before = len(os.listdir("/proc/self/fd"))
    apple.parse(long_export(tmp_path / "long.xml"))
    assert through_child.started == 1
    assert len(os.listdir("/proc/self/fd")) == before  # the pipes are closed in the parent as well
