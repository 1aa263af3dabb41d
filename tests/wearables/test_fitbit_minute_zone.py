"""Fitbit per-minute times: read as UTC by default, or as the profile zone's wall clock; a minute near local
midnight is the case that tells the two readings apart.

No vendor document states the zone of the archive's per-minute JSON files (see the parser's notes, checked
2026-12-07), so both readings are pinned here and the default is explicit.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from alongside.wearables.samples import BadInput, Kind
from alongside.wearables.sources.fitbit import parser
from tests.wearables.conftest import once
from tests.wearables.test_more_sources import archive

pytestmark = once

PROFILE = "id,full_name,timezone\nABC,Sam,America/New_York\n"
# 04:30 written in the file: 23:30 on 9 March in New York if it is UTC, 04:30 on 10 March if it is local.
STEPS = [{"dateTime": "03/10/24 04:30:00", "value": "120"}]


def _steps_start(tmp_path, **options) -> tuple[dt.datetime, int]:
    path = archive(tmp_path / "fitbit.zip", {"Profile.csv": PROFILE, "steps-2024-03-10.json": json.dumps(STEPS)})
    samples = parser.parse(path, **options).samples
    assert list(samples.kind) == [list(Kind).index(Kind.STEPS)]
    offset = samples.offset[0]
    local = dt.datetime.fromtimestamp(samples.start[0], dt.timezone(dt.timedelta(minutes=offset)))
    return local, offset


def test_per_minute_times_are_utc_by_default(tmp_path):
    """By default 04:30 is UTC: 23:30 EST on 9 March, so the steps count for the 9th."""
    assert parser.MINUTE_ZONE == "utc"
    local, offset = _steps_start(tmp_path)
    assert (local.date(), local.hour, local.minute, offset) == (dt.date(2024, 3, 9), 23, 30, -300)


def test_per_minute_times_can_be_read_as_the_profiles_wall_clock(tmp_path):
    """Read as the profile's wall clock, 04:30 stays 04:30 on 10 March (EDT, after the 02:00 change): another day."""
    local, offset = _steps_start(tmp_path, minute_zone="profile")
    assert (local.date(), local.hour, local.minute, offset) == (dt.date(2024, 3, 10), 4, 30, -240)


def test_an_unknown_reading_is_refused(tmp_path):
    """Only the two readings exist."""
    with pytest.raises(BadInput, match="per-minute"):
        parser.parse(tmp_path / "any.zip", minute_zone="device")
