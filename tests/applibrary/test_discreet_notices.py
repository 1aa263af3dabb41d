"""Discreet mode reaches the in-app notices: they say only that there is an update."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.applibrary.services import modes_set
from alongside.notify.services import notification_send

pytestmark = pytest.mark.django_db
BACKEND = "alongside.accounts.backends.EmailBackend"


def _notice_page(client, world) -> str:
    notification_send(recipients=[world.sam.user], kind="message", link="/messages/", email=False, live=False)
    client.force_login(world.sam.user, backend=BACKEND)
    return client.get(reverse("notify:list")).content.decode()


def test_a_client_in_discreet_mode_reads_a_neutral_notice(client, world):
    """Sam in discreet mode: the notice list says "You have an update", not what kind of notice it is."""
    modes_set(
        actor=world.sam.user, client=world.sam, discreet=True, low_bandwidth=False, large_text=False, paper_pack=False
    )
    page = _notice_page(client, world)
    assert "You have an update" in page
    assert "New message" not in page


def test_without_discreet_mode_the_notice_says_what_happened(client, world):
    """Sam without discreet mode still reads what the notice is about."""
    page = _notice_page(client, world)
    assert "You have an update" not in page
