"""Mood-app exports stored as imported entries: previewed first, apart from check-ins, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.applibrary.importers import emoods
from alongside.applibrary.importers.csv_reading import AmbiguousDates, ImportProblem
from alongside.applibrary.models import ImportedEntry
from alongside.applibrary.services import entries_import
from alongside.audit.models import AuditEvent
from alongside.selfcare.models import CheckIn

pytestmark = pytest.mark.django_db

DAYLIO = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    "2026-12-05,December 5,Saturday,21:10,good,walk | friends,,Saw Ana\n"
    "2026-12-04,December 4,Friday,20:02,meh,work,Long day,Tired\n"
)
EMOODS_AMBIGUOUS = (
    "date,depressed,elevated,irritability,anxiety,sleep,notes\n"
    "03/04/2026,2,0,1,1,6.5,Slept badly\n"
    "04/04/2026,1,0,0,1,7,\n"
)


def test_a_reimport_adds_nothing_and_entries_stay_apart_from_checkins(world):
    """The same Daylio export twice: 2 added, then 0 added and 2 already there; no check-in is created."""
    first = entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=DAYLIO)
    again = entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=DAYLIO)
    assert (first.added, first.already, again.added, again.already) == (2, 0, 0, 2)
    assert (first.first_day, first.last_day) == (dt.date(2026, 12, 4), dt.date(2026, 12, 5))
    entry = ImportedEntry.objects.get(day=dt.date(2026, 12, 5))
    assert (entry.mood, entry.note, entry.details["activities"]) == ("good", "Saw Ana", ["walk", "friends"])
    assert "Saw Ana" not in entry.note_sealed  # encrypted at rest
    assert ImportedEntry.objects.count() == 2
    assert not CheckIn.objects.exists()
    assert AuditEvent.objects.filter(action="applibrary.entries_imported").count() == 2


def test_only_the_client_imports_their_own_entries(world):
    """Alice, Sam's clinician, cannot import into Sam's record."""
    with pytest.raises(PermissionDenied):
        entries_import(actor=world.alice, client=world.sam, source="daylio", text=DAYLIO)


def test_emoods_dates_that_fit_both_orders_are_asked_then_read_as_chosen(world):
    """03/04 and 04/04 fit both orders: refused until the client chooses; day first means 3 and 4 April."""
    with pytest.raises(AmbiguousDates):
        emoods.parse(EMOODS_AMBIGUOUS)
    rows = emoods.parse(EMOODS_AMBIGUOUS, order="day_first")
    assert [r.day for r in rows] == [dt.date(2026, 4, 3), dt.date(2026, 4, 4)]
    assert rows[0].mood == "depressed 2/3, elevated 0/3, irritability 1/3, anxiety 1/3"
    assert dict(rows[0].extra) == {"sleep_hours": "6.5"}


def test_an_emoods_file_with_other_columns_is_refused_by_name():
    """A Daylio file offered as eMoods is refused, naming eMoods' expected columns."""
    with pytest.raises(ImportProblem, match="Expected the columns: date, depressed, elevated"):
        emoods.parse(DAYLIO)


def test_the_import_page_previews_asks_the_date_order_and_saves_on_confirm(world, client):
    """Upload shows a preview and nothing is stored; ambiguous dates ask; confirming stores and says how many."""
    client.force_login(world.sam.user)
    url = reverse("applibrary:my_imports")
    upload = SimpleUploadedFile("export.csv", EMOODS_AMBIGUOUS.encode(), content_type="text/csv")
    body = client.post(url, {"source": "emoods", "file": upload}).content.decode()
    assert "Which way are the dates written?" in body
    assert not ImportedEntry.objects.exists()
    body = client.post(url, {"source": "emoods", "text": EMOODS_AMBIGUOUS, "order": "day_first"}).content.decode()
    assert "Check before saving" in body
    assert ": 2 new;" in body
    assert "Slept badly" in body
    assert not ImportedEntry.objects.exists()
    form = {"source": "emoods", "text": EMOODS_AMBIGUOUS, "order": "day_first", "confirm": "1"}
    body = client.post(url, form, follow=True).content.decode()
    assert "Imported 2 entries; 0 were already here." in body
    assert "imported from eMoods" in body


def test_the_clinician_sees_imported_entries_beside_the_recommendations(world, staff_client):
    """Sam's imported Daylio entries show on Alice's page for Sam, marked with their app, and the read is audited."""
    entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=DAYLIO)
    body = staff_client(world.alice).get(reverse("applibrary:client_apps", args=[world.sam.pk])).content.decode()
    assert "imported from Daylio" in body
    assert "Saw Ana" in body
    assert AuditEvent.objects.filter(action="applibrary.imports_viewed", actor_id=world.alice.pk).exists()


def test_the_session_brief_shows_recent_imported_entries_when_mood_is_shared(world, staff_client):
    """Alice's brief for Sam has the 'Imported from other apps' section; without the mood scope it is left out."""
    from alongside.consent.models import ScopeGrant
    from alongside.consent.services import scopes_set

    yesterday = dt.date.today() - dt.timedelta(days=1)
    text = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f"{yesterday:%Y-%m-%d},x,y,20:00,rad,walk,,Private words\n"
    )
    entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=text)
    url = reverse("sessions:brief", args=[world.sam.pk])
    body = staff_client(world.alice).get(url).content.decode()
    assert "Imported from other apps" in body
    assert "imported from Daylio" in body
    assert "Private words" not in body  # the brief shows the mood only
    scopes_set(actor=world.sam.user, client=world.sam, scopes={"mood": False})
    assert not ScopeGrant.objects.filter(client=world.sam, scope="mood", granted=True).exists()
    assert "Imported from other apps" not in staff_client(world.alice).get(url).content.decode()
