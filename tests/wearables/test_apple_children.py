"""Inside a kept Apple record: the time zone it was made in, and the RMSSD of its beat-to-beat list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alongside.wearables.samples import Kind, Samples
from alongside.wearables.sources.apple_health import children
from alongside.wearables.sources.apple_health import parser as apple
from tests.wearables.conftest import once
from tests.wearables.exports import HEAD, TAIL
from tests.wearables.test_streamed_sources import spilled

pytestmark = once

FIXTURES = Path(__file__).parent / "fixtures"
HRV = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"


def of_kind(samples: Samples, kind: Kind) -> list[tuple[int, int, float]]:
    code = list(Kind).index(kind)
    rows = zip(samples.kind, samples.start, samples.offset, samples.value, strict=True)
    return [(start, offset, value) for k, start, offset, value in rows if k == code]


def export(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    return path


def workout(start: str, end: str, metadata: str = "") -> str:
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" '
        f'sourceName="Watch" startDate="{start}" endDate="{end}">\n{metadata} </Workout>\n'
    )


def zone(name: str) -> str:
    return f'  <MetadataEntry key="HKTimeZone" value="{name}"/>\n'


def test_the_dogsheep_run_is_placed_in_los_angeles_winter_time() -> None:
    samples = apple.parse(FIXTURES / "dogsheep-export.xml").samples
    run = of_kind(samples, Kind.WORKOUT)
    assert len(run) == 1
    start, offset, _ = run[0]
    assert dt.datetime.fromtimestamp(start, dt.UTC) == dt.datetime(2016, 11, 14, 14, 25, 41, tzinfo=dt.UTC)
    assert offset == -480  # written -0700 by a summer export; Los Angeles was on PST that day
    beats = of_kind(samples, Kind.HEART_RATE)
    assert {offset for _, offset, _ in beats} == {-420}  # no zone given: the written offset stays


def test_a_trip_and_both_dst_changes_take_each_records_zone(tmp_path: Path) -> None:
    body = (
        workout("2024-03-31 10:00:00 +0100", "2024-03-31 10:30:00 +0100", zone("Europe/Madrid"))  # after spring
        + workout("2024-10-27 10:00:00 +0200", "2024-10-27 10:30:00 +0200", zone("Europe/Madrid"))  # after autumn
        + workout("2024-06-01 01:00:00 +0200", "2024-06-01 01:30:00 +0200", zone("Asia/Tokyo"))  # 9 zones east
        + workout("2024-06-02 01:00:00 +0200", "2024-06-02 01:30:00 +0200", zone("Mars/Olympus_Mons"))
        + workout("2024-06-03 01:00:00 +0200", "2024-06-03 01:30:00 +0200")
    )
    rows = of_kind(apple.parse(export(tmp_path, body)).samples, Kind.WORKOUT)
    assert [offset for _, offset, _ in rows] == [120, 60, 540, 120, 120]
    tokyo = dt.datetime.fromtimestamp(rows[2][0], dt.UTC) + dt.timedelta(minutes=rows[2][1])
    assert tokyo.date() == dt.date(2024, 6, 1)  # 08:00 in Tokyo: the same local day, not the day before


def test_a_zone_that_is_not_the_records_own_child_changes_nothing(tmp_path: Path) -> None:
    heart = (
        ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" startDate="2024-06-01 01:00:00 +0200" '
        'endDate="2024-06-01 01:00:00 +0200" value="60"'
    )
    dropped = (
        ' <Record type="HKQuantityTypeIdentifierActiveEnergyBurned" sourceName="Watch" '
        'startDate="2024-06-01 01:00:00 +0200" endDate="2024-06-01 01:01:00 +0200" value="1"'
    )
    body = (
        heart
        + "/>\n"
        + zone("Asia/Tokyo")  # a sibling after the record closed
        + heart
        + ">\n  <Extra>\n"
        + zone("Asia/Tokyo")
        + "  </Extra>\n </Record>\n"  # a grandchild
        + heart
        + ">\n"
        + dropped
        + ">\n"
        + zone("Asia/Tokyo")
        + " </Record>\n </Record>\n"  # a dropped record's
        + heart
        + ">\n"
        + dropped
        + "/>\n"
        + zone("Asia/Tokyo")
        + " </Record>\n"  # its own, after a dropped one
    )
    path = export(tmp_path, body)
    for prefilter in (True, False):
        rows = of_kind(apple.parse(path, prefilter=prefilter).samples, Kind.HEART_RATE)
        assert [offset for _, offset, _ in rows] == [120, 120, 120, 540], prefilter


def beat_list(times: list[str]) -> str:
    beats = "".join(f'   <InstantaneousBeatsPerMinute bpm="60" time="{time}"/>\n' for time in times)
    return f"  <HeartRateVariabilityMetadataList>\n{beats}  </HeartRateVariabilityMetadataList>\n"


def hrv_record(start: str, end: str, times: list[str], zone_name: str | None = None) -> str:
    metadata = zone(zone_name) if zone_name else ""
    return (
        f' <Record type="{HRV}" sourceName="Watch" unit="ms" startDate="{start}" endDate="{end}" value="48.5">\n'
        f"{metadata}{beat_list(times)} </Record>\n"
    )


def alternating(first: float, count: int, *, comma: bool = True, twelve_hour: bool = False) -> list[str]:
    """Beats 0.95 s and 1.05 s apart in turn: every successive difference is 100 ms, so RMSSD is 100 ms."""
    times, at = [], first
    for n in range(count):
        hour, rest = divmod(at % 86_400, 3600)
        minute, second = divmod(rest, 60)
        text = f"{int(hour):02d}:{int(minute):02d}:{second:05.2f}"
        if twelve_hour:
            text = f"{int(hour) % 12 or 12}:{int(minute):02d}:{second:05.2f} {'PM' if hour >= 12 else 'AM'}"
        times.append(text.replace(".", ",") if comma else text)
        at += 0.95 if n % 2 == 0 else 1.05
    return times


def test_the_beats_of_a_variability_record_give_its_rmssd_beside_the_sdnn(tmp_path: Path) -> None:
    body = (
        hrv_record("2024-03-01 23:59:30 +0100", "2024-03-02 00:00:35 +0100", alternating(86_370.0, 62))  # midnight
        + hrv_record(
            "2024-03-02 13:00:00 +0100",
            "2024-03-02 13:01:05 +0100",
            alternating(46_800.0, 62, comma=False, twelve_hour=True),
            "Asia/Tokyo",
        )
        + hrv_record("2024-03-02 14:00:00 +0100", "2024-03-02 14:00:30 +0100", alternating(50_400.0, 20))  # too few
        + hrv_record("2024-03-02 15:00:00 +0100", "2024-03-02 15:01:00 +0100", ["15:00:01,00", "soon"] * 31)
    )
    samples = apple.parse(export(tmp_path, body)).samples
    assert [value for *_, value in of_kind(samples, Kind.HRV_SDNN)] == [48.5] * 4  # Apple's SDNN, as written
    rmssd = of_kind(samples, Kind.HRV_RMSSD)
    assert [value for *_, value in rmssd] == [100.0, 100.0]
    assert [offset for _, offset, _ in rmssd] == [60, 540]  # each with its record's offset, the zone's too


def test_an_artefact_beat_pairs_with_neither_neighbour() -> None:
    times = alternating(3600.0, 62, comma=False)
    times[30:32] = []  # two missed beats: one interval of about 3 s, then the series goes on
    assert children.beats_rmssd(times) == 100.0
    assert children.seconds_of_day("11:10:01,52 p. m.") == pytest.approx(83_401.52)
    assert children.seconds_of_day("25:00:00") is None


def test_a_record_open_across_a_hand_over_to_the_spill_keeps_its_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apple, "FLUSH", 1)
    monkeypatch.setattr(apple, "CHUNK", 64)  # the record's start and its zone arrive in different pieces
    body = "".join(
        workout(f"2024-06-0{day} 01:00:00 +0200", f"2024-06-0{day} 01:30:00 +0200", zone("Asia/Tokyo"))
        for day in range(1, 6)
    )
    every, into, handed = spilled(apple.parse, export(tmp_path, body), tmp_path / "spill")
    into.close()
    assert handed > 0
    assert [offset for _, offset, _ in of_kind(every, Kind.WORKOUT)] == [540] * 5
