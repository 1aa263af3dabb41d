"""The client's "My body data" page shows their own figures before anything is shared; staff cannot open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alongside.wearables.importing import import_file
from alongside.wearables.models import DailyFeature
from tests.wearables import exports


@pytest.fixture
def imported(world, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    start = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)
    path = exports.write_xml(
        tmp_path / "e.xml", exports.record("StepCount", start, start + dt.timedelta(minutes=9), 4321)
    )
    import_file(actor=None, client=world.sam, path=path)
    return world


def test_sam_sees_his_steps_without_sharing_them(imported, client):
    """Unshared, the page still shows Sam his own steps and says only he can see them."""
    client.force_login(imported.sam.user)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "4321" in body
    assert "Only you can see this" in body


def test_staff_cannot_open_the_clients_page(imported, staff_client):
    """The page is the client's own: a clinician gets 404."""
    assert staff_client(imported.alice).get(reverse("wearables:mine")).status_code == 404


def test_sam_deletes_all_his_sensor_data_after_confirming(imported, client, django_capture_on_commit_callbacks):
    """Without the tick nothing is deleted; with it, every feature goes."""
    client.force_login(imported.sam.user)
    client.post(reverse("wearables:delete"))
    assert DailyFeature.objects.filter(client=imported.sam).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wearables:delete"), {"confirm": "yes"})
    assert not DailyFeature.objects.filter(client=imported.sam).exists()
