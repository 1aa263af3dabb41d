"""Imported mood entries on the mood chart: beside the client's own check-ins, with their own marker and legend."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.applibrary.services import entries_import
from alongside.consent.services import scopes_set
from alongside.core.page_parts import MoodEntry
from alongside.selfcare.checkin_chart import mood_chart
from alongside.selfcare.services import checkin_create

SVG = "{http://www.w3.org/2000/svg}"
DAY = dt.date(2026, 11, 2)


def _classes(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("class") == name]


def test_imported_entries_are_hollow_diamonds_placed_on_the_scale():
    """Two check-ins and two imported entries (Daylio 'rad' at 10, an eMoods rating not drawn): one diamond at the
    top of the scale, a legend naming Daylio, and the description counting what is not drawn."""
    imported = [
        MoodEntry(DAY + dt.timedelta(days=1), 10.0, "rad", "Daylio"),
        MoodEntry(DAY + dt.timedelta(days=2), None, "depressed 2/3", "eMoods"),
    ]
    root = ET.fromstring(str(mood_chart([(DAY, 4), (DAY + dt.timedelta(days=3), 6)], imported=imported)))
    (diamond,) = _classes(root, "mood-imported")
    corners = [tuple(map(float, p.split(","))) for p in diamond.get("points").split()]
    assert corners[0][1] == pytest.approx(12 - 4.5)  # the top of the plot (10) less the diamond's half height
    assert "imported from Daylio" in diamond.find(f"{SVG}title").text
    assert len(_classes(root, "mood-point")) == 2
    assert "Imported from other apps (Daylio)" in "".join(_classes(root, "mood-legend")[0].itertext())
    desc = root.find(f"{SVG}desc").text
    assert "1 entry imported from Daylio" in desc
    assert "1 imported entry has no place on the 0 to 10 scale" in desc


def test_imported_entries_alone_still_draw_a_chart_and_none_keeps_the_old_chart():
    """With only imported entries the chart is drawn; without any, there is no legend or diamond."""
    alone = str(mood_chart([], imported=[MoodEntry(DAY, 5.0, "meh", "Daylio")]))
    assert "mood-imported" in alone
    plain = str(mood_chart([(DAY, 4)]))
    assert "mood-imported" not in plain
    assert "mood-legend" not in plain


DAYLIO = "full_date,date,weekday,time,mood,activities,note_title,note\n{day},x,y,20:00,good,walk,,Private words\n"


@pytest.fixture
def sam_with_import(world):
    today = timezone.localdate()
    checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="mood-chart-key-1", mood=6)
    yesterday = today - dt.timedelta(days=1)
    entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=DAYLIO.format(day=yesterday))
    return world


@pytest.mark.django_db
def test_client_and_clinician_see_imported_entries_beside_checkins(sam_with_import, client, staff_client):
    """Sam's own check-ins page and Alice's view of them draw the Daylio entry, with its table; never the note."""
    world = sam_with_import
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    own = client.get(reverse("selfcare:checkins")).content.decode()
    staff = staff_client(world.alice).get(reverse("selfcare:client_checkins", args=[world.sam.pk])).content.decode()
    for body in (own, staff):
        assert 'class="mood-imported"' in body
        assert "Entries imported from other mood apps" in body
        assert "Private words" not in body
        assert " style=" not in body


@pytest.mark.django_db
def test_imported_entries_follow_the_mood_scope(sam_with_import, staff_client):
    """When Sam stops sharing mood, his clinician sees neither check-ins nor imported entries."""
    world = sam_with_import
    scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
    body = staff_client(world.alice).get(reverse("selfcare:client_checkins", args=[world.sam.pk])).content.decode()
    assert "mood-imported" not in body
