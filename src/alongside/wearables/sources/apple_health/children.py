"""What the Apple importer reads inside a kept record: its time zone, and the beats of a variability record.

- ``<MetadataEntry key="HKTimeZone" value="Europe/Madrid"/>`` (the key ``HKMetadataKeyTimeZone`` names in
  HealthKit, written ``HKTimeZone`` in exports; Apple Developer documentation, "HKMetadataKeyTimeZone", checked
  2026-12-07) gives the IANA zone the record was made in. An export writes every date with the phone's offset at
  export time, so a workout from a trip, or from the other side of a DST change, carries an offset that was not
  the wall clock's when it happened (the dogsheep fixture: a Los Angeles run on 14 November 2016, written -0700
  in a summer export, was at -0800). With the zone, the sample's offset is the zone's at the sample's start; an
  unknown zone name is ignored (the written offset stays), not refused.
- ``<HeartRateVariabilityMetadataList>`` holds ``<InstantaneousBeatsPerMinute bpm="61" time="23:10:01,52"/>``,
  one per beat: the time of day of the beat, in the phone's locale (a decimal comma or point, 24-hour or with
  AM/PM). Successive times give the beat-to-beat intervals, and their RMSSD (``alongside.wearables.hrv``) is
  kept as an RMSSD sample over the record's interval, beside Apple's own SDNN, which stays SDNN. A list whose
  times cannot be read gives nothing (the record's SDNN is still kept).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alongside.wearables import hrv

ZONE_KEY = "HKTimeZone"
_MAX_BEATS = 20_000  # beats kept for one record (Apple's lists hold about a minute of them)
_TIME = re.compile(r"\s*(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?\s*([AaPp]\.?\s?[Mm]\.?)?\s*\Z")
_zones: dict[str, ZoneInfo | None] = {}


def zone_offset(name: str, start: int) -> int | None:
    """Minutes east of UTC in the zone ``name`` at ``start`` (UTC epoch seconds), or None for an unknown zone."""
    if name not in _zones:
        try:
            _zones[name] = ZoneInfo(name.strip()) if name.strip() and len(_zones) < 1000 else None
        except (ZoneInfoNotFoundError, ValueError):
            _zones[name] = None
    zone = _zones[name]
    if zone is None:
        return None
    moment = dt.datetime.fromtimestamp(start, zone)
    return int((moment.utcoffset() or dt.timedelta()).total_seconds() // 60)


def seconds_of_day(text: str) -> float | None:
    """``23:10:01,52`` (or ``11:10:01.52 PM``) as seconds after midnight, or None."""
    found = _TIME.match(text)
    if found is None:
        return None
    hour, minute, second = int(found[1]), int(found[2]), int(found[3])
    if found[5]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found[5][0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 60:
        return None
    fraction = float("0." + found[4]) if found[4] else 0.0
    return hour * 3600 + minute * 60 + second + fraction


def beats_rmssd(times: list[str]) -> float | None:
    """RMSSD (ms) of the beats at ``times`` (times of day, in order, crossing midnight at most once), or None."""
    seconds = [seconds_of_day(text) for text in times[:_MAX_BEATS]]
    if any(value is None for value in seconds):
        return None
    intervals = []
    for before, after in itertools.pairwise(seconds):
        gap = after - before  # type: ignore[operator]
        intervals.append(gap + 86_400 if gap < -43_200 else gap)  # a beat after midnight
    return hrv.rmssd(intervals)
