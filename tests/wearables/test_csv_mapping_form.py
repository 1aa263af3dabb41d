"""The CSV column mapping has a web form the client fills in (the clinician's picker: test_csv_pick_staff.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from alongside.wearables.models import CsvMapping
from tests.a11y import assert_no_serious_axe_violations

FILLED = {
    "time": "timestamp",
    "end": "",
    "minutes": "1",
    "time_format": "",
    "zone": "Europe/Madrid",
    "source": "My ring",
    "column_steps": "steps",
    "column_heart_rate": " bpm ",
}


def test_sam_saves_a_mapping_and_sees_it_again(world, client):
    """Sam's form saves a mapping the CSV importer reads; the form then shows it filled in."""
    client.force_login(world.sam.user)
    url = reverse("wearables:csv_mapping")
    assert client.get(url).status_code == 200
    response = client.post(url, FILLED)
    assert response.status_code == 302
    saved = CsvMapping.objects.get(client=world.sam).mapping
    assert saved["columns"] == {"steps": "steps", "heart_rate": "bpm"}
    assert (saved["time"], saved["end"], saved["minutes"], saved["zone"]) == ("timestamp", None, 1.0, "Europe/Madrid")
    again = client.get(url).content.decode()
    assert 'value="My ring"' in again
    assert 'value="bpm"' in again


def test_a_mapping_without_columns_or_with_an_unknown_zone_is_refused_with_a_message(world, client):
    """No measurement column, or a zone that does not exist: a 400 with the reason, and nothing saved."""
    client.force_login(world.sam.user)
    url = reverse("wearables:csv_mapping")
    empty = client.post(url, {**FILLED, "column_steps": "", "column_heart_rate": ""})
    assert empty.status_code == 400
    assert "Name at least one column" in empty.content.decode()
    zone = client.post(url, {**FILLED, "zone": "Mars/Olympus"})
    assert zone.status_code == 400
    assert "unknown time zone" in zone.content.decode()
    assert not CsvMapping.objects.exists()


@pytest.mark.browser
def test_the_mapping_form_works_from_the_keyboard_and_passes_axe(live_server, page, world, client):
    """Sam types into the fields and saves with Enter (no mouse); the page passes axe before and after an error."""
    client.force_login(world.sam.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + reverse("wearables:csv_mapping"))
    assert_no_serious_axe_violations(page, context_label="CSV mapping form")
    page.get_by_label("Column with each row's time").focus()
    page.keyboard.type("timestamp")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Name at least one column")
    assert_no_serious_axe_violations(page, context_label="CSV mapping form with an error")
    page.get_by_label("Steps", exact=True).fill("steps")
    page.get_by_label("Steps", exact=True).press("Enter")
    expect(page).to_have_url(live_server.url + reverse("wearables:mine"))
    assert CsvMapping.objects.get(client=world.sam).mapping["columns"] == {"steps": "steps"}
