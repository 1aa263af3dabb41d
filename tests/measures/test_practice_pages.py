"""Practice measure pages: settings, crisis lines, custom questionnaires and the instruments list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.core.models import PracticeSettings
from alongside.measures import services
from alongside.measures.models import CustomInstrument, MeasureResponse, MeasureScore
from alongside.measures.practice_selectors import instrument_for, practice_default_schedule
from alongside.safety.models import AlertStatus, CriticalAlert
from alongside.safety.services import alerts as alert_services
from tests.measures.support_client import due_request

pytestmark = pytest.mark.django_db
BACKEND = "alongside.accounts.backends.EmailBackend"


def questionnaire(**changes):
    resource = {
        "resourceType": "Questionnaire",
        "id": "sleep-check",
        "status": "active",
        "title": "Sleep check",
        "item": [
            {
                "linkId": "q1",
                "text": "How well did you sleep?",
                "type": "choice",
                "required": True,
                "answerOption": [{"valueInteger": 0}, {"valueInteger": 2}],
            },
            {
                "linkId": "q2",
                "text": "Did you nap?",
                "type": "choice",
                "required": True,
                "answerOption": [{"valueInteger": 0}, {"valueInteger": 1}],
            },
        ],
    }
    resource.update(changes)
    return resource


def _upload(client, content: bytes):
    file = SimpleUploadedFile("q.json", content, content_type="application/json")
    return client.post(reverse("measures:instrument_import"), {"questionnaire": file})


PAGES = ["measures:practice_settings", "measures:practice_crisis", "measures:instrument_import"]


@pytest.mark.parametrize("name", PAGES)
def test_admin_pages_refuse_clinicians_and_clients(name, world, staff_client, client):
    """A clinician and a client get 403 on the practice settings pages; the admin gets the page."""
    assert staff_client(world.alice).get(reverse(name)).status_code == 403
    client.force_login(world.sam.user, backend=BACKEND)
    assert client.get(reverse(name)).status_code == 403
    assert staff_client(world.admin).get(reverse(name)).status_code == 200


def test_outsider_never_sees_or_changes_another_practices_settings(world, staff_client):
    """Carol (admin of her own practice or not) cannot reach this practice's settings: no id is taken from the URL."""
    PracticeSettings.objects.create(practice=world.practice, escalation_minutes=77)
    page = staff_client(world.carol).get(reverse("measures:practice_settings"))
    assert b'value="77"' not in page.content
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service
        services.practice_settings_set(actor=world.carol, practice=world.practice, escalation_minutes=30)
    assert PracticeSettings.objects.get(practice=world.practice).escalation_minutes == 77


def test_anonymous_is_sent_to_sign_in(client):
    """Signed-out visitors are redirected to sign in."""
    assert client.get(reverse("measures:practice_settings")).status_code == 302


def _settings_post(**changes):
    data = {
        "escalation_minutes": 30,
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "clients_see_results": "on",
        "default_instrument": "",
        "default_rule": "",
        "default_interval_days": "",
    }
    data.update(changes)
    return data


def test_escalation_minutes_set_on_the_page_take_effect_in_alerts_escalate(world, staff_client):
    """After the admin sets 30 minutes, an alert escalates at 31 minutes, not at 29."""
    admin = staff_client(world.admin)
    assert admin.post(reverse("measures:practice_settings"), _settings_post()).status_code == 302
    request = due_request(world)
    response = services.response_start(
        actor=world.sam.user,
        client_id=world.sam.pk,
        instrument="phq9",
        idempotency_key="esc-key-1",
        request_id=request.pk,
    )
    services.response_submit(
        actor=world.sam.user, response_id=response.pk, answers={f"phq9-{n}": 1 for n in range(1, 11)}
    )
    alert = CriticalAlert.objects.get(response=response)
    assert alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(minutes=29)) == []
    assert [a.pk for a in alert_services.alerts_escalate(now=alert.created_at + dt.timedelta(minutes=31))] == [alert.pk]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED


def test_practice_default_schedule_is_saved_and_read(world, staff_client):
    """The default questionnaire and rule saved on the page come back from practice_default_schedule."""
    admin = staff_client(world.admin)
    page = admin.post(
        reverse("measures:practice_settings"),
        _settings_post(default_instrument="gad7", default_rule="every_n_days", default_interval_days=14),
    )
    assert page.status_code == 302
    default = practice_default_schedule(world.practice)
    assert default is not None
    assert (default.instrument, default.rule, default.interval_days) == (
        "gad7",
        "every_n_days",
        14,
    )


def test_clients_see_results_off_hides_the_explanation_but_not_the_clinicians_scores(world, staff_client, client):
    """With result sharing off the client's results page has no score; the score is stored for the clinician."""
    staff_client(world.admin).post(reverse("measures:practice_settings"), _settings_post(clients_see_results=""))
    request = due_request(world)
    response = services.response_start(
        actor=world.sam.user,
        client_id=world.sam.pk,
        instrument="phq9",
        idempotency_key="res-key-1",
        request_id=request.pk,
    )
    answers = {f"phq9-{n}": 2 for n in range(1, 9)} | {"phq9-9": 0, "phq9-10": 1}
    services.response_submit(actor=world.sam.user, response_id=response.pk, answers=answers)
    client.force_login(world.sam.user, backend=BACKEND)
    body = client.get(reverse("measures:result", args=[response.pk])).content.decode()
    assert "Your score" not in body
    assert "Thank you" in body
    assert MeasureScore.objects.get(response=response).total == 16
    clinician = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk]))
    assert clinician.status_code == 200
    assert "16" in clinician.content.decode()


def test_clients_see_results_on_by_default(world, client):
    """Without a setting, the client sees their score explained."""
    request = due_request(world)
    response = services.response_start(
        actor=world.sam.user,
        client_id=world.sam.pk,
        instrument="phq9",
        idempotency_key="res-key-2",
        request_id=request.pk,
    )
    answers = {f"phq9-{n}": 1 for n in range(1, 9)} | {"phq9-9": 0, "phq9-10": 1}
    services.response_submit(actor=world.sam.user, response_id=response.pk, answers=answers)
    client.force_login(world.sam.user, backend=BACKEND)
    assert "Your score" in client.get(reverse("measures:result", args=[response.pk])).content.decode()


def _crisis_post(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "form-MAX_NUM_FORMS": "10"}
    for i, row in enumerate(rows):
        for key in ("country", "name", "phone", "text", "url", "description"):
            data[f"form-{i}-{key}"] = row.get(key, "")
    return data


def test_crisis_editor_saves_rows_and_shows_them_to_clients_of_that_country(world, staff_client):
    """A US line is shown before the US defaults; a GB-only line is not."""
    admin = staff_client(world.admin)
    rows = [
        {"country": "us", "name": "Riverside on-call", "phone": "+1 555 0100"},
        {"country": "GB", "name": "London line", "phone": "020 7946 0000"},
    ]
    assert admin.post(reverse("measures:practice_crisis"), _crisis_post(rows)).status_code == 302
    from alongside.safety import crisis_lines as crisis

    names = [r.name for r in crisis.resources_for("US", "en", practice_id=world.practice.pk)]
    assert names[0] == "Riverside on-call"
    assert "London line" not in names


def test_crisis_editor_rejects_bad_rows_and_keeps_previous_values(world, staff_client):
    """A row with no way to reach the line, a bad country or a non-https address is refused; nothing changes."""
    previous = [{"country": "", "name": "Kept", "phone": "123", "text": "", "url": "", "description": ""}]
    PracticeSettings.objects.create(practice=world.practice, crisis_resources=previous)
    admin = staff_client(world.admin)
    rows = [
        {"name": "Good", "phone": "999"},
        {"name": "Unreachable"},
        {"name": "Bad country", "country": "U1", "phone": "1"},
        {"name": "Bad url", "url": "javascript:alert(1)"},
    ]
    page = admin.post(reverse("measures:practice_crisis"), _crisis_post(rows))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nothing was changed" in body
    assert "Line 2" in body
    assert "Line 3" in body
    assert "Line 4" in body
    assert PracticeSettings.objects.get(practice=world.practice).crisis_resources == previous
    assert "Emergency services" in body  # the defaults shown for reference


def test_crisis_service_refuses_more_than_ten_rows(world):
    """At most ten practice lines."""
    rows = [{"name": f"L{n}", "phone": "1"} for n in range(11)]
    with pytest.raises(ValidationError):
        services.practice_crisis_resources_set(actor=world.admin, practice=world.practice, rows=rows)
    assert not PracticeSettings.objects.filter(practice=world.practice).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b" " * (256 * 1024 + 1), "larger than 256 KB"),
        (b"{not json", "not valid JSON"),
        (b"[" * 100000, "cannot be imported"),
        (json.dumps({"resourceType": "Patient", "id": "x"}).encode(), "not a Questionnaire"),
        (
            json.dumps(
                questionnaire(item=[{"linkId": "a", "type": "choice", "answerOption": [{"valueString": "often"}]}])
            ).encode(),
            "valueInteger",
        ),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_custom_import_refuses_bad_files_with_a_clear_message_and_saves_nothing(world, staff_client, content, message):
    """Oversized, malformed, non-Questionnaire files and items without integer answers are refused."""
    page = _upload(staff_client(world.admin), content)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not CustomInstrument.objects.exists()


def test_valid_import_is_listed_as_not_validated_and_scored_by_sum(world, staff_client):
    """An imported questionnaire appears on the instruments page labelled not validated, and sum-scores."""
    admin = staff_client(world.admin)
    assert _upload(admin, json.dumps(questionnaire()).encode()).status_code == 302
    row = CustomInstrument.objects.get(practice=world.practice)
    assert row.code == "customsleepcheck"
    assert row.created_by == world.admin
    body = staff_client(world.alice).get(reverse("measures:instruments")).content.decode()
    assert "Sleep check" in body
    assert "not validated" in body
    from alongside.measures import library

    instrument = instrument_for(world.practice, row.code)
    assert instrument.validated is False
    assert library.score(instrument, {"q1": 2, "q2": 1}).total == 3
    with pytest.raises(LookupError):
        instrument_for(world.other_practice, row.code)
    # A second import with the same id is refused, clearly.
    again = _upload(staff_client(world.admin), json.dumps(questionnaire()).encode())
    assert "already has a questionnaire" in again.content.decode()
    assert CustomInstrument.objects.count() == 1


def test_custom_questionnaire_can_be_scheduled_answered_and_scored(world):
    """Through the services, a practice's own questionnaire is scheduled, answered and sum-scored."""
    services.custom_instrument_import(
        actor=world.admin, practice=world.practice, raw=json.dumps(questionnaire()).encode()
    )
    request = due_request(world, code="customsleepcheck")
    response = services.response_start(
        actor=world.sam.user,
        client_id=world.sam.pk,
        instrument="customsleepcheck",
        idempotency_key="custom-key-1",
        request_id=request.pk,
    )
    services.response_save_answer(actor=world.sam.user, response_id=response.pk, link_id="q1", value=2)
    result = services.response_submit(actor=world.sam.user, response_id=response.pk, answers={"q2": 1})
    assert result.score.total == 3
    assert result.alert is None


def test_instruments_page_shows_licences_and_citations(world, staff_client):
    """Every shipped instrument is listed with its code, licence and citation; none is labelled not validated."""
    from alongside.measures import library

    body = staff_client(world.alice).get(reverse("measures:instruments")).content.decode()
    for instrument in library.all_instruments():
        assert f"<code>{instrument.code}</code>" in body
        assert str(instrument.licence)[:40].replace("&", "&amp;").replace("'", "&#x27;") in body
        assert str(instrument.citation)[:40].replace("&", "&amp;").replace("'", "&#x27;") in body
    assert "not validated" not in body


def test_instruments_page_refuses_clients(world, client):
    """Clients cannot open the staff instruments page."""
    client.force_login(world.sam.user, backend=BACKEND)
    assert client.get(reverse("measures:instruments")).status_code == 403


def test_client_answers_a_custom_questionnaire_on_the_pages_and_sees_the_label(world, client):
    """Sam opens, answers and finishes the practice's own questionnaire; each page labels it not validated."""
    services.custom_instrument_import(
        actor=world.admin, practice=world.practice, raw=json.dumps(questionnaire()).encode()
    )
    request = due_request(world, code="customsleepcheck")
    client.force_login(world.sam.user, backend=BACKEND)
    intro = client.get(reverse("measures:request", args=[request.pk]))
    assert intro.status_code == 200
    assert "not validated" in intro.content.decode()
    assert client.post(reverse("measures:start", args=[request.pk]), {"view": "one"}).status_code == 302
    response = MeasureResponse.objects.get(request=request)
    for link_id, value in (("q1", 2), ("q2", 1)):
        page = client.post(reverse("measures:question", args=[response.pk, link_id]), {"answer": value, "nav": "next"})
        assert page.status_code == 302
    response.refresh_from_db()
    if response.status != "submitted":
        client.post(reverse("measures:review", args=[response.pk]))
    assert MeasureScore.objects.get(response=response).total == 3
    done = client.get(reverse("measures:result", args=[response.pk])).content.decode()
    assert "not validated" in done


def test_schedule_form_offers_the_practice_default_and_applies_it(world, staff_client):
    """With a practice default set, Alice picks it on Sam's schedule page and gets that questionnaire and rule."""
    from alongside.measures.models import MeasureSchedule

    services.practice_settings_set(
        actor=world.admin,
        practice=world.practice,
        default_instrument="who5",
        default_rule="every_n_days",
        default_interval_days=28,
    )
    alice = staff_client(world.alice)
    url = reverse("measures:schedules", args=[world.sam.pk])
    assert "This practice&#x27;s default: who5" in alice.get(url).content.decode()
    assert alice.post(url, {"default": "practice"}).status_code == 302
    schedule = MeasureSchedule.objects.get(client=world.sam, ended_at__isnull=True)
    assert (schedule.instrument, schedule.rule, schedule.interval_days) == ("who5", "every_n_days", 28)
