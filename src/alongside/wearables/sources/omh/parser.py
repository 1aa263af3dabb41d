"""Read Open mHealth data points: heart-rate, step-count, sleep-episode and physical-activity.

Each point is ``{"header": {"schema_id": {"name": ...}}, "body": {...}}`` (or ``{"schema": name, "body": ...}``)
and its body is validated by a pydantic model before anything is kept. Points that are summaries
(``descriptive_statistic``: an average, a maximum) are not samples and are skipped; schemas Alongside does
not use yet (sleep-duration, rr-interval) are skipped too. Times must carry their offset.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeGuard

import ijson  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from alongside.wearables.inputs import check_size
from alongside.wearables.samples import BadInput, Kind, Samples
from alongside.wearables.sources import Parsed
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
        if self.date_time is not None:
            start = end = self.date_time
        elif self.time_interval is not None and self.time_interval.start_date_time is not None:
            start = self.time_interval.start_date_time
            given, length = self.time_interval.end_date_time, self.time_interval.duration
            if given is not None:
                end = given
            elif length is not None and length.unit in _SECONDS:
                end = start + dt.timedelta(seconds=length.value * _SECONDS[length.unit])
            else:
                raise ValueError("a time interval needs an end or a duration in sec, min, h or d")
        else:
            raise ValueError("an effective_time_frame needs a date_time or a time_interval with a start")
        if start.utcoffset() is None or end.utcoffset() is None:
            raise ValueError("times must carry their UTC offset")
        return start, end


class Body(BaseModel):
    model_config = ConfigDict(extra="allow")
    effective_time_frame: TimeFrame
    descriptive_statistic: str | None = None


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


SCHEMAS: dict[str, type[Body]] = {
    "step-count": StepCount,
    "heart-rate": HeartRate,
    "sleep-episode": SleepEpisode,
    "physical-activity": PhysicalActivity,
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
            start, end = body.effective_time_frame.bounds()
        except (ValidationError, ValueError) as error:
            detail = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            raise BadInput(label, f"data point {number} ({name}) is not valid: {detail}.") from None
        if body.descriptive_statistic:
            continue
        kind, value = _sample(body)
        offset = int((start.utcoffset() or dt.timedelta()).total_seconds() // 60)
        problem = samples.add(kind, int(start.timestamp()), int(end.timestamp()), offset, value, code)
        if problem:
            raise BadInput(label, f"data point {number} ({name}) has {problem}.")
    return Parsed(samples=samples, records=number)


def sniff(head: bytes) -> bool:
    text = head.lstrip()
    return text[:1] in (b"[", b"{") and (b"effective_time_frame" in head or b"schema_id" in head)


def parse(path: Path, spill: Spill | None = None) -> Parsed:
    """Parse a JSON file holding one data point or a list of them.

    A list is read one point at a time (``ijson``), so with ``spill`` memory does not grow with the file. A
    file that turns out not to be JSON part-way is refused whole with the message and line the whole-file
    reading gave: that line is found by reading the file again with ``json`` (only on that refusal).
    """
    check_size(path)
    label, source = path.name, f"Open mHealth ({path.name})"
    with path.open("rb") as stream:
        head = stream.read(_HEAD).lstrip()
        if not head.startswith(b"["):
            return _parse_whole(path, spill)
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


def _parse_whole(path: Path, spill: Spill | None) -> Parsed:
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise BadInput(path.name, "this is not a JSON file of Open mHealth data points.", line=line) from None
    points = data if isinstance(data, list) else [data]
    return parse_points(points, path.name, source=f"Open mHealth ({path.name})", spill=spill)
