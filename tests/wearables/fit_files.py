"""Write small Garmin FIT files for the tests, byte by byte, from the published FIT protocol.

Layout (Garmin FIT SDK, "Flexible and Interoperable Data Transfer (FIT) Protocol", sections 3.3.1 file
header, 4.1 record headers, 4.2 definition and data messages, 3.3.2 CRC; checked 2026-12-06): a 14-byte
header (size, protocol version, profile version, data size, ".FIT", header CRC), definition messages
(header 0x40 | local type, reserved, architecture 0 = little-endian, global message number, fields as
number/size/base type) and data messages (header = local type, then the values), then a CRC over all of it.
Message and field numbers are the FIT profile's: file_id 0, session 18, record 20, activity 34,
monitoring 55, monitoring_info 103.
"""

from __future__ import annotations

import datetime as dt
import struct

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
# base types: (code, struct format)
ENUM, UINT8, UINT16, UINT32 = (0x00, "B"), (0x02, "B"), (0x84, "H"), (0x86, "I")

FILE_ID = (0, [(0, ENUM), (1, UINT16), (2, UINT16), (4, UINT32)])  # type, manufacturer, product, time_created
RECORD = (20, [(253, UINT32), (3, UINT8)])  # timestamp, heart_rate
SESSION = (18, [(253, UINT32), (2, UINT32), (7, UINT32), (5, ENUM)])  # timestamp, start_time, elapsed (ms), sport
ACTIVITY = (34, [(253, UINT32), (5, UINT32)])  # timestamp, local_timestamp
MONITORING_INFO = (103, [(253, UINT32), (0, UINT32)])  # timestamp, local_timestamp
MONITORING = (55, [(253, UINT32), (5, ENUM), (3, UINT32), (27, UINT8)])  # timestamp, activity_type, cycles, hr


def crc(data: bytes, value: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[value & 0xF]
            value = (value >> 4) & 0x0FFF
            value = value ^ tmp ^ _CRC_TABLE[nibble]
    return value


def fit_time(moment: dt.datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


class FitWriter:
    """Collect messages; ``bytes()`` returns the whole file with header and CRCs."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.local: dict[int, int] = {}

    def message(self, kind: tuple[int, list[tuple[int, tuple[int, str]]]], *values: int) -> FitWriter:
        number, fields = kind
        if number not in self.local:
            local = self.local[number] = len(self.local)
            self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
            for field, (base, fmt) in fields:
                self.body += struct.pack("<BBB", field, struct.calcsize(fmt), base)
        self.body.append(self.local[number])
        for (_field, (_base, fmt)), value in zip(fields, values, strict=True):
            self.body += struct.pack("<" + fmt, value)
        return self

    def __bytes__(self) -> bytes:
        head = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        head += struct.pack("<H", crc(head))
        whole = head + bytes(self.body)
        return whole + struct.pack("<H", crc(whole))


def activity(start: dt.datetime, *, beats: list[int], offset_minutes: int) -> bytes:
    """A run: one heart-rate record a minute from ``start``, a session over them, and the activity's local time."""
    writer = FitWriter().message(FILE_ID, 4, 1, 1, fit_time(start))
    for minute, bpm in enumerate(beats):
        writer.message(RECORD, fit_time(start + dt.timedelta(minutes=minute)), bpm)
    end = start + dt.timedelta(minutes=len(beats))
    writer.message(SESSION, fit_time(end), fit_time(start), len(beats) * 60_000, 1)
    return bytes(writer.message(ACTIVITY, fit_time(end), fit_time(end) + offset_minutes * 60))


def monitoring(start: dt.datetime, *, walking_totals: list[int], offset_minutes: int) -> bytes:
    """A day's monitoring file: the running walking-step total every 15 minutes from ``start`` (6 = walking)."""
    writer = FitWriter().message(FILE_ID, 32, 1, 1, fit_time(start))
    writer.message(MONITORING_INFO, fit_time(start), fit_time(start) + offset_minutes * 60)
    for index, total in enumerate(walking_totals):
        writer.message(MONITORING, fit_time(start + dt.timedelta(minutes=15 * index)), 6, total * 1, 70)
    return bytes(writer)
