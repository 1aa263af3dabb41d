"""Build small Apple Health exports for tests, a record per line, with the dates written as Apple writes them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n'
TAIL = "</HealthData>\n"


def stamp(at: dt.datetime) -> str:
    """Write an aware datetime the way Apple does: ``2024-03-31 01:30:00 +0100``."""
    return at.strftime("%Y-%m-%d %H:%M:%S %z")


def record(
    kind: str, start: dt.datetime, end: dt.datetime, value: str | float, source: str = "Sam's Apple Watch"
) -> str:
    prefix = "HKCategoryTypeIdentifier" if kind == "SleepAnalysis" else "HKQuantityTypeIdentifier"
    return (
        f' <Record type="{prefix}{kind}" sourceName="{source}" startDate="{stamp(start)}" '
        f'endDate="{stamp(end)}" value="{value}"/>\n'
    )


def xml(*records: str) -> str:
    return HEAD + "".join(records) + TAIL


def write_xml(path: Path, *records: str) -> Path:
    path.write_text(xml(*records), encoding="utf-8")
    return path


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# Sharing every wearable stream, or none (sleep, heart and activity are separate scopes).
ALL_STREAMS = {"wearables_sleep": True, "wearables_heart": True, "wearables_active": True}
NO_STREAMS = dict.fromkeys(ALL_STREAMS, False)
