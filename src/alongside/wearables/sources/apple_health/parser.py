"""Stream an Apple Health export through expat, in constant memory, with every entity refused.

Safety: the document type declaration is cut out before the parser sees it (real exports carry a DTD whose
iOS 16 form has a malformed ATTLIST that stops strict parsers, and nothing in it is needed); a DTD that
declares any entity is refused outright, so neither billion laughs nor external entities can expand, and
expat is told never to read parameter entities or anything over the network. The cut keeps the line breaks,
so error messages give the file's own line numbers.

Parser choice: ``bench/wearables.py`` measures expat against lxml's target parser and a byte-level scanner
(figures in ``bench/README.md``). Before expat, ``prefilter.py`` replaces self-closing records of types the
import drops (about 70% of a Watch user's) with empty comments, in C, only where that provably changes
neither the samples nor what is refused; its text gives the argument.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from alongside.wearables.inputs import CHUNK, CountedReader, open_export
from alongside.wearables.samples import KIND_CODE, BadInput, Kind, Samples
from alongside.wearables.sources import Parsed
from alongside.wearables.sources.apple_health import children
from alongside.wearables.sources.apple_health.pipeline import Reader, wanted
from alongside.wearables.sources.apple_health.prefilter import Prefilter, dropped_pattern, root_is_empty
from alongside.wearables.spill import FLUSH, Spill

QUANTITIES = {
    "HKQuantityTypeIdentifierStepCount": Kind.STEPS,
    "HKQuantityTypeIdentifierHeartRate": Kind.HEART_RATE,
    "HKQuantityTypeIdentifierRestingHeartRate": Kind.RESTING_HR,
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": Kind.HRV_SDNN,
    "HKQuantityTypeIdentifierAppleExerciseTime": Kind.EXERCISE_MIN,
}
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
# Both forms: the named values (iOS 16 added core, deep, REM and "unspecified") and the old numeric ones.
SLEEP_VALUES = {
    "HKCategoryValueSleepAnalysisInBed": Kind.SLEEP_IN_BED,
    "HKCategoryValueSleepAnalysisAsleep": Kind.SLEEP_ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepUnspecified": Kind.SLEEP_ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepCore": Kind.SLEEP_CORE,
    "HKCategoryValueSleepAnalysisAsleepDeep": Kind.SLEEP_DEEP,
    "HKCategoryValueSleepAnalysisAsleepREM": Kind.SLEEP_REM,
    "HKCategoryValueSleepAnalysisAwake": Kind.SLEEP_AWAKE,
    "0": Kind.SLEEP_IN_BED,
    "1": Kind.SLEEP_ASLEEP,
    "2": Kind.SLEEP_AWAKE,
    "3": Kind.SLEEP_CORE,
    "4": Kind.SLEEP_DEEP,
    "5": Kind.SLEEP_REM,
}
# Self-closing records of any other type are taken out before expat sees them (see prefilter.py).
KEPT = [*QUANTITIES, SLEEP_TYPE]
DROPPED = dropped_pattern(KEPT)
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()
_HEAD_LIMIT = 4 << 20


def sniff(head: bytes) -> bool:
    """Whether the first bytes look like an Apple Health export."""
    return b"<HealthData" in head or b"<!DOCTYPE HealthData" in head


class _Dates:
    """Parse ``2016-01-01 10:03:45 +0100`` into (UTC epoch seconds, offset minutes).

    The date, hour and offset of a stamp are looked up in a cache (an export's records fall in a few
    thousand distinct hours a year; the cache is emptied when it holds :data:`_HOURS_KEPT`, so it stays
    small at any file size); the minutes and seconds are added to what it gives.
    """

    def __init__(self) -> None:
        self.hours: dict[str, tuple[int, int]] = {}

    def __call__(self, text: str) -> tuple[int, int]:
        if len(text) != 25:
            raise ValueError(text)
        key = text[:13] + text[19:]
        found = self.hours.get(key)
        if found is None:
            found = self.hours[key] = self._hour(text)
            if len(self.hours) > _HOURS_KEPT:
                self.hours = {key: found}
        seconds = _MINUTE_SECOND.get(text[14:19])
        if seconds is None:  # not two digits each: as before, whatever int() reads
            seconds = int(text[14:16]) * 60 + int(text[17:19])
        return found[0] + seconds, found[1]

    @staticmethod
    def _hour(text: str) -> tuple[int, int]:
        if text[20] not in "+-":
            raise ValueError(text)
        day = (dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal() - _UNIX_ORDINAL) * 86_400
        offset = int(text[21:23]) * 60 + int(text[23:25])
        if text[20] == "-":
            offset = -offset
        return day + int(text[11:13]) * 3600 - offset * 60, offset


_HOURS_KEPT = 8192
# "MM:SS" to seconds past the hour, for every pair of two digits (one look-up instead of two int() calls).
_MINUTE_SECOND = {f"{minute:02d}:{second:02d}": minute * 60 + second for minute in range(100) for second in range(100)}


def strip_dtd(head: bytes, label: str) -> bytes:
    """Cut the document type declaration out of ``head`` (keeping its line breaks); refuse one with entities."""
    start = head.find(b"<!DOCTYPE")
    root = head.find(b"<HealthData")
    if start < 0 or 0 <= root < start:
        return head
    close = head.find(b"]>", start)
    end = close + 2 if close >= 0 else head.find(b">", start) + 1
    if end <= 0:
        raise BadInput(label, "the document type declaration never ends.", line=head[:start].count(b"\n") + 1)
    dtd = head[start:end]
    entity = dtd.find(b"<!ENTITY")
    if entity >= 0:
        line = head[:start].count(b"\n") + dtd[:entity].count(b"\n") + 1
        raise BadInput(label, "the file declares XML entities; they are refused (never expanded).", line=line)
    if b"SYSTEM" in dtd[: dtd.find(b"[")] if b"[" in dtd else b"SYSTEM" in dtd:
        raise BadInput(label, "the file points to an external document type; it is refused (never fetched).")
    return head[:start] + b"\n" * dtd.count(b"\n") + head[end:]


def _read_head(stream: IO[bytes] | CountedReader, label: str) -> bytes:
    head = b""
    while b"<HealthData" not in head:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        head += chunk
        if len(head) > _HEAD_LIMIT:
            raise BadInput(label, "no <HealthData> element in the first 4 MB; this is not an Apple Health export.")
    return strip_dtd(head, label)


class _Handler:
    """The expat callbacks: turn elements into samples, refuse implausible ones with their line."""

    def __init__(self, parser: Any, label: str) -> None:
        self.parser, self.label = parser, label
        self.samples = Samples()
        self.records = 0
        self.dates = _Dates()
        self.root_seen = False
        self.root_open = False  # the root seen and not empty: the pre-filter may start
        self.open: int | None = None  # the index of the kept record or workout whose children come now
        self.depth = 0  # elements open inside it (or, with none open, around)
        self.beats: list[str] = []  # the open record's beat times

    def refuse(self, problem: str) -> None:
        raise BadInput(self.label, problem, line=self.parser.CurrentLineNumber)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not self.root_seen:
            if name != "HealthData":
                self.refuse(f"the file's root element is <{name}>, not <HealthData>; not an Apple Health export.")
            self.root_seen = True
            context = getattr(self.parser, "GetInputContext", lambda: None)()  # from the root's "<" on
            self.root_open = context is not None and not root_is_empty(context)
            self.parser.StartElementHandler = self.inside  # the root is checked once, not at every element
        self.inside(name, attrs)

    def inside(self, name: str, attrs: dict[str, str]) -> None:
        if name == "Record":  # about 99% of an export's elements: the common case first, in one call
            self.records += 1
            kind_name = attrs.get("type", "")
            kind = QUANTITIES.get(kind_name)
            if kind is not None:
                self.keep(kind, attrs, self.number(attrs.get("value")))
            elif kind_name == SLEEP_TYPE and (stage := SLEEP_VALUES.get(attrs.get("value", ""))) is not None:
                self.keep(stage, attrs, 1.0)
            else:
                self.depth += 1  # a dropped record nests like any element: its end takes it off again
        elif name == "Workout":
            self.records += 1
            self.workout(attrs)
        else:
            self.depth += 1
            if name == "ActivitySummary":
                self.records += 1
                self.summary(attrs)
            elif self.open is not None:
                self.child(name, attrs)

    def end(self, _name: str) -> None:
        """An end tag: a child of the open record, or the end of that record (its beats are read then)."""
        if self.depth:
            self.depth -= 1
        elif self.open is not None:
            if self.beats:
                self.beats_rmssd()
            self.open = None

    def child(self, name: str, attrs: dict[str, str]) -> None:
        """An element inside the open record: its time zone (a direct child), or a beat of its list."""
        if name == "MetadataEntry" and self.depth == 1 and attrs.get("key") == children.ZONE_KEY:
            offset = children.zone_offset(attrs.get("value", ""), self.samples.start[self.open])  # type: ignore[index]
            if offset is not None:
                self.samples.offset[self.open] = offset  # type: ignore[index]
        elif name == "InstantaneousBeatsPerMinute" and self.depth == 2:
            self.beats.append(attrs.get("time", ""))

    def beats_rmssd(self) -> None:
        """Keep the RMSSD of the open record's beats, if they give one, over the record's own interval."""
        at, samples = self.open, self.samples
        assert at is not None
        value = children.beats_rmssd(self.beats)
        self.beats = []
        if value is not None and samples.kind[at] == KIND_CODE[Kind.HRV_SDNN] and 1 <= value <= 500:
            samples.add(
                Kind.HRV_RMSSD, samples.start[at], samples.end[at], samples.offset[at], value, samples.source[at]
            )

    def interval(self, attrs: dict[str, str]) -> tuple[int, int, int]:
        try:
            begins, ends = attrs["startDate"], attrs["endDate"]
            start, offset = self.dates(begins)
            end = start if ends == begins else self.dates(ends)[0]  # a moment (heart rate): one parse
        except (KeyError, ValueError, IndexError):
            self.refuse("a record without a readable startDate or endDate (expected 2016-01-01 10:03:45 +0100).")
            raise AssertionError from None  # refuse() always raises
        return start, end, offset

    def keep(self, kind: Kind, attrs: dict[str, str], value: float) -> None:
        """Add the record's sample; it is the open record until its end tag (children may change its offset)."""
        start, end, offset = self.interval(attrs)
        source = self.samples.source_code(attrs.get("sourceName", ""))
        problem = self.samples.add(kind, start, end, offset, value, source)
        if problem:
            self.refuse(f"{problem}; nothing was imported.")
        self.open, self.depth = len(self.samples.kind) - 1, 0

    def number(self, text: str | None) -> float:
        try:
            return float(text or "")
        except ValueError:
            self.refuse(f"a value that is not a number ({(text or '')[:20]!r}).")
            raise AssertionError from None

    def workout(self, attrs: dict[str, str]) -> None:
        start, end, _ = self.interval(attrs)
        minutes = (end - start) / 60
        if attrs.get("duration") and attrs.get("durationUnit", "min") == "min":
            minutes = self.number(attrs["duration"])
        self.keep(Kind.WORKOUT, attrs, minutes)

    def summary(self, attrs: dict[str, str]) -> None:
        when = attrs.get("dateComponents", "")
        if "appleExerciseTime" not in attrs or len(when) != 10:
            return
        try:
            start = (dt.date.fromisoformat(when).toordinal() - _UNIX_ORDINAL) * 86_400
        except ValueError:
            self.refuse(f"an activity summary with an unreadable date {when[:20]!r}.")
        problem = self.samples.add(
            Kind.SUMMARY_EXERCISE_MIN, start, start, 0, self.number(attrs["appleExerciseTime"]), -1
        )
        if problem:
            self.refuse(f"{problem}; nothing was imported.")


def _expat_failure(error: expat.ExpatError, label: str, final: bool) -> BadInput:
    reason = expat.ErrorString(error.code) if error.code else str(error)
    if final or reason in ("no element found", "unclosed token"):
        return BadInput(label, "the XML ends early: the file is truncated or incomplete.", line=error.lineno)
    if reason == "undefined entity":
        return BadInput(label, "the file uses an XML entity; entities are refused.", line=error.lineno)
    return BadInput(label, f"the XML is not well-formed ({reason}, column {error.offset}).", line=error.lineno)


class _Feed:
    """Feed expat, and hand the samples to the spill every :data:`~alongside.wearables.spill.FLUSH` or so."""

    def __init__(self, parser: Any, handler: _Handler, spill: Spill | None) -> None:
        self.parser, self.handler, self.spill = parser, handler, spill

    def __call__(self, data: bytes) -> None:
        self.parser.Parse(data, False)
        if self.spill is not None and len(self.handler.samples.kind) >= FLUSH and self.handler.open is None:
            self.spill.take(self.handler.samples)


def _expat(label: str) -> tuple[Any, _Handler]:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    handler = _Handler(parser, label)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end

    def no_entities(*_args: object) -> None:
        handler.refuse("the file declares XML entities; they are refused (never expanded).")

    parser.EntityDeclHandler = no_entities
    return parser, handler


def parse_stream(
    stream: IO[bytes] | CountedReader,
    label: str,
    spill: Spill | None = None,
    *,
    prefilter: bool = True,
    pipeline: bool = True,
) -> Parsed:
    """Parse an export already opened; raise :class:`BadInput` naming ``label`` and the line.

    With ``spill``, the samples are handed to it every :data:`~alongside.wearables.spill.FLUSH` or so as
    they are read, so memory does not grow with the file; the returned samples are only the last few.
    ``prefilter=False`` feeds expat every byte (the tests compare both ways); ``pipeline=False`` keeps the
    pre-filter in this process for a large file too (see ``pipeline.py``).
    """
    parser, handler = _expat(label)
    feed = _Feed(parser, handler, spill)
    chunk = _read_head(stream, label)
    cutter = Prefilter(chunk, DROPPED) if prefilter else None
    reader = Reader(stream, KEPT) if cutter is not None and pipeline and wanted(stream) else None  # type: ignore[arg-type]
    final = False
    try:
        with reader or contextlib.nullcontext():
            while chunk:
                feed(chunk if cutter is None else cutter.pieces(chunk, handler.root_open))
                if reader is not None and cutter is not None and handler.root_open:
                    for piece in reader.pieces(cutter):  # the rest of the file, filtered by the child
                        feed(piece)
                    break
                chunk = stream.read(CHUNK)
            if cutter is not None:
                parser.Parse(cutter.rest(), False)
        final = True
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _expat_failure(error, label, final) from None
    if cutter is not None:
        handler.records += cutter.removed
    if not handler.root_seen:
        raise BadInput(label, "no <HealthData> element; not an Apple Health export.")
    return Parsed(samples=handler.samples, records=handler.records)


def parse(path: Path, spill: Spill | None = None, *, prefilter: bool = True, pipeline: bool = True) -> Parsed:
    """Parse ``export.xml`` or ``export.zip`` at ``path`` (``spill``, ``prefilter``, ``pipeline``: :func:`parse_stream`)."""
    with open_export(path, is_wanted=sniff) as (label, stream):
        return parse_stream(stream, label, spill, prefilter=prefilter, pipeline=pipeline)
