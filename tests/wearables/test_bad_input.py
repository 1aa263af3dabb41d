"""Bad files are refused with a message naming the file (and the line), and nothing of them is stored."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from alongside.wearables import storage
from alongside.wearables.importing import import_file
from alongside.wearables.models import DailyFeature, ImportJob
from alongside.wearables.samples import BadInput
from tests import factories
from tests.wearables import exports

AT = dt.datetime(2024, 1, 10, 9, 0, tzinfo=dt.UTC)
GOOD = exports.record("StepCount", AT, AT + dt.timedelta(minutes=5), 400)


@pytest.fixture
def sam(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.client(factories.practice())


def refused(sam, path, *, line=None):
    with pytest.raises(BadInput) as caught:
        import_file(actor=None, client=sam, path=path)
    message = str(caught.value)
    assert path.name in message
    if line is not None:
        assert f"line {line}" in message
    assert not ImportJob.objects.exists()
    assert not DailyFeature.objects.exists()
    assert not storage.client_dir(sam.pk).exists()
    return message


def test_billion_laughs_is_refused_without_expanding(sam, tmp_path):
    """Entity declarations are refused at their line; nothing expands."""
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    text = f'<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!ENTITY lol0 "lol">\n{laughs}]>\n<HealthData>&lol9;</HealthData>\n'
    path = tmp_path / "laughs.xml"
    path.write_text(text)
    assert "entities" in refused(sam, path, line=3)


def test_an_external_entity_is_refused(sam, tmp_path):
    """A SYSTEM entity (file or network) is refused before the parser could fetch it."""
    text = '<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<HealthData>&xxe;</HealthData>\n'
    path = tmp_path / "xxe.xml"
    path.write_text(text)
    assert "entities" in refused(sam, path, line=3)


def test_an_undeclared_entity_is_refused_at_its_line(sam, tmp_path):
    """With the DTD cut out, a reference to an entity it declared elsewhere is an error, not an expansion."""
    path = tmp_path / "export.xml"
    path.write_text(exports.HEAD + GOOD + "<Me name='&who;'/>\n" + exports.TAIL)
    refused(sam, path, line=4)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(sam, tmp_path):
    """A member that claims to expand a thousand times is refused from the archive's own header."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.xml", exports.HEAD + " " * (20 << 20) + exports.TAIL)
    assert "zip bomb" in refused(sam, path)


def test_an_archive_over_the_size_limit_is_refused(sam, tmp_path, settings):
    """The declared unpacked total counts against the limit too."""
    settings.WEARABLES_MAX_BYTES = 2000
    path = exports.write_zip(tmp_path / "export.zip", {"export.xml": exports.xml(*[GOOD] * 20)})
    assert "over the limit" in refused(sam, path)


def test_path_traversal_inside_a_zip_is_refused(sam, tmp_path):
    """A member named ../ is refused, and nothing is written anywhere."""
    path = exports.write_zip(tmp_path / "export.zip", {"../../evil.xml": exports.xml(GOOD)})
    assert "unsafe file name" in refused(sam, path)


def test_truncated_xml_is_refused(sam, tmp_path):
    """An export cut short says it ends early, with the line where it stops."""
    path = tmp_path / "export.xml"
    path.write_text(exports.HEAD + GOOD + GOOD[:40])
    assert "ends early" in refused(sam, path, line=4)


def test_the_wrong_kind_of_file_is_refused(sam, tmp_path):
    """A PDF is not an export."""
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert "wrong kind of file" in refused(sam, path)


def test_control_characters_are_refused_at_their_line(sam, tmp_path):
    """A stray control character is named with its line."""
    path = tmp_path / "export.xml"
    path.write_text(exports.HEAD + GOOD + GOOD.replace("Sam's", "Sam\x01s"))
    assert "not well-formed" in refused(sam, path, line=4)


@pytest.mark.parametrize(
    ("kind", "value", "start", "problem"),
    [
        ("HeartRate", 900, AT, "impossible heart_rate value 900"),
        ("StepCount", -5, AT, "impossible steps value -5"),
        ("StepCount", 10, dt.datetime(1970, 1, 1, tzinfo=dt.UTC), "outside 2007"),
        ("StepCount", 10, dt.datetime(2100, 1, 1, tzinfo=dt.UTC), "outside 2007"),
    ],
)
def test_absurd_values_are_refused_at_their_line(sam, tmp_path, kind, value, start, problem):
    """Heart rate 900, negative steps, dates in 1970 or 2100: the file is refused, its good records with it."""
    path = exports.write_xml(
        tmp_path / "export.xml", GOOD, exports.record(kind, start, start + dt.timedelta(minutes=1), value)
    )
    assert problem in refused(sam, path, line=4)


def test_an_empty_file_is_refused(sam, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in refused(sam, path)


def test_a_file_over_the_size_limit_is_refused(sam, tmp_path, settings):
    """The limit (2 GB unless configured) is checked before the file is read."""
    settings.WEARABLES_MAX_BYTES = 100
    path = exports.write_xml(tmp_path / "export.xml", GOOD, GOOD)
    assert "over the limit" in refused(sam, path)
