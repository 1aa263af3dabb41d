"""The extract's schema: one Parquet file per table, shared by the extract, the synthetic population and scoring.

Days are whole days since the client's first session (day 0), so no calendar date of care leaves the practice;
``clients.start_date`` is shifted per client in a real extract.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA: dict[str, pa.Schema] = {
    "clients": pa.schema(
        [
            ("client_id", pa.string()),
            ("start_date", pa.date32()),
            ("age_band", pa.string()),
            ("language", pa.string()),
            ("gender", pa.string()),
        ]
    ),
    "episodes": pa.schema([("client_id", pa.string()), ("end_day", pa.int32()), ("ending", pa.string())]),
    "checkins": pa.schema([("client_id", pa.string()), ("day", pa.int32()), ("mood", pa.int16())]),
    "sessions": pa.schema([("client_id", pa.string()), ("day", pa.int32()), ("status", pa.string())]),
    "scores": pa.schema(
        [
            ("client_id", pa.string()),
            ("day", pa.int32()),
            ("session_number", pa.int16()),
            ("measure", pa.string()),
            ("total", pa.int16()),
        ]
    ),
    "homework": pa.schema([("client_id", pa.string()), ("day", pa.int32()), ("done", pa.bool_())]),
    "messages": pa.schema([("client_id", pa.string()), ("day", pa.int32()), ("sender", pa.string())]),
}

# Scoring needs every table but episodes, which carries the outcome (evaluation only; a live extract may omit it).
SCORING_TABLES = ("clients", "checkins", "sessions", "scores", "homework", "messages")


class BadExtract(ValueError):
    """An extract lacks a table or a column, or a column has the wrong type; the message names them."""


def _compatible(found: pa.DataType, wanted: pa.DataType) -> bool:
    if found == wanted:
        return True
    if pa.types.is_integer(wanted):
        return pa.types.is_integer(found)
    if pa.types.is_string(wanted):
        return pa.types.is_string(found) or pa.types.is_large_string(found)
    if pa.types.is_date(wanted):
        return pa.types.is_date(found)
    return False


def check_extract(data: Path, tables: tuple[str, ...] = SCORING_TABLES) -> None:
    """Raise BadExtract naming every missing table, missing column and wrongly typed column in ``data``."""
    problems: list[str] = []
    for name in tables:
        path = data / f"{name}.parquet"
        if not path.exists():
            problems.append(f"{name}.parquet is missing")
            continue
        found = pq.read_schema(path)
        for field in SCHEMA[name]:
            if field.name not in found.names:
                problems.append(f"{name}.{field.name} is missing")
            elif not _compatible(found.field(field.name).type, field.type):
                problems.append(f"{name}.{field.name} is {found.field(field.name).type}, expected {field.type}")
    if problems:
        raise BadExtract("The extract does not fit the schema: " + "; ".join(problems) + ".")
