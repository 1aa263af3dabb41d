"""Heart-rate variability from beat-to-beat intervals: the rules every source that gives beats shares.

RMSSD is the square root of the mean of the squared differences of successive normal-to-normal intervals (Task
Force of the European Society of Cardiology and the North American Society of Pacing and Electrophysiology,
"Heart rate variability: standards of measurement, physiological interpretation and clinical use", Circulation
1996;93:1043-1065; checked 2026-12-07). Intervals outside :data:`BEAT_RANGE` are artefacts (30-200 beats a
minute): they pair with neither neighbour. A recording needs :data:`MIN_DIFFERENCES` clean successive
differences before its RMSSD is kept. RMSSD stays RMSSD: nothing here turns it into SDNN or back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

BEAT_RANGE = (0.3, 2.0)  # seconds between beats: 30-200 beats a minute; anything else is an artefact
MIN_DIFFERENCES = 30  # clean successive differences a recording needs before its RMSSD is kept


def rmssd(intervals: Iterable[float]) -> float | None:
    """RMSSD in ms of successive beat-to-beat ``intervals`` (seconds), or None with too few clean differences."""
    previous: float | None = None
    squares, differences = 0.0, 0
    for interval in intervals:
        if not BEAT_RANGE[0] <= interval <= BEAT_RANGE[1]:
            previous = None
            continue
        ms = interval * 1000
        if previous is not None:
            squares += (ms - previous) ** 2
            differences += 1
        previous = ms
    if differences < MIN_DIFFERENCES:
        return None
    return round(math.sqrt(squares / differences), 1)
