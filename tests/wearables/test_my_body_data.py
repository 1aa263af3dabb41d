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
    assert "4,321" in body  # numbers are formatted for the reader's language
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


def test_sam_deletes_one_import_and_keeps_the_other(
    world, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Deleting one import removes its samples, file and days; the other import's days stay; nobody else's opens."""
    from alongside.wearables import storage
    from alongside.wearables.models import ImportJob, Metric

    settings.WEARABLES_DIR = tmp_path / "store"
    first = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)
    second = dt.datetime(2024, 2, 5, 9, tzinfo=dt.UTC)
    for name, start, value in (("a.xml", first, 1111), ("b.xml", second, 2222)):
        record = exports.record("StepCount", start, start + dt.timedelta(minutes=9), value)
        import_file(actor=None, client=world.sam, path=exports.write_xml(tmp_path / name, record))
    doomed = ImportJob.objects.filter(client=world.sam).order_by("created_at").first()
    client.force_login(world.sam.user)
    page = client.get(reverse("wearables:mine")).content.decode()
    assert "Delete this Apple Health import" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wearables:delete_import", args=[doomed.pk]))
    assert response.status_code == 302
    steps = {f.day.isoformat(): f.value for f in DailyFeature.objects.filter(client=world.sam, metric=Metric.STEPS)}
    assert steps == {"2024-02-05": 2222}
    assert not ImportJob.objects.filter(pk=doomed.pk).exists()
    assert not (storage.client_dir(world.sam.pk) / f"{doomed.pk}.parquet.sealed").exists()
    kept = ImportJob.objects.get(client=world.sam)
    client.force_login(world.other_client.user)  # Robin, another client, cannot delete Sam's import
    assert client.post(reverse("wearables:delete_import", args=[kept.pk])).status_code == 404
    assert ImportJob.objects.filter(pk=kept.pk).exists()
