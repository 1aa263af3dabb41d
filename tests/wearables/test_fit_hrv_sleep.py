"""Garmin FIT beat-to-beat intervals become RMSSD and FIT sleep levels become the night's stages.

The files are written byte by byte with ``tests.wearables.fit_files`` (FIT protocol layout cited there). The
messages used here are from the FIT profile (SDK 21.171, as shipped in fitdecode 0.11's ``profile.py``;
checked 2026-12-07): ``hrv`` 78 (field 0 ``time``, an array of uint16 beat-to-beat intervals, scale 1000,
seconds; 0xFFFF pads it), ``hrv_value`` 371 (field 0 ``value``, uint16 5-minute RMSSD, scale 128, ms;
field 253 timestamp), ``sleep_level`` 275 (field 0 ``sleep_level``, enum 0 unmeasurable, 1 awake, 2 light,
3 deep, 4 rem; field 253 timestamp), ``event`` 21 (field 253 timestamp, 0 event, 1 event_type) to close the
night, and ``record`` 20 and ``monitoring_info`` 103 as in ``fit_files``.
"""

from __future__ import annotations

import datetime as dt
import struct

import pytest

from alongside.wearables.importing import import_file, stored_samples
from alongside.wearables.models import Metric
from alongside.wearables.sources.fit import parser as fit_parser
from tests.wearables import fit_files
from tests.wearables.fit_files import ENUM, FILE_ID, MONITORING_INFO, RECORD, UINT16, UINT32, FitWriter, fit_time
from tests.wearables.test_more_sources import features, refused, sam  # noqa: F401  (sam is a fixture)

UTC = dt.UTC
HRV = (78, [(0, (0x84, "5H"))])  # time: five uint16 intervals in ms (scale 1000 of seconds)
HRV_VALUE = (371, [(253, UINT32), (0, UINT16)])
SLEEP_LEVEL = (275, [(253, UINT32), (0, ENUM)])
EVENT = (21, [(253, UINT32), (0, ENUM), (1, ENUM)])
LIGHT, DEEP, REM, AWAKE, UNMEASURABLE = 2, 3, 4, 1, 0
START = dt.datetime(2024, 3, 9, 7, 0, tzinfo=UTC)


class Writer(FitWriter):
    """``fit_files.FitWriter`` with array fields: a value given as a tuple fills a field of several items."""

    def message(self, kind, *values):  # type: ignore[no-untyped-def]
        number, fields = kind
        if number not in self.local:
            local = self.local[number] = len(self.local)
            self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
            for field, (base, fmt) in fields:
                self.body += struct.pack("<BBB", field, struct.calcsize(fmt), base)
        self.body.append(self.local[number])
        for (_field, (_base, fmt)), value in zip(fields, values, strict=True):
            self.body += struct.pack("<" + fmt, *(value if isinstance(value, tuple) else (value,)))
        return self


def beats_file(intervals_ms: list[int], *, offset_minutes: int = 60) -> bytes:
    """An activity: a first record at START, then the intervals five to an ``hrv`` message (0xFFFF pads)."""
    writer = Writer().message(FILE_ID, 4, 1, 1, fit_time(START))
    writer.message(MONITORING_INFO, fit_time(START), fit_time(START) + offset_minutes * 60)
    writer.message(RECORD, fit_time(START), 60)
    for first in range(0, len(intervals_ms), 5):
        chunk = intervals_ms[first : first + 5]
        writer.message(HRV, tuple(chunk + [0xFFFF] * (5 - len(chunk))))
    return bytes(writer)


def rmssd_rows(client) -> list[dict]:
    return [row for row in stored_samples(client).to_pylist() if row["kind"] == "hrv_rmssd"]


def test_fit_beat_to_beat_intervals_give_rmssd_per_five_minutes(sam, tmp_path):  # noqa: F811
    """Beats alternating 800 and 850 ms differ by 50 ms each: RMSSD 50 ms in every 5-minute window, by hand.

    A 2.5 s gap (a missed beat) moves the clock on but pairs with neither neighbour, so RMSSD stays 50;
    the day's HRV is RMSSD and never becomes SDNN.
    """
    intervals = [800 if index % 2 else 850 for index in range(900)]  # 744 s: two full windows and a tail
    intervals[100] = 2500
    path = tmp_path / "beats.fit"
    path.write_bytes(beats_file(intervals))
    import_file(actor=None, client=sam, path=path, source="fit")
    rows = rmssd_rows(sam)
    assert len(rows) == 3
    assert [row["value"] for row in rows] == [50.0, 50.0, 50.0]
    assert rows[0]["start"] == int(START.timestamp())
    assert rows[1]["start"] - rows[0]["start"] in range(299, 302)
    assert {row["offset"] for row in rows} == {60}
    got = features(sam)
    assert got[("2024-03-09", Metric.HRV_RMSSD)] == 50.0
    assert ("2024-03-09", Metric.HRV_SDNN) not in got


def test_a_short_run_of_beats_gives_no_rmssd(sam, tmp_path):  # noqa: F811
    """Fewer than 30 clean successive differences in a window are too few for an RMSSD: nothing is stored."""
    path = tmp_path / "few.fit"
    path.write_bytes(beats_file([800, 850] * 10))
    import_file(actor=None, client=sam, path=path, source="fit")
    assert rmssd_rows(sam) == []


def test_the_watchs_own_five_minute_rmssd_is_kept(sam, tmp_path):  # noqa: F811
    """An ``hrv_value`` message (scale 128) is the watch's 5-minute RMSSD and is stored as RMSSD in ms."""
    writer = Writer().message(FILE_ID, 44, 1, 1, fit_time(START))
    writer.message(HRV_VALUE, fit_time(START), 42 * 128)
    writer.message(HRV_VALUE, fit_time(START + dt.timedelta(minutes=5)), 46 * 128)
    path = tmp_path / "hrv_status.fit"
    path.write_bytes(bytes(writer))
    import_file(actor=None, client=sam, path=path, source="fit")
    assert [row["value"] for row in rmssd_rows(sam)] == [42.0, 46.0]
    assert features(sam)[("2024-03-09", Metric.HRV_RMSSD)] == 44.0


def sleep_file(levels: list[tuple[int, int]], *, end_minute: int | None, offset_minutes: int = 60) -> bytes:
    """A night from 22:00 UTC on 2024-03-09: (minute, level) pairs, closed by a timer event at ``end_minute``."""
    night = dt.datetime(2024, 3, 9, 22, 0, tzinfo=UTC)
    writer = Writer().message(FILE_ID, 49, 1, 1, fit_time(night))
    writer.message(MONITORING_INFO, fit_time(night), fit_time(night) + offset_minutes * 60)
    for minute, level in levels:
        writer.message(SLEEP_LEVEL, fit_time(night + dt.timedelta(minutes=minute)), level)
    if end_minute is not None:
        writer.message(EVENT, fit_time(night + dt.timedelta(minutes=end_minute)), 0, 4)
    return bytes(writer)


NIGHT = [(0, LIGHT), (60, DEEP), (120, REM), (180, AWAKE), (190, LIGHT), (470, UNMEASURABLE)]


def test_fit_sleep_levels_become_the_nights_stages(sam, tmp_path):  # noqa: F811
    """Each level lasts until the next; light counts as asleep, awake does not, unmeasurable is a gap.

    23:00 to 07:00 local (+01:00): 60 light + 60 deep + 60 REM + 280 light = 460 minutes asleep; 10 awake
    makes 470 in bed; the unmeasurable last 10 minutes are in neither. The night is the day it ends on.
    """
    path = tmp_path / "sleep.fit"
    path.write_bytes(sleep_file(NIGHT, end_minute=480))
    import_file(actor=None, client=sam, path=path, source="fit")
    kinds = [row["kind"] for row in sorted(stored_samples(sam).to_pylist(), key=lambda row: row["start"])]
    assert kinds == ["sleep_core", "sleep_deep", "sleep_rem", "sleep_awake", "sleep_core"]
    got = features(sam)
    assert got[("2024-03-10", Metric.SLEEP_TOTAL)] == 460
    assert got[("2024-03-10", Metric.SLEEP_IN_BED)] == 470
    assert got[("2024-03-10", Metric.SLEEP_ONSET)] == -60  # 23:00, an hour before midnight
    assert got[("2024-03-10", Metric.SLEEP_WAKE)] == 7 * 60 - 10


def test_the_last_sleep_level_needs_a_later_time_to_end(sam, tmp_path):  # noqa: F811
    """Without any later timestamp, the last level's length is unknown and it is left out."""
    path = tmp_path / "open.fit"
    path.write_bytes(sleep_file([(0, LIGHT), (60, DEEP)], end_minute=None))
    import_file(actor=None, client=sam, path=path, source="fit")
    assert [row["kind"] for row in stored_samples(sam).to_pylist()] == ["sleep_core"]


def test_a_truncated_beats_file_is_refused_and_nothing_is_stored(sam, tmp_path):  # noqa: F811
    """An hrv file cut short fails its CRC or length: refused as damaged, naming the file."""
    path = tmp_path / "cut_beats.fit"
    path.write_bytes(beats_file([800, 850] * 200)[:-30])
    refused(sam, path, "fit", "damaged")


def test_a_beats_file_with_a_bad_crc_is_refused(sam, tmp_path):  # noqa: F811
    """A flipped byte inside the intervals fails the file's CRC."""
    data = bytearray(beats_file([800, 850] * 200))
    data[-40] ^= 0x55
    path = tmp_path / "flipped_beats.fit"
    path.write_bytes(bytes(data))
    refused(sam, path, "fit", "damaged")


def test_absurd_counts_of_beats_or_levels_are_refused(sam, tmp_path, monkeypatch):  # noqa: F811
    """Over the cap of intervals or sleep levels (lowered here to keep the file small) is refused whole."""
    monkeypatch.setattr(fit_parser, "MAX_BEATS", 100)
    monkeypatch.setattr(fit_parser, "MAX_LEVELS", 3)
    path = tmp_path / "many_beats.fit"
    path.write_bytes(beats_file([800, 850] * 60))
    refused(sam, path, "fit", "beat-to-beat", "message")
    path = tmp_path / "many_levels.fit"
    path.write_bytes(sleep_file(NIGHT, end_minute=480))
    refused(sam, path, "fit", "sleep-level")


def test_an_impossible_rmssd_is_refused_naming_the_message(sam, tmp_path):  # noqa: F811
    """A watch RMSSD of 510 ms is outside 1-500 ms: refused with its message number, nothing stored."""
    writer = Writer().message(FILE_ID, 44, 1, 1, fit_time(START)).message(HRV_VALUE, fit_time(START), 510 * 128)
    path = tmp_path / "odd_hrv.fit"
    path.write_bytes(bytes(writer))
    refused(sam, path, "fit", "message 2", "510")


@pytest.mark.parametrize("level", [LIGHT, DEEP, REM])
def test_each_asleep_level_counts_as_sleep(sam, tmp_path, level):  # noqa: F811
    """Light, deep and REM each count as asleep (an hour of one level is an hour's sleep)."""
    path = tmp_path / "one.fit"
    path.write_bytes(sleep_file([(0, level)], end_minute=60))
    import_file(actor=None, client=sam, path=path, source="fit")
    assert features(sam)[("2024-03-10", Metric.SLEEP_TOTAL)] == 60


assert fit_files.FIT_EPOCH  # the layout notes this module relies on live there
