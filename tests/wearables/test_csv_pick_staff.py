"""The clinician's CSV mapping page is the column picker: Alice (on Sam's care team) sends one of Sam's files,
sees its header and first rows, picks columns from selects, says what each type word of a long-layout file
is, and saves the mapping for Sam (audited). Nothing of the file is kept or imported; outsiders get 404.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from alongside.audit.models import AuditEvent
from alongside.wearables.csv_import import SAMPLE_SALT
from alongside.wearables.models import CsvMapping, ImportJob, Upload
from tests.a11y import assert_no_serious_axe_violations
from tests.wearables.test_csv_import_form import LONG, PICKED


def url(world) -> str:
    return reverse("wearables:client_csv_mapping", args=[world.sam.pk])


def send(client, world, text: str = LONG):
    return client.post(url(world), {"file": SimpleUploadedFile("ring.csv", text.encode(), "text/csv")})


def sample_of(response) -> str:
    return response.context["sample"]


def test_alice_picks_sams_columns_and_the_mapping_is_saved_for_him(world, staff_client):
    """Header and first rows shown; the type column's words asked about; the mapping saved, audited, nothing kept."""
    alice = staff_client(world.alice)
    first = alice.get(url(world))
    assert first.status_code == 200
    assert 'type="file"' in first.content.decode()
    shown = send(alice, world)
    page = shown.content.decode()
    assert shown.status_code == 200
    assert '<th scope="col">amount</th>' in page
    assert "Europe/Madrid" in page  # a first row
    asked = alice.post(url(world), {**PICKED, "sample": sample_of(shown)})
    assert asked.status_code == 200
    assert "Now say what each type" in asked.content.decode()
    assert [field.label for field in asked.context["form"].word_fields()] == [
        "Rows of type “steps” are",
        "Rows of type “hrv” are",
        "Rows of type “note” are",
    ]
    saved = alice.post(
        url(world), {**PICKED, "sample": sample_of(asked), "word_0": "steps", "word_1": "hrv_rmssd", "word_2": ""}
    )
    assert saved.status_code == 302
    assert saved.url == reverse("wearables:sources", args=[world.sam.pk])
    mapping = CsvMapping.objects.get(client=world.sam).mapping
    assert mapping["types"] == {"steps": "steps", "hrv": "hrv_rmssd"}
    assert (mapping["time"], mapping["zone_column"], mapping["unit"]) == ("when", "tz", "unit")
    event = AuditEvent.objects.filter(action="wearables.csv_mapping_saved").latest("id")
    assert event.actor_id == world.alice.pk
    assert not Upload.objects.exists()
    assert not ImportJob.objects.exists()
    again = send(alice, world).context["form"]
    assert again["type"].initial == "what"
    assert again["word_1"].initial == "hrv_rmssd"


def test_outsiders_get_404_and_a_sample_is_bound_to_its_client(world, staff_client):
    """Bob (another team) and Carol (another practice) get 404; a sample signed for Sam is refused for Tom."""
    for outsider in (world.bob, world.carol):
        assert staff_client(outsider).get(url(world)).status_code == 404
        assert send(staff_client(outsider), world).status_code == 404
    alice = staff_client(world.alice)
    sample = sample_of(send(alice, world))
    other = signing.loads(sample, salt=SAMPLE_SALT)
    other["client"] = str(uuid.uuid4())  # any other client
    forged = signing.dumps(other, salt=SAMPLE_SALT, compress=True)
    assert alice.post(url(world), {**PICKED, "sample": forged}).status_code == 404
    tampered = alice.post(url(world), {**PICKED, "sample": sample[:-3] + "abc"})
    assert tampered.status_code == 302
    assert tampered.url == url(world)
    assert not CsvMapping.objects.exists()


def test_a_file_that_is_not_a_csv_and_a_bad_mapping_are_refused_with_messages(world, staff_client):
    """Not a CSV: refused at once. Both layouts at once: refused with the importer's reason, nothing saved."""
    alice = staff_client(world.alice)
    refused = send(alice, world, "just one line")
    assert refused.status_code == 400
    assert "this is not a CSV file whose first line names its columns" in refused.content.decode()
    sample = sample_of(send(alice, world))
    both = alice.post(url(world), {**PICKED, "sample": sample, "word_0": "steps", "column_steps": "amount"})
    assert both.status_code == 400
    assert "choose one layout" in both.content.decode()
    assert not CsvMapping.objects.exists()


@pytest.mark.browser
def test_alice_picks_columns_with_the_keyboard_and_the_pages_pass_axe(live_server, page, world, staff_client):
    """Alice sends the file and picks with the keyboard only; each step passes axe; the mapping is Sam's."""
    alice = staff_client(world.alice)
    cookie = alice.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + url(world))
    assert_no_serious_axe_violations(page, context_label="clinician CSV picker, file")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "ring.csv", "mimeType": "text/csv", "buffer": LONG.encode()}]
    )
    page.get_by_role("button", name="Show its columns").press("Enter")
    page.wait_for_load_state("load")
    expect(page.get_by_role("table")).to_contain_text("Europe/Madrid")
    assert_no_serious_axe_violations(page, context_label="clinician CSV picker, columns")
    for label, option in (
        ("Time of each row", "when"),
        ("Time zone of each row", "tz"),
        ("Value of each row", "amount"),
        ("Type of each row", "what"),
        ("Unit of each row", "unit"),
    ):
        select = page.get_by_label(label)
        select.focus()
        select.select_option(option)  # what a keyboard user's arrow keys choose, without opening the list
    page.get_by_label("Name for this source").press("Enter")  # a select does not submit on Enter; a text box does
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Now say what each type")
    assert_no_serious_axe_violations(page, context_label="clinician CSV picker, type words")
    words = page.get_by_label("Rows of type “steps” are")
    words.focus()
    page.keyboard.press("ArrowDown")  # from "Leave these rows out" to the first kind, Steps
    page.get_by_label("Name for this source").press("Enter")
    page.wait_for_load_state("load")
    expect(page).to_have_url(live_server.url + reverse("wearables:sources", args=[world.sam.pk]))
    assert CsvMapping.objects.get(client=world.sam).mapping["types"] == {"steps": "steps"}
