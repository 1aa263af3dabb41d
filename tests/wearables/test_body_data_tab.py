"""The client record's "Body data" tab: shown while the client shares a wearables stream, marked on its own page."""

from __future__ import annotations

from django.urls import reverse

from alongside.consent.services import scopes_set


def tabs(html: str) -> str:
    return html.partition('class="record-tabs"')[2].partition("</nav>")[0]


def test_the_body_data_tab_follows_the_clients_sharing(world, staff_client):
    """With sleep shared Alice sees the tab on Sam's record pages, current on Body data; unshared, it is gone."""
    alice = staff_client(world.alice)
    sources = reverse("wearables:sources", args=[world.sam.pk])
    pages = [reverse("measures:progress", args=[world.sam.pk]), reverse("care:client_detail", args=[world.sam.pk])]

    scopes_set(client=world.sam, scopes={"wearables_sleep": True}, actor=world.sam.user)
    on_own_page = tabs(alice.get(sources).content.decode())
    assert f'href="{sources}" aria-current="page">Body data</a>' in on_own_page
    assert reverse("care:client_detail", args=[world.sam.pk]) in on_own_page
    for url in pages:
        shown = tabs(alice.get(url).content.decode())
        assert f'href="{sources}">Body data</a>' in shown, url

    scopes_set(client=world.sam, scopes={"wearables_sleep": False}, actor=world.sam.user)
    for url in [sources, *pages]:
        assert "Body data</a>" not in tabs(alice.get(url).content.decode()), url


def test_a_clinician_off_the_care_team_gets_no_tab(world, staff_client):
    """Bob, in the practice but not on Sam's care team, never sees Sam's Body data tab (nor the page)."""
    scopes_set(client=world.sam, scopes={"wearables_heart": True}, actor=world.sam.user)
    bob = staff_client(world.bob)
    assert bob.get(reverse("wearables:sources", args=[world.sam.pk])).status_code == 404
    assert "Body data</a>" not in bob.get(reverse("care:client_detail", args=[world.sam.pk])).content.decode()
