"""Samples that Open mHealth points give only after a little arithmetic: sleep-duration and rr-interval.

A sleep-duration point says how long someone slept within a time interval, not when. It becomes asleep time
over the whole interval (as a sleep-episode does), and when the duration is shorter than the interval, the
time left over becomes one awake spell at the interval's start: the night's total sleep is the duration given,
its onset and wake time are the interval's ends (sleep features take them from the asleep time), and only the
awake spell's place is made up. It starts with the interval so that both samples always fall on the same night
(a night is chosen by a sample's start; a spell in the middle of an interval starting before 18:00 could fall
on the next one). Sleep features merge asleep time across samples and remove awake spells from it, so a
sleep-duration and a sleep-episode of the same night overlap instead of adding up: the night counts once, at
the duration given.

An rr-interval point's beats are placed one after another from its start and cut into windows of
:data:`WINDOW` seconds the way Garmin FIT beats are (``sources/fit/parser.py``): a beat that would take a
window past 5 minutes starts the next one, and the difference across the cut counts in the new window. Each
window with :data:`~alongside.wearables.hrv.MIN_DIFFERENCES` clean differences gives one RMSSD
(:func:`alongside.wearables.hrv.rmssd`, which holds the rules and their source); the rest give nothing.
"""

from __future__ import annotations

import datetime as dt

from alongside.wearables.hrv import rmssd
from alongside.wearables.samples import Kind

WINDOW = 300  # seconds of beats per RMSSD value, as for FIT files
MAX_BEATS = 1_000_000  # intervals in one point: about four days at 180 a minute, as a FIT file's limit


def sleep_spans(
    start: dt.datetime, end: dt.datetime, asleep_seconds: float
) -> list[tuple[Kind, dt.datetime, dt.datetime, float]]:
    """Asleep over [start, end], and the time not asleep as one awake spell from ``start``."""
    frame = (end - start).total_seconds()
    spans = [(Kind.SLEEP_ASLEEP, start, end, 1.0)]
    awake = frame - min(max(asleep_seconds, 0.0), frame)
    if awake > 0:
        spans.append((Kind.SLEEP_AWAKE, start, start + dt.timedelta(seconds=awake), 1.0))
    return spans


def rr_windows(intervals: list[float]) -> list[tuple[float, float, float]]:
    """(start, end, RMSSD in ms) of each window with enough clean beats; times in seconds from the first beat."""
    found: list[tuple[float, float, float]] = []
    clock = window_start = 0.0
    beats: list[float] = []
    for interval in intervals:
        if beats and clock + interval - window_start >= WINDOW:
            _close(found, window_start, clock, beats)
            window_start, beats = clock, [beats[-1]]  # the last beat pairs with the next, as in a FIT file
        clock += interval
        beats.append(interval)
    if beats:
        _close(found, window_start, clock, beats)
    return found


def _close(found: list[tuple[float, float, float]], start: float, end: float, beats: list[float]) -> None:
    value = rmssd(beats)
    if value is not None:
        found.append((start, end, value))
