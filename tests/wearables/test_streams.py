"""Sleep, heart and activity are shared apart: each revocable, hiding its data from the next request."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from alongside.accounts import tokens
from alongside.consent.models import ScopeGrant
from alongside.consent.services import scopes_set
from alongside.wearables.models import DailyFeature, Metric
from tests.wearables import exports
from tests.wearables.test_pages import sam_walks_less  # noqa: F401  (the fixture: Sam's steps drop for 4 days)

ONLY_SLEEP_AND_HEART = {**exports.ALL_STREAMS, "wearables_active": False}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def test_revoking_activity_alone_hides_the_steps_change_from_the_brief(sam_walks_less, staff_client):  # noqa: F811
    """With sleep and heart still shared, revoking activity removes the steps change on the next brief."""
    world = sam_walks_less
    url = reverse("sessions:brief", args=[world.sam.pk])
    browser = staff_client(world.alice)
    scopes_set(client=world.sam, scopes=exports.ALL_STREAMS, actor=world.sam.user)
    assert "Steps lower than usual" in browser.get(url).content.decode()
    scopes_set(client=world.sam, scopes=ONLY_SLEEP_AND_HEART, actor=world.sam.user)
    assert "Steps lower than usual" not in browser.get(url).content.decode()


def test_the_caseload_cell_follows_the_activity_stream(sam_walks_less, staff_client):  # noqa: F811
    """Alice's caseload shows 'Steps lower' while activity is shared, and not once it is revoked."""
    world = sam_walks_less
    scopes_set(client=world.sam, scopes={"wearables_active": True}, actor=world.sam.user)
    assert "<td>Steps lower</td>" in staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    scopes_set(client=world.sam, scopes={"wearables_active": False}, actor=world.sam.user)
    assert "<td>Steps lower</td>" not in staff_client(world.alice).get(reverse("care:caseload")).content.decode()


def test_the_api_returns_only_the_shared_streams(sam_walks_less, client):  # noqa: F811
    """The features API gives Alice activity only while it is shared, 404 when nothing is; Bob always 404."""
    world = sam_walks_less
    url = f"/api/v1/wearables/clients/{world.sam.pk}/features"
    alice = _auth(world.alice)
    assert client.get(url, **alice).status_code == 404
    scopes_set(client=world.sam, scopes={"wearables_active": True}, actor=world.sam.user)
    metrics = {row["metric"] for row in client.get(url, **alice).json()}
    assert Metric.STEPS in metrics
    scopes_set(client=world.sam, scopes=ONLY_SLEEP_AND_HEART, actor=world.sam.user)
    response = client.get(url, **alice)
    assert response.status_code == 200
    assert Metric.STEPS not in {row["metric"] for row in response.json()}
    scopes_set(client=world.sam, scopes=exports.ALL_STREAMS, actor=world.sam.user)
    assert client.get(url, **_auth(world.bob)).status_code == 404


def test_the_client_sees_every_stream_and_what_they_share(sam_walks_less, client):  # noqa: F811
    """Sam's own page shows his steps unshared, and names the streams once he shares some."""
    world = sam_walks_less
    client.force_login(world.sam.user)
    assert "Only you can see this" in client.get(reverse("wearables:mine")).content.decode()
    scopes_set(client=world.sam, scopes={"wearables_sleep": True}, actor=world.sam.user)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "You share these with your care team" in body
    assert "Sleep from devices" in body
    assert "Steps and activity from devices" not in body
    assert DailyFeature.objects.filter(client=world.sam, metric=Metric.STEPS).exists()


@pytest.mark.django_db
def test_the_migration_splits_a_wearables_grant_into_three(world):
    """A client who shared the old single 'wearables' scope shares all three streams after the migration."""
    ScopeGrant.objects.create(client=world.sam, scope="wearables", granted=True)
    migration = importlib.import_module("alongside.consent.migrations.0002_wearables_per_stream")
    migration.split(apps, None)
    granted = set(ScopeGrant.objects.filter(client=world.sam, granted=True).values_list("scope", flat=True))
    assert {"wearables_sleep", "wearables_heart", "wearables_active"} <= granted
    assert "wearables" not in granted


def test_the_data_sources_tab_shows_only_shared_streams(sam_walks_less, staff_client):  # noqa: F811
    """Alice sees imports, the steps chart and the change while activity is shared; nothing once it is not; Bob 404."""
    world = sam_walks_less
    url = reverse("wearables:sources", args=[world.sam.pk])
    alice = staff_client(world.alice)
    assert "shares no body data" in alice.get(url).content.decode()
    scopes_set(client=world.sam, scopes={"wearables_active": True}, actor=world.sam.user)
    body = alice.get(url).content.decode()
    assert "Apple Health" in body
    assert "Steps lower than usual" in body
    assert 'class="wearables-chart"' in body
    scopes_set(client=world.sam, scopes={"wearables_active": False, "wearables_sleep": True}, actor=world.sam.user)
    body = alice.get(url).content.decode()
    assert "Steps lower than usual" not in body
    assert 'class="wearables-chart"' not in body
    assert staff_client(world.bob).get(url).status_code == 404
