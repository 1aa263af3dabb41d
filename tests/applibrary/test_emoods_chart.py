"""Imported eMoods ratings drawn on the mood chart beside check-ins, at our own placement of eMoods' 0-3 scales."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.applibrary.mood_chart import emoods_places, emoods_ratings
from alongside.applibrary.services import entries_import
from alongside.selfcare.services import checkin_create

EMOODS = (
    "date,depressed,elevated,irritability,anxiety,sleep,notes\n"
    "{first},3,0,1,2,5.5,Private words\n"
    "{second},0,2,0,0,4,\n"
    "{third},1,1,2,0,,\n"
)


@pytest.mark.parametrize(
    ("depressed", "elevated", "expected"),
    [
        (0, 0, [("neither", 5.0)]),
        (1, 0, [("depressed", 5 - 5 / 3)]),
        (3, 0, [("depressed", 0.0)]),
        (0, 2, [("elevated", 5 + 10 / 3)]),
        (0, 3, [("elevated", 10.0)]),
        (2, 1, [("depressed", 5 - 10 / 3), ("elevated", 5 + 5 / 3)]),
    ],
)
def test_emoods_poles_are_placed_around_the_middle_of_the_scale(depressed, elevated, expected):
    """Depressed ratings go below 5 and elevated ones above it, 5/3 a step; a mixed day gets one place per pole."""
    ratings = emoods_ratings(f"depressed {depressed}/3, elevated {elevated}/3, irritability 3/3, anxiety 1/3")
    assert ratings == {"depressed": depressed, "elevated": elevated, "irritability": 3, "anxiety": 1}
    places = emoods_places(ratings)
    assert [pole for pole, _value in places] == [pole for pole, _value in expected]
    assert [value for _pole, value in places] == pytest.approx([value for _pole, value in expected])


@pytest.fixture
def sam_with_emoods(world):
    today = timezone.localdate()
    checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="emoods-chart-key-1", mood=6)
    first, second, third = (today - dt.timedelta(days=days) for days in (3, 2, 1))
    text = EMOODS.format(first=first.isoformat(), second=second.isoformat(), third=third.isoformat())
    entries_import(actor=world.sam.user, client=world.sam, source="emoods", text=text)
    return world


@pytest.mark.django_db
def test_client_and_clinician_see_emoods_ratings_drawn_beside_checkins(sam_with_emoods, client, staff_client):
    """Sam's check-ins page and Alice's view of it draw each eMoods day (the mixed day twice) as imported diamonds,
    name eMoods in the legend, say which way is elevated, list sleep in the table, and never show the note."""
    world = sam_with_emoods
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    own = client.get(reverse("selfcare:checkins")).content.decode()
    staff = staff_client(world.alice).get(reverse("selfcare:client_checkins", args=[world.sam.pk])).content.decode()
    for body in (own, staff):
        assert body.count('class="mood-imported"') == 4
        assert "Imported from other apps (eMoods)" in body
        assert "no place on the 0 to 10 scale" not in body
        assert "eMoods depressed 3/3, elevated 0/3, irritability 1/3, anxiety 2/3, slept 5.5 h" in body
        assert "drawn above the middle: elevated mood, not a better one" in body
        assert "not drawn" not in body
        assert "Private words" not in body
        assert " style=" not in body
