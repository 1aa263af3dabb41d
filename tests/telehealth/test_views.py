"""The room page and the list: the client and their clinician get in, everyone else gets a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as DjangoClient

from tests.telehealth.support import appointment

pytestmark = pytest.mark.django_db


def _get(user, path, staff_client=None):
    if user is None:
        return DjangoClient().get(path)
    if staff_client is not None and not user.is_client:
        return staff_client(user).get(path)
    web = DjangoClient()
    web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    return web.get(path)


def test_the_client_and_the_clinician_open_the_room_with_camera_and_microphone_allowed(world, staff_client):
    """The page opts in to camera, microphone and screen sharing for itself; other pages still deny them."""
    booked = appointment(world)
    for user in (world.sam.user, world.alice):
        response = _get(user, f"/telehealth/{booked.pk}/", staff_client)
        assert response.status_code == 200
        policy = response["Permissions-Policy"]
        assert "camera=(self)" in policy
        assert "microphone=(self)" in policy
        assert "display-capture=(self)" in policy
        assert "geolocation=()" in policy
    assert "camera=()" in _get(world.sam.user, "/telehealth/")["Permissions-Policy"]


@pytest.mark.parametrize("who", ["robin", "bob", "carol", "admin"])
def test_outsiders_get_a_404_for_the_room(world, staff_client, who):
    booked = appointment(world)
    user = {"robin": world.other_client.user, "bob": world.bob, "carol": world.carol, "admin": world.admin}[who]
    response = _get(user, f"/telehealth/{booked.pk}/", staff_client)
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world):
    booked = appointment(world)
    response = _get(None, f"/telehealth/{booked.pk}/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_list_shows_each_person_their_own_sessions_with_a_join_link(world, staff_client):
    booked = appointment(world, starts_in=dt.timedelta(hours=2))
    link = f'href="/telehealth/{booked.pk}/"'
    assert link in _get(world.sam.user, "/telehealth/").content.decode()
    assert link in _get(world.alice, "/telehealth/", staff_client).content.decode()
    assert link not in _get(world.other_client.user, "/telehealth/").content.decode()
    assert link not in _get(world.bob, "/telehealth/", staff_client).content.decode()


def test_a_client_who_comes_too_early_is_told_when_the_room_opens(world):
    booked = appointment(world, starts_in=dt.timedelta(hours=2))
    page = _get(world.sam.user, f"/telehealth/{booked.pk}/").content.decode()
    assert "The waiting room opens at" in page


def test_the_client_home_shows_a_join_button_only_while_the_room_is_open(world):
    """Ten minutes before the start Sam's home page has "Join the video session"; two hours before it has not."""
    soon = appointment(world, starts_in=dt.timedelta(minutes=10))
    web = DjangoClient()
    web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page = web.get("/").content.decode()
    assert "Join the video session" in page
    assert f'href="/telehealth/{soon.pk}/"' in page
    soon.starts_at += dt.timedelta(hours=2)
    soon.save(update_fields=["starts_at"])
    assert "Join the video session" not in web.get("/").content.decode()
