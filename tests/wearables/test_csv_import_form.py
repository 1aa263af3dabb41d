"""Import a CSV by picking its columns: upload, see the header and first rows, pick, save, and it imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from alongside.wearables import uploads
from alongside.wearables.models import CsvMapping, DailyFeature, Metric, Upload, UploadStatus
from tests.a11y import assert_no_serious_axe_violations

# One measurement a row, with its own zone and unit: the layout the select form adds (value, type, unit, zone).
LONG = (
    "when,what,amount,unit,tz\n"
    "2024-03-09 08:00,steps,1200,count,Europe/Madrid\n"
    "2024-03-09 09:00,steps,800,count,Europe/Madrid\n"
    "2024-03-09 09:30,hrv,0.045,s,+01:00\n"
    "2024-03-09 10:00,note,5,,Europe/Madrid\n"
)
PICKED = {
    "time": "when",
    "end": "",
    "minutes": "10",
    "time_format": "",
    "zone_column": "tz",
    "zone": "UTC",
    "source": "Ring app",
    "value": "amount",
    "type": "what",
    "unit": "unit",
}


@pytest.fixture
def sam(world, client, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    settings.WEARABLES_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.sam.user)
    return world


def send(client, text: str, name: str = "ring.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("wearables:csv_import"), {"file": upload})


def test_sam_picks_the_columns_of_a_long_csv_and_it_imports(sam, client, django_capture_on_commit_callbacks):
    """The page shows the file's header and first rows; choosing a type column asks what each of its words is;
    saving stores the mapping and imports the held file with it (units converted, the zone column read)."""
    sent = send(client, LONG)
    assert sent.status_code == 302
    pick = sent.url
    page = client.get(pick).content.decode()
    assert '<th scope="col">amount</th>' in page
    assert "<td>1200</td>" in page
    assert '<option value="tz">tz</option>' in page
    asked = client.post(pick, PICKED)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Rows of type “steps” are" in text
    assert "Rows of type “note” are" in text
    assert 'value="Ring app"' in text  # the choices made are kept while asking
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(pick, {**PICKED, "word_0": "steps", "word_1": "hrv_rmssd", "word_2": ""})
    assert done.status_code == 302
    saved = CsvMapping.objects.get(client=sam.sam).mapping
    assert saved["types"] == {"steps": "steps", "hrv": "hrv_rmssd"}
    assert (saved["value"], saved["type"], saved["unit"], saved["zone_column"]) == ("amount", "what", "unit", "tz")
    upload = Upload.objects.get(client=sam.sam)
    assert upload.status == UploadStatus.DONE, upload.message
    got = {(f.day.isoformat(), f.metric): f.value for f in DailyFeature.objects.filter(client=sam.sam)}
    assert got[("2024-03-09", Metric.STEPS)] == 2000
    assert got[("2024-03-09", Metric.HRV_RMSSD)] == 45.0  # 0.045 s in ms
    assert not uploads.part_path(upload).exists()


def test_the_saved_mapping_is_offered_for_the_next_file(sam, client, django_capture_on_commit_callbacks):
    """The next file with the same columns opens with the saved choices selected, its type words included."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send(client, LONG).url, {**PICKED, "word_0": "steps", "word_1": "hrv_rmssd", "word_2": ""})
    page = client.get(send(client, LONG, "ring2.csv").url).content.decode()
    assert '<option value="amount" selected>amount</option>' in page
    assert '<option value="tz" selected>tz</option>' in page
    assert '<option value="hrv_rmssd" selected>' in page
    assert 'value="Ring app"' in page


def test_a_wide_csv_maps_a_column_per_kind(sam, client, django_capture_on_commit_callbacks):
    """Without value and type columns, each kind's select names its column (steps and heart rate in one row)."""
    pick = send(client, "time,steps,bpm\n2024-03-09T08:00:00+01:00,300,61\n").url
    wide = {**PICKED, "value": "", "type": "", "unit": "", "zone_column": "", "time": "time"}
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(pick, {**wide, "column_steps": "steps", "column_heart_rate": "bpm"})
    assert done.status_code == 302
    got = {f.metric: f.value for f in DailyFeature.objects.filter(client=sam.sam)}
    assert got[Metric.STEPS] == 300


def test_mistakes_are_shown_beside_their_fields_and_nothing_is_imported(sam, client):
    """No time column: a 400 whose error is tied to the select; both layouts at once: the reason, nothing saved."""
    pick = send(client, LONG).url
    missing = client.post(pick, {**PICKED, "time": "", "word_0": "steps"}).content.decode()
    assert 'aria-describedby="id_time_error"' in missing
    assert 'id="id_time_error"' in missing
    both = client.post(pick, {**PICKED, "word_0": "steps", "column_steps": "amount"})
    assert both.status_code == 400
    assert "choose one layout" in both.content.decode()
    assert not CsvMapping.objects.exists()
    assert Upload.objects.get(client=sam.sam).status == UploadStatus.RECEIVING


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "empty"), ("just one line without commas\n", "not a CSV"), ("\xff\xfe garbage", "not a CSV")],
)
def test_a_file_that_is_not_a_csv_is_refused_at_once(sam, client, text, words):
    """An empty file or one without a header of columns is refused naming the file; nothing is held."""
    response = send(client, text, "odd.csv")
    assert response.status_code == 400
    body = response.content.decode()
    assert "odd.csv" in body
    assert words in body
    assert not Upload.objects.exists()


def test_another_persons_held_file_is_a_404(sam, client, world):
    """Only the client who sent the file can see its rows or pick its columns."""
    pick = send(client, LONG).url
    client.force_login(world.other_client.user)
    assert client.get(pick).status_code == 404
    assert client.post(pick, PICKED).status_code == 404


def test_a_unit_the_importer_does_not_know_is_refused_naming_the_line(sam, client, django_capture_on_commit_callbacks):
    """A heart rate in 'furlongs' stops the import with the file and line named; nothing is imported."""
    pick = send(client, "when,what,amount,unit,tz\n2024-03-09 08:00,hr,60,furlongs,UTC\n").url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pick, {**PICKED, "word_0": "heart_rate"})
    upload = Upload.objects.get(client=sam.sam)
    assert upload.status == UploadStatus.FAILED
    assert "ring.csv, line 2" in upload.message
    assert "furlongs" in upload.message
    assert not DailyFeature.objects.exists()


@pytest.mark.browser
def test_sam_picks_columns_with_the_keyboard_and_the_pages_pass_axe(
    live_server, page, world, client, settings, tmp_path
):
    """Sam chooses the file, tabs through the selects, and saves with the keyboard; each step passes axe."""
    settings.WEARABLES_DIR = tmp_path / "store"
    settings.WEARABLES_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.sam.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + reverse("wearables:csv_import"))
    assert_no_serious_axe_violations(page, context_label="CSV import, file")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "ring.csv", "mimeType": "text/csv", "buffer": LONG.encode()}]
    )
    page.get_by_role("button", name="Show its columns").press("Enter")
    page.wait_for_load_state("load")
    expect(page.get_by_role("table")).to_contain_text("Europe/Madrid")
    assert_no_serious_axe_violations(page, context_label="CSV import, columns")
    page.get_by_label("Time of each row").select_option("when")
    page.get_by_label("Time zone of each row").select_option("tz")
    page.get_by_label("Value of each row").select_option("amount")
    page.get_by_label("Type of each row").select_option("what")
    page.get_by_label("Unit of each row").select_option("unit")
    page.get_by_label("Name for this source").press("Enter")  # a select does not submit on Enter; a text box does
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Now say what each type")
    page.get_by_label("Rows of type “steps” are").select_option("steps")
    page.get_by_label("Name for this source").press("Enter")
    page.wait_for_load_state("load")
    expect(page).to_have_url(live_server.url + reverse("wearables:mine"))
    assert_no_serious_axe_violations(page, context_label="My body data after a CSV import")
    assert CsvMapping.objects.get(client=world.sam).mapping["types"] == {"steps": "steps"}


def test_a_file_already_imported_or_not_a_csv_goes_back_to_my_body_data(
    sam, client, django_capture_on_commit_callbacks
):
    """Once the held file is imported, its page sends Sam back to My body data instead of asking again."""
    pick = send(client, LONG).url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pick, {**PICKED, "word_0": "steps", "word_1": "", "word_2": ""})
    again = client.get(pick)
    assert again.status_code == 302
    assert again.url == reverse("wearables:mine")
