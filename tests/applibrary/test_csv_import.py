"""Reading mood-app exports: unknown columns refused by name, day/month order detected or asked, stable row keys."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.applibrary.importers import daylio
from alongside.applibrary.importers.csv_reading import AmbiguousDates, ImportProblem, date_order

HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"
ROWS = (
    "2026-12-05,December 5,Saturday,21:10,good,walk | friends,,Saw Ana\n"
    "2026-12-04,December 4,Friday,20:02,meh,work,Long day,Tired\n"
)


def test_a_daylio_export_is_read_into_mood_entries():
    """Each row becomes an entry marked as Daylio's, with its activities split and note joined."""
    entries = daylio.parse(HEADER + ROWS)
    assert [(e.day, e.mood) for e in entries] == [(dt.date(2026, 12, 5), "good"), (dt.date(2026, 12, 4), "meh")]
    assert entries[0].activities == ("walk", "friends")
    assert entries[1].note == "Long day Tired"
    assert {e.app for e in entries} == {"Daylio"}


def test_a_newer_daylio_export_with_scales_is_read():
    """Newer Daylio exports add a ``scales`` column between activities and the note title: accepted, not read."""
    header = "full_date,date,weekday,time,mood,activities,scales,note_title,note\n"
    entries = daylio.parse(header + "2026-12-05,December 5,Saturday,21:10,good,walk | friends,,,Saw Ana\n")
    assert [(e.day, e.mood, e.activities, e.note) for e in entries] == [
        (dt.date(2026, 12, 5), "good", ("walk", "friends"), "Saw Ana")
    ]


def test_reading_the_same_export_twice_gives_the_same_keys():
    """Row keys are stable, so storing by key makes a re-import add nothing; different rows differ."""
    first, second = daylio.parse(HEADER + ROWS), daylio.parse(HEADER + ROWS)
    assert [e.key for e in first] == [e.key for e in second]
    assert first[0].key != first[1].key


def test_unknown_columns_are_refused_naming_the_expected_ones():
    """An export of another shape is refused and the message lists the columns expected."""
    with pytest.raises(ImportProblem, match="Expected the columns: full_date, date, weekday, time, mood"):
        daylio.parse("day,mood,sleep_hours\n2026-12-05,good,7\n")


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["2026-12-05", "2026-01-31"], "iso"),
        (["25/12/2026", "05/01/2026"], "day_first"),
        (["12/25/2026", "01/05/2026"], "month_first"),
    ],
)
def test_the_date_order_is_found_when_one_date_settles_it(values, order):
    """A day above 12 settles whether the export writes the day or the month first."""
    assert date_order(values) == order


def test_dates_that_fit_both_orders_are_asked_about():
    """05/01 and 06/02 fit both orders: the import stops and asks; with the answer it reads them."""
    text = HEADER + "05/01/2026,,,09:00,good,,,\n06/02/2026,,,09:00,meh,,,\n"
    with pytest.raises(AmbiguousDates):
        daylio.parse(text)
    assert [e.day for e in daylio.parse(text, order="day_first")] == [dt.date(2026, 1, 5), dt.date(2026, 2, 6)]
    assert [e.day for e in daylio.parse(text, order="month_first")] == [dt.date(2026, 5, 1), dt.date(2026, 6, 2)]


def test_dates_that_fit_neither_order_are_refused():
    """13/13 is no date in either order."""
    with pytest.raises(ImportProblem, match="neither"):
        date_order(["13/13/2026"])


def test_twelve_hour_times_and_padded_moods_as_older_exports_write_them():
    """Older exports write times as "9:15 pm" and may pad a mood with a space: the mood is read without it."""
    entries = daylio.parse(HEADER + '2025-03-02,2 March,Sunday,9:15 pm,awful ,"walk | tired ","",""\n')
    assert [(e.day, e.time, e.mood, e.activities) for e in entries] == [
        (dt.date(2025, 3, 2), "9:15 pm", "awful", ("walk", "tired"))
    ]
