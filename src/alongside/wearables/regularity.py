"""The sleep regularity index (SRI): how alike each day's sleep/wake pattern is to the next day's.

Definition (Phillips AJK, Clerx WM, O'Brien CS, et al. "Irregular sleep/wake patterns are associated with
poorer academic performance and delayed circadian and sleep/wake timing." Scientific Reports 2017;7:3216,
doi:10.1038/s41598-017-03171-4, Methods; checked 2026-12-06): with s(i, j) = 1 when asleep and 0 when awake
at epoch j of day i, M epochs a day and N days,

    SRI = -100 + 200 / (M (N - 1)) * sum over j, i < N of [s(i, j) == s(i + 1, j)]

so 100 is the same pattern every day, 0 a random one and -100 an alternating one. Here the epoch is one
minute, a day runs from noon to noon in the client's local time (a night is whole), only pairs of consecutive
days that both have sleep data are compared, and the index of a day covers the 7 days ending on it, given at
least :data:`MIN_PAIRS` such pairs.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from alongside.wearables.features import DAY, Coverage

WINDOW_DAYS = 7
MIN_PAIRS = 4


def _pattern(asleep: Coverage, awake: Coverage, start: int) -> np.ndarray:
    """Asleep (True) minute by minute over the 24 hours from ``start`` (UTC seconds)."""
    minutes = np.zeros(1440, dtype=bool)
    end = start + DAY
    for cover, value in ((asleep, True), (awake, False)):
        index = bisect_right(cover.ends, start)
        while index < len(cover.starts) and cover.starts[index] < end:
            low = max(0, (cover.starts[index] - start) // 60)
            high = min(1440, -(-(cover.ends[index] - start) // 60))
            minutes[low:high] = value
            index += 1
    return minutes


def regularity(asleep: Coverage, awake: Coverage, nights: dict[int, int]) -> dict[int, float]:
    """Return the SRI of each local day with enough data; ``nights`` maps a night's day to its offset (minutes)."""
    patterns = {day: _pattern(asleep, awake, day * DAY - offset * 60 - DAY // 2) for day, offset in nights.items()}
    same = {day: int(np.count_nonzero(patterns[day] == patterns[day - 1])) for day in patterns if day - 1 in patterns}
    result: dict[int, float] = {}
    for day in patterns:
        pairs = [same[d] for d in range(day - WINDOW_DAYS + 2, day + 1) if d in same]
        if len(pairs) >= MIN_PAIRS:
            result[day] = round(-100 + 200 * sum(pairs) / (1440 * len(pairs)), 1)
    return result
