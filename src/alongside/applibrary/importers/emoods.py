"""eMoods' CSV export.

TODO(practice): eMoods publishes no column list we could find (searched 2026-12-06); the columns below are the
authors' reading of the app's daily record (depressed, elevated and irritable mood and anxiety rated 0-3, hours
slept, notes), not of a real export. Check them against a real export before relying on this parser. A file with
other columns is refused with a message naming these.
"""

from __future__ import annotations

from alongside.applibrary.importers.csv_reading import (
    ImportedMood,
    ImportProblem,
    Order,
    check_columns,
    date_order,
    parse_date,
    read_rows,
    row_key,
)

APP = "eMoods"
COLUMNS = ("date", "depressed", "elevated", "irritability", "anxiety", "sleep", "notes")
RATINGS = ("depressed", "elevated", "irritability", "anxiety")


def _rating(row: dict[str, str], name: str) -> str:
    value = row[name].strip() or "0"
    if value not in {"0", "1", "2", "3"}:
        raise ImportProblem(f"{name} must be 0 to 3 in an eMoods export; found {value!r}.")
    return value


def parse(text: str, *, order: Order | None = None) -> list[ImportedMood]:
    """Read an eMoods export; ``order`` answers the day/month question when the dates leave it open."""
    header, rows = read_rows(text)
    check_columns(header, COLUMNS, APP)
    if order is None:
        order = date_order([row["date"] for row in rows]) if rows else "iso"
    return [
        ImportedMood(
            app=APP,
            key=row_key(APP, row),
            day=parse_date(row["date"], order),
            time="",
            mood=", ".join(f"{name} {_rating(row, name)}/3" for name in RATINGS),
            activities=(),
            note=row["notes"].strip(),
            extra=(("sleep_hours", row["sleep"].strip()),) if row["sleep"].strip() else (),
        )
        for row in rows
    ]
