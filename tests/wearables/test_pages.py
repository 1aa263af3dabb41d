"""A sustained change in body data shows in the session brief and the caseload, only while the client shares it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alongside.consent.services import scopes_set
from alongside.wearables.importing import import_file
from tests.wearables import exports


@pytest.fixture
def sam_walks_less(world, settings, tmp_path):
    """Thirty days of about 10,000 steps, then four days of about 1,000, ending yesterday."""
    settings.WEARABLES_DIR = tmp_path / "store"
    today = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    records = []
    for back in range(34, 0, -1):
        start = today - dt.timedelta(days=back)
        value = 1000 + back if back <= 4 else 10_000 + (back % 5) * 300
        records.append(exports.record("StepCount", start, start + dt.timedelta(minutes=30), value))
    import_file(actor=None, client=world.sam, path=exports.write_xml(tmp_path / "export.xml", *records))
    return world


def test_the_brief_names_the_change_while_sam_shares_wearables(sam_walks_less, staff_client):
    """Shared: the brief says steps were lower on 4 days in a row. Revoked: the section is gone on the next request."""
    world = sam_walks_less
    url = reverse("sessions:brief", args=[world.sam.pk])
    browser = staff_client(world.alice)
    assert "Steps lower than usual" not in browser.get(url).content.decode()
    scopes_set(client=world.sam, scopes=exports.ALL_STREAMS, actor=world.sam.user)
    body = browser.get(url).content.decode()
    assert "Steps lower than usual on 4 days in a row" in body
    assert "not an alert" in body
    scopes_set(client=world.sam, scopes=exports.NO_STREAMS, actor=world.sam.user)
    assert "Steps lower than usual" not in browser.get(url).content.decode()


def test_the_caseload_column_shows_the_change(sam_walks_less, staff_client):
    """Alice's caseload row for Sam reads 'Steps lower'; Bob, outside Sam's care team, sees no row of Sam's."""
    world = sam_walks_less
    scopes_set(client=world.sam, scopes=exports.ALL_STREAMS, actor=world.sam.user)
    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert '<th scope="col">Body data changes</th>' in body
    row = next(part for part in body.split("<tr") if world.sam.preferred_name in part and "<td" in part)
    assert "<td>Steps lower</td>" in row
