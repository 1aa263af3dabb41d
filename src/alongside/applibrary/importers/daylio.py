"""Daylio's CSV export.

The columns are those of Daylio's "Export entries" CSV as documented by the open-source daylio-csv-parser project
(github.com/MichaelCurrin/daylio-csv-parser: docs/csv-format.md says an export always has 8 columns, and the
header of its dayliopy/sample.csv names them; checked 2026-12-06). Times there are written "10:00 pm" and moods may
carry a trailing space. Newer exports add a ``scales`` column (seen in other public parsers' test
files), which is accepted and not read. A file with other columns is refused with a message naming these.
"""

from __future__ import annotations

from alongside.applibrary.importers.csv_reading import (
    ImportedMood,
    Order,
    check_columns,
    date_order,
    parse_date,
    read_rows,
    row_key,
)

APP = "Daylio"
COLUMNS = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
OPTIONAL = ("scales",)  # newer versions of the app; not read


def parse(text: str, *, order: Order | None = None) -> list[ImportedMood]:
    """Read a Daylio export; ``order`` answers the day/month question when the dates leave it open."""
    header, rows = read_rows(text)
    check_columns(header, COLUMNS, APP, optional=OPTIONAL)
    if order is None:
        order = date_order([row["full_date"] for row in rows]) if rows else "iso"
    return [
        ImportedMood(
            app=APP,
            key=row_key(APP, row),
            day=parse_date(row["full_date"], order),
            time=row["time"].strip(),
            mood=row["mood"].strip(),
            activities=tuple(a.strip() for a in row["activities"].split("|") if a.strip()),
            note=" ".join(part for part in (row["note_title"].strip(), row["note"].strip()) if part),
        )
        for row in rows
    ]
