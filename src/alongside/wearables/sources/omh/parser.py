"""Read Open mHealth data points: heart-rate, step-count, sleep-episode, sleep-duration, physical-activity and
rr-interval.

Each point is ``{"header": {"schema_id": {"name": ...}}, "body": {...}}`` (or ``{"schema": name, "body": ...}``)
and its body is validated by a pydantic model before anything is kept. Points that are summaries
(``descriptive_statistic``: an average, a maximum) are not samples and are skipped, as are points of other
schemas. Times must carry their offset. What the schemas require is required here: a point they refuse is
refused, naming it (the schemas' own shouldFail examples are tested).

- ``sleep-duration`` needs a ``time_interval`` (sleep-duration 2.0 requires one; a ``date_time`` alone gives
  no time asleep and is refused, like a point without its time frame). The point becomes asleep time over
  its interval, as a sleep-episode does; when ``sleep_duration`` is shorter than the interval, the rest is
  one awake spell at its start, so the night's total is the duration given and its onset and wake are the
  interval's ends. A duration longer than its interval
  counts as the interval (nobody sleeps longer than the time they were measured over). See
  :mod:`~alongside.wearables.sources.omh.derived`.
- ``rr-interval`` holds one beat-to-beat interval, or a list of them, in ms or s (``rr_interval``:
  ``{"value": 950, "unit": "ms"}``, ``{"value": [0.95, 1.05], "unit": "s"}`` or a list of such objects). Each
  point's intervals become RMSSD (:func:`alongside.wearables.hrv.rmssd`), per point or per 5-minute window;
  a point with too few clean beats (one beat, as the schema's own examples) gives no sample. A point without
  a time frame is valid (the schema does not require one) but can only be placed if it gives no sample.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, TypeGuard

import ijson  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed
from alongside.wearables.sources.omh import derived
from alongside.wearables.sources.reading import open_counted
from alongside.wearables.spill import FLUSH, Spill

_SECONDS = {"sec": 1, "s": 1, "min": 60, "h": 3600, "hr": 3600, "d": 86_400}


class UnitValue(BaseModel):
    value: float
    unit: str


class Interval(BaseModel):
    start_date_time: dt.datetime | None = None
    end_date_time: dt.datetime | None = None
    duration: UnitValue | None = None


class TimeFrame(BaseModel):
    date_time: dt.datetime | None = None
    time_interval: Interval | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Return (start, end), aware; a point in time has start == end."""
        interval = self.time_interval or Interval()
        first, last, length = interval.start_date_time, interval.end_date_time, interval.duration
        if self.date_time is not None:
            start = end = self.date_time
        elif first is not None and last is not None:
            start, end = first, last
        elif first is None and last is None:
            raise ValueError("an effective_time_frame needs a date_time or a time_interval with a start or end")
        elif length is None or length.unit not in _SECONDS:
            raise ValueError("a time interval needs an end or a duration in sec, min, h or d")
        else:
            span = dt.timedelta(seconds=length.value * _SECONDS[length.unit])
            start = first if first is not None else (last or dt.datetime.min) - span  # last is set here
            end = start + span
        if start.utcoffset() is None or end.utcoffset() is None:
            raise ValueError("times must carry their UTC offset")
        return start, end


class Point(BaseModel):
    """What every schema's body may hold."""

    model_config = ConfigDict(extra="allow")
    descriptive_statistic: str | None = None


class Body(Point):
    effective_time_frame: TimeFrame


class StepCount(Body):
    step_count: float | UnitValue

    @field_validator("step_count")
    @classmethod
    def _steps(cls, value: float | UnitValue) -> float | UnitValue:
        if isinstance(value, UnitValue) and value.unit != "steps":
            raise ValueError("step_count's unit must be 'steps'")
        return value


class HeartRate(Body):
    heart_rate: UnitValue

    @field_validator("heart_rate")
    @classmethod
    def _bpm(cls, value: UnitValue) -> UnitValue:
        if value.unit != "beats/min":
            raise ValueError("heart_rate's unit must be 'beats/min'")
        return value


class SleepEpisode(Body):
    pass


class PhysicalActivity(Body):
    activity_name: str


_SLEEP_UNITS = {"sec": 1, "min": 60, "h": 3600}  # the sleep-duration schemas' enum (1.0 and 2.0)


class SleepDuration(Body):
    sleep_duration: UnitValue

    @field_validator("sleep_duration")
    @classmethod
    def _unit(cls, value: UnitValue) -> UnitValue:
        if value.unit not in _SLEEP_UNITS:
            raise ValueError(f"sleep_duration's unit must be 'sec', 'min' or 'h' (not {value.unit[:20]!r})")
        if value.value < 0:
            raise ValueError("sleep_duration cannot be negative")
        return value

    @field_validator("effective_time_frame")
    @classmethod
    def _interval(cls, value: TimeFrame) -> TimeFrame:
        if value.time_interval is None:
            raise ValueError("a sleep-duration needs a time_interval (a date_time alone gives no time asleep)")
        return value

    def seconds(self) -> float:
        return self.sleep_duration.value * _SLEEP_UNITS[self.sleep_duration.unit]


_RR_UNITS = {"ms": 0.001, "s": 1.0}  # into seconds


class Beats(BaseModel):
    value: float | list[float]
    unit: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value not in _RR_UNITS:
            raise ValueError(f"rr_interval's unit must be 'ms' or 's' (not {value[:20]!r})")
        return value

    def seconds(self) -> list[float]:
        values = self.value if isinstance(self.value, list) else [self.value]
        return [value * _RR_UNITS[self.unit] for value in values]


class RrInterval(Point):
    effective_time_frame: TimeFrame | None = None  # the schema does not require one
    rr_interval: Beats | list[Beats]

    @field_validator("rr_interval")
    @classmethod
    def _length(cls, value: Beats | list[Beats]) -> Beats | list[Beats]:
        parts = value if isinstance(value, list) else [value]
        count = sum(len(part.value) if isinstance(part.value, list) else 1 for part in parts)
        if count > derived.MAX_BEATS:
            raise ValueError(f"over {derived.MAX_BEATS:,} beat-to-beat intervals; no recording is that long")
        return value

    def seconds(self) -> list[float]:
        """The point's beat-to-beat intervals, in seconds, in their order."""
        parts = self.rr_interval if isinstance(self.rr_interval, list) else [self.rr_interval]
        return [interval for part in parts for interval in part.seconds()]


SCHEMAS: dict[str, type[Point]] = {
    "step-count": StepCount,
    "heart-rate": HeartRate,
    "sleep-episode": SleepEpisode,
    "sleep-duration": SleepDuration,
    "physical-activity": PhysicalActivity,
    "rr-interval": RrInterval,
}


def _schema_name(point: Any) -> str:
    if not isinstance(point, dict):
        return ""
    header = point.get("header")
    if isinstance(header, dict) and isinstance(header.get("schema_id"), dict):
        return str(header["schema_id"].get("name", ""))
    return str(point.get("schema", ""))


def _sample(body: Body) -> tuple[Kind, float]:
    if isinstance(body, StepCount):
        count = body.step_count
        return Kind.STEPS, count.value if isinstance(count, UnitValue) else count
    if isinstance(body, HeartRate):
        return Kind.HEART_RATE, body.heart_rate.value
    if isinstance(body, SleepEpisode):
        return Kind.SLEEP_ASLEEP, 1.0
    start, end = body.effective_time_frame.bounds()
    return Kind.WORKOUT, (end - start).total_seconds() / 60


def _moment(text: object) -> dt.datetime | None:
    """An RFC 3339 date-time with its offset (``2025-03-01T10:00:00+01:00``, ``...Z``), else None."""
    if type(text) is not str or len(text) < 20 or text[4] != "-" or text[10] not in "Tt ":
        return None
    return _read_moment(text)


@functools.lru_cache(maxsize=8192)  # a batch's intervals mostly end where the next begins: each text read once
def _read_moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _plain_number(value: object) -> TypeGuard[int | float]:
    return type(value) is int or type(value) is float


def _quick(name: str, point: dict[str, Any]) -> tuple[Kind, dt.datetime, dt.datetime, float] | None:
    """Read the common shapes of step-count and heart-rate points with explicit checks, without pydantic.

    Return None for anything else (another schema, a summary, an odd shape, any doubt): the point then goes
    through the pydantic models, which give the error message. Whatever this accepts, they accept too.
    """
    body = point.get("body")
    if type(body) is not dict or "descriptive_statistic" in body:
        return None
    frame = body.get("effective_time_frame")
    if type(frame) is not dict:
        return None
    if name == "step-count":
        interval = frame.get("time_interval")
        if len(frame) != 1 or type(interval) is not dict or len(interval) != 2:
            return None
        start, end = _moment(interval.get("start_date_time")), _moment(interval.get("end_date_time"))
        count = body.get("step_count")
        if type(count) is dict and len(count) == 2 and count.get("unit") == "steps":
            count = count.get("value")
        if start is None or end is None or not _plain_number(count):
            return None
        return Kind.STEPS, start, end, float(count)
    if name == "heart-rate":
        at = _moment(frame.get("date_time")) if len(frame) == 1 else None
        rate = body.get("heart_rate")
        if at is None or type(rate) is not dict or len(rate) != 2 or rate.get("unit") != "beats/min":
            return None
        value = rate.get("value")
        return (Kind.HEART_RATE, at, at, float(value)) if _plain_number(value) else None
    return None


def parse_points(
    points: Iterable[Any], label: str, *, source: str = "Open mHealth", spill: Spill | None = None
) -> Parsed:
    """Validate and convert data points; refuse the whole batch, naming the point, at the first bad one.

    The usual step-count and heart-rate shapes are read with explicit checks (a pushed batch of 5,000 must
    take well under 200 ms); every other point, and any point in doubt, is validated by its pydantic model.
    With ``spill``, the samples are handed to it every :data:`~alongside.wearables.spill.FLUSH` samples.
    """
    samples = Samples()
    code = samples.source_code(source)
    number = 0
    for number, point in enumerate(points, start=1):
        if spill is not None and len(samples) >= FLUSH:
            spill.take(samples)
        name = _schema_name(point)
        model = SCHEMAS.get(name)
        if model is None:
            continue
        quick = _quick(name, point)
        if quick is not None:
            kind, begins, ends, amount = quick
            offset = int((begins.utcoffset() or dt.timedelta()).total_seconds() // 60)
            problem = samples.add(kind, int(begins.timestamp()), int(ends.timestamp()), offset, amount, code)
            if problem:
                raise BadInput(label, f"data point {number} ({name}) has {problem}.")
            continue
        try:
            body = model.model_validate(point.get("body"))
            frame = body.effective_time_frame if isinstance(body, Body | RrInterval) else None
            start, end = frame.bounds() if frame is not None else (None, None)
        except (ValidationError, ValueError) as error:
            detail = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            raise BadInput(label, f"data point {number} ({name}) is not valid: {detail}.") from None
        if body.descriptive_statistic:
            continue
        for kind, begins, ends, value in _samples(body, start, end, f"data point {number} ({name})", label):
            offset = int((begins.utcoffset() or dt.timedelta()).total_seconds() // 60)
            problem = samples.add(kind, int(begins.timestamp()), int(ends.timestamp()), offset, value, code)
            if problem:
                raise BadInput(label, f"data point {number} ({name}) has {problem}.")
    return Parsed(samples=samples, records=number)


def _samples(
    body: Point, start: dt.datetime | None, end: dt.datetime | None, where: str, label: str
) -> list[tuple[Kind, dt.datetime, dt.datetime, float]]:
    """The samples one validated point gives: (kind, start, end, value)."""
    if isinstance(body, RrInterval):
        windows = derived.rr_windows(body.seconds())
        if not windows:
            return []
        if start is None or end is None:
            raise BadInput(label, f"{where} has beat-to-beat intervals but no effective_time_frame to place them.")
        if len(windows) == 1 and end != start:  # one window: the point's own time interval (checked as any)
            return [(Kind.HRV_RMSSD, start, end, windows[0][2])]
        return [
            (Kind.HRV_RMSSD, start + dt.timedelta(seconds=begins), start + dt.timedelta(seconds=ends), value)
            for begins, ends, value in windows
        ]
    if not isinstance(body, Body) or start is None or end is None:
        return []
    if isinstance(body, SleepDuration):
        return derived.sleep_spans(start, end, body.seconds())
    kind, value = _sample(body)
    return [(kind, start, end, value)]


def sniff(head: bytes) -> bool:
    text = head.lstrip()
    return text[:1] in (b"[", b"{") and (b"effective_time_frame" in head or b"schema_id" in head)


def parse(path: Path, spill: Spill | None = None) -> Parsed:
    """Parse a JSON file holding one data point or a list of them.

    A list is read one point at a time (``ijson``), so with ``spill`` memory does not grow with the file. A
    file that turns out not to be JSON part-way is refused whole with the message and line the whole-file
    reading gave: that line is found by reading the file again with ``json`` (only on that refusal). The first
    reading reports its progress (:mod:`~alongside.wearables.sources.reading`); a second one for a refusal does not.
    """
    check_size(path)
    label, source = path.name, f"Open mHealth ({path.name})"
    with open_counted(path) as stream:  # reports the bytes read (the import's live progress)
        head = stream.read(_HEAD).lstrip()
        if not head.startswith(b"["):
            stream.seek(0)
            return _parse_whole(path, spill, stream)
        stream.seek(0)
        try:
            return parse_points(ijson.items(stream, "item", use_float=True), label, source=source, spill=spill)
        except BadInput:
            if _is_json(path):  # else the whole-file reading's message comes first, as it did
                raise
        except (ijson.JSONError, UnicodeDecodeError):
            pass
    _parse_whole(path, None)  # raises the message and line of the whole-file reading
    raise BadInput(label, "this is not a JSON file of Open mHealth data points.")  # NaN or Infinity


_HEAD = 64


def _is_json(path: Path) -> bool:
    """Whether the whole file is JSON (read as events, without building the points)."""
    with path.open("rb") as stream:
        try:
            for _ in ijson.basic_parse(stream, use_float=True):
                pass
        except (ijson.JSONError, UnicodeDecodeError):
            return False
    return True


def _parse_whole(path: Path, spill: Spill | None, stream: IO[bytes] | None = None) -> Parsed:
    """Read the file whole, from ``stream`` when given (its reading reports progress), else from disk again."""
    try:
        data = json.loads(stream.read() if stream is not None else path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise BadInput(path.name, "this is not a JSON file of Open mHealth data points.", line=line) from None
    points = data if isinstance(data, list) else [data]
    return parse_points(points, path.name, source=f"Open mHealth ({path.name})", spill=spill)
