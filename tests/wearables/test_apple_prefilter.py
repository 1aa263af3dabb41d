"""The Apple pre-filter takes dropped records out before expat without changing what is read or what is refused.

Every file is parsed with and without the pre-filter, in chunks of several sizes (so chunk boundaries fall
inside dropped records, inside kept ones and inside the root tag), and the outcome compared: the same
samples and record count, or the same refusal with the same message and line.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path
from xml.parsers import expat

import pytest

from alongside.wearables.samples import BadInput
from alongside.wearables.sources.apple_health import parser as apple
from alongside.wearables.sources.apple_health import prefilter
from tests.wearables import exports
from tests.wearables.conftest import once

pytestmark = once

FIXTURES = Path(__file__).parent / "fixtures"
CHUNKS = (97, 1024, 1 << 20)  # odd and small: boundaries fall everywhere; the shipped size last
DROPPED = "ActiveEnergyBurned"  # a type the import does not keep
AT = dt.datetime(2024, 3, 30, 22, 0, tzinfo=dt.UTC)


class Counting(prefilter.Prefilter):
    """The pre-filter, remembering how many records it took out over a test."""

    removed_total = 0

    def rest(self) -> bytes:
        Counting.removed_total += self.removed
        return super().rest()


def outcome(path: Path, *, chunk: int, on: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(apple, "CHUNK", chunk)
    monkeypatch.setattr(apple, "Prefilter", Counting)
    try:
        parsed = apple.parse(path, prefilter=on)
    except BadInput as refused:
        return ("refused", str(refused), refused.line)
    samples = parsed.samples
    columns = (samples.kind, samples.start, samples.end, samples.offset, samples.value, samples.source)
    return ("read", parsed.records, [list(column) for column in columns], samples.sources)


def same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """Parse ``path`` at every chunk size with and without the pre-filter; all outcomes must agree."""
    expected = outcome(path, chunk=1 << 20, on=False, monkeypatch=monkeypatch)
    for chunk in CHUNKS:
        assert outcome(path, chunk=chunk, on=True, monkeypatch=monkeypatch) == expected, (path.name, chunk)
    return expected


def bench_export(path: Path, days: int) -> Path:
    """The bench's synthetic Watch-and-iPhone export (Apple's device strings, escapes and DTD)."""
    spec = importlib.util.spec_from_file_location("bench_wearables", Path(__file__).parents[2] / "bench/wearables.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_wearables", module)
    spec.loader.exec_module(module)
    module.generate(path, days)
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bench_export(tmp_path_factory.mktemp("bench") / "export.xml", 3)


def test_real_and_synthetic_exports_read_the_same_with_the_prefilter(synthetic, tmp_path, monkeypatch):
    """Every real fixture and the bench's synthetic export: same samples and count; dropped records were cut."""
    paths = [*sorted(FIXTURES.glob("*.xml")), synthetic]  # the shared data's Apple files, copied with provenance
    paths.append(shutil.make_archive(str(tmp_path / "dogsheep"), "zip", FIXTURES / "dogsheep-zip"))
    Counting.removed_total = 0
    for path in map(Path, paths):
        assert same_both_ways(path, monkeypatch)[0] == "read", path.name
    # 3 days of 1,936 records, 1,362 of them of dropped types: all cut with the small chunks (the first
    # megabyte, read before the root is seen, goes to expat whole)
    assert Counting.removed_total >= 2 * 3 * 1362


def dropped(extra: str = "", value: str = "0.31") -> str:
    return (
        f' <Record type="HKQuantityTypeIdentifier{DROPPED}" sourceName="Sam&#8217;s Apple\u00a0Watch" '
        f'device="&lt;&lt;HKDevice: 0x1&gt;&gt;" unit="kcal"{extra} startDate="{exports.stamp(AT)}" '
        f'endDate="{exports.stamp(AT)}" value="{value}"/>\n'
    )


def write(tmp_path: Path, body: str | bytes, *, head: bytes | None = None, name: str = "export.xml") -> Path:
    """An export of many dropped and kept records around ``body`` (so the pre-filter is under way by then)."""
    steps = exports.record("StepCount", AT, AT + dt.timedelta(minutes=5), 12)
    filler = (dropped() + steps) * 40
    raw = body if isinstance(body, bytes) else body.encode()
    data = (head or exports.HEAD.encode()) + filler.encode() + raw + filler.encode() + exports.TAIL.encode()
    path = tmp_path / name
    path.write_bytes(data)
    return path


MALFORMED = {
    "a control character": dropped(value="0\x01"),
    "an undefined entity": dropped(value="&nothing;"),
    "a reference to an illegal character": dropped(value="&#1;"),
    "a lone surrogate": dropped(value="\udc80"),
    "U+FFFF": dropped(value="\uffff"),
    "the same attribute twice": dropped(' unit="kcal"'),
    "a dropped record inside an attribute value": f' <Workout workoutActivityType="a{dropped().strip()}"/>\n',
    "a dropped record inside a start tag": f' <Workout {dropped().strip()} duration="1"/>\n',
    "a comment made bad by a dropped record in it": f" <!-- {dropped(value='a--b').strip()} -->\n",
    "two dashes in a comment before dropped records": " <!-- a--b -->\n" + dropped() * 30,
    "a dropped record after the root": f"</HealthData>\n{dropped()}<HealthData>\n",
    "a stray lt before a dropped record": f" <{dropped().strip()}\n",
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_dropped_records_are_refused_with_the_same_message(case, tmp_path, monkeypatch):
    """A dropped-type record that is malformed, or not really an element, is refused exactly as without the filter."""
    path = write(tmp_path, MALFORMED[case].encode("utf-8", "surrogatepass"))
    result = same_both_ways(path, monkeypatch)
    assert result[0] == "refused", (case, result)


def test_invalid_utf8_and_an_unterminated_dropped_record_are_refused_the_same(tmp_path, monkeypatch):
    """Bytes that are not UTF-8 inside a dropped record, and a file ending inside one, are refused as before."""
    bad = dropped().encode().replace(b"0.31", b"0.\xff1")
    assert same_both_ways(write(tmp_path, bad, name="a.xml"), monkeypatch)[0] == "refused"
    steps = exports.record("StepCount", AT, AT + dt.timedelta(minutes=5), 12)
    cut = (exports.HEAD + (dropped() + steps) * 40 + dropped()[:-12]).encode()
    (tmp_path / "b.xml").write_bytes(cut)
    result = same_both_ways(tmp_path / "b.xml", monkeypatch)
    assert result[0] == "refused"
    assert "truncated" in result[1]


LEGAL = {
    "CDATA holding a record": " <![CDATA[" + dropped().strip() + "]]>\n",
    "a comment holding a record": " <!-- " + dropped().strip() + " -->\n",
    "a processing instruction holding a record": " <?note " + dropped().strip() + "?>\n",
    "a record inside a kept one": f' <Workout workoutActivityType="r" startDate="{exports.stamp(AT)}" '
    f'endDate="{exports.stamp(AT)}">\n{dropped()} </Workout>\n',
    "square brackets and gt around a record": " ]]" + dropped().strip() + ">\n",
    "odd attribute order": f' <Record value="1" type="HKQuantityTypeIdentifier{DROPPED}"/>\n',
    "a kept type as a prefix of a dropped one": ' <Record type="HKQuantityTypeIdentifierStepCountX"/>\n',
    "a tab and other references": dropped(value="&#x41;&#65;\t&amp;"),
}


@pytest.mark.parametrize("case", LEGAL)
def test_well_formed_oddities_read_the_same(case, tmp_path, monkeypatch):
    """Records in comments, CDATA, instructions, children and odd forms: counted and read as without the filter."""
    assert same_both_ways(write(tmp_path, LEGAL[case]), monkeypatch)[0] == "read"


def test_an_empty_root_never_lets_later_records_through(tmp_path, monkeypatch):
    """After ``<HealthData/>`` every record is junk after the root: refused with and without the filter."""
    path = tmp_path / "export.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="x"/>\n' + dropped().encode() * 50)
    assert same_both_ways(path, monkeypatch)[0] == "refused"


def test_another_encoding_is_left_to_expat(tmp_path, monkeypatch):
    """A file declared US-ASCII or ISO-8859-1 is not filtered: there UTF-8 bytes are refused or other characters."""
    for declared in (b'encoding="US-ASCII"', b"encoding = 'us-ascii'"):
        ascii_head = b'<?xml version="1.0" ' + declared + b'?>\n<HealthData locale="x">\n'
        assert same_both_ways(write(tmp_path, dropped().encode(), head=ascii_head), monkeypatch)[0] == "refused"
    latin_head = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<HealthData locale="x">\n'
    body = dropped().replace("\u00a0", "\u00e9").encode("latin-1")
    assert same_both_ways(write(tmp_path, body, head=latin_head), monkeypatch)[0] == "read"


def test_every_character_the_pattern_lets_through_is_legal_xml():
    """One element holding each code point the pattern accepts in a value: expat accepts them all."""
    pattern = apple.DROPPED
    accepted = []
    for code in [*range(0, 0x110000, 7), 0xFFFD, 0xFFFE, 0xFFFF, 0xD7FF, 0xE000, 0x10FFFF]:
        text = chr(code).encode("utf-8", "surrogatepass")
        element = b'<Record type="HKQuantityTypeIdentifierX" value="' + text + b'"/>'
        if pattern.fullmatch(element):
            accepted.append(element)
    assert 150_000 < len(accepted) < 0x110000 // 7
    document = b"<HealthData>" + b"".join(accepted) + b"</HealthData>"
    expat.ParserCreate().Parse(document, True)  # raises on any illegal character
    for code in (0x0, 0x1, 0xB, 0xD800, 0xFFFE, 0xFFFF):
        text = chr(code).encode("utf-8", "surrogatepass")
        assert not pattern.fullmatch(b'<Record type="HKQuantityTypeIdentifierX" value="' + text + b'"/>')
