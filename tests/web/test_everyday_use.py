"""Everyday use (issue #14): one clock, translated API errors and error pages, and the second-factor step."""

from __future__ import annotations

import datetime as dt
import json

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import TotpDevice
from alongside.selfcare.services.checkins import checkin_create
from tests.factories import PASSWORD

# 14:37 UTC on a December day: 15:37 in Madrid, 08:37 in Chicago.
AT = dt.datetime(2026, 12, 3, 14, 37, tzinfo=dt.UTC)


@pytest.fixture
def zoned(world):
    """Sam lives in Madrid; the practice (and so Alice, by default) is in Chicago; Sam checked in at 14:37 UTC."""
    world.sam.practice.time_zone = "America/Chicago"
    world.sam.practice.save(update_fields=["time_zone"])
    world.sam.time_zone = "Europe/Madrid"
    world.sam.save(update_fields=["time_zone"])
    checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="everyday-0001", at=AT, mood=7)
    return world


def test_client_reads_their_check_in_on_their_own_clock(zoned, client) -> None:
    """Sam's check-in list shows 15:37 (Madrid), not the UTC clock 14:37, and dates as '3 Dec 2026'."""
    client.force_login(zoned.sam.user)
    page = client.get(reverse("selfcare:checkins")).content.decode()
    assert "15:37" in page
    assert "14:37" not in page


def test_clinician_reads_the_same_check_in_on_the_practice_clock_until_they_choose_a_zone(zoned, staff_client) -> None:
    """Alice sees 08:37 (the practice's Chicago zone); after choosing Madrid in her settings she sees 15:37."""
    browser = staff_client(zoned.alice)
    url = reverse("selfcare:client_checkins", args=[zoned.sam.pk])
    page = browser.get(url).content.decode()
    assert "08:37" in page
    assert "14:37" not in page
    settings_page = browser.get(reverse("accounts:settings")).content.decode()
    assert "data-zone-picker" in settings_page
    assert "<optgroup" in settings_page  # grouped by country, not one raw list
    response = browser.post(reverse("accounts:settings"), {"action": "time_zone", "time_zone": "Europe/Madrid"})
    assert response.status_code == 302
    zoned.alice.refresh_from_db()
    assert zoned.alice.time_zone == "Europe/Madrid"
    assert "15:37" in browser.get(url).content.decode()


def test_spanish_reader_gets_spanish_dates_and_decimal_commas(zoned, client) -> None:
    """In Spanish a date reads '3 dic 2026' (no US order) on Sam's check-in list."""
    client.force_login(zoned.sam.user)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("selfcare:checkins")).content.decode()
    assert "dic" in page
    assert "Dec." not in page


def test_api_validation_error_is_plain_and_translated(world, client) -> None:
    """A too-long note through the API says the limit in words, in the caller's language, not pydantic's English."""
    client.force_login(world.sam.user)
    body = {"mood": 5, "note": "x" * 10_000, "idempotency_key": "everyday-api-1"}
    response = client.post("/api/v1/selfcare/checkins", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    answer = response.json()
    assert "String should have" not in json.dumps(answer)
    assert "2,000 characters" in answer["message"]
    client.cookies["django_language"] = "es"
    response = client.post("/api/v1/selfcare/checkins", data=json.dumps(body), content_type="application/json")
    assert "2.000" in response.json()["message"]  # the Spanish number; the words come from the catalogue


def test_not_found_page_is_styled_translated_and_navigable(world, client) -> None:
    """A missing page answers 404 with the site's layout, navigation and a way home, in the reader's language."""
    client.force_login(world.sam.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert '<h1 id="error-heading">Page not found</h1>' in page
    assert reverse("web:home") in page
    client.cookies["django_language"] = "es"
    assert '<html lang="es">' in client.get("/no-such-page/").content.decode()


def _password_step(client: Client, user) -> None:
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})


def test_code_of_the_wrong_shape_costs_no_try_and_tries_left_is_pluralised(world, client) -> None:
    """Letters or five digits are refused without using a try; a wrong six-digit code uses one ('4 tries left')."""
    _password_step(client, world.alice)
    verify = reverse("accounts:mfa_verify")
    for bad in ("abcdef", "12345"):
        page = client.post(verify, {"code": bad}).content.decode()
        assert "The code is 6 digits" in page
    assert TotpDevice.objects.get(user=world.alice).failures == 0
    right = pyotp.TOTP(TotpDevice.objects.get(user=world.alice).secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page = client.post(verify, {"code": wrong}).content.decode()
    assert "4 tries left" in page
    for _ in range(3):
        page = client.post(verify, {"code": wrong}).content.decode()
    assert "1 try left" in page
    assert "1 tries left" not in page


def test_pending_second_factor_survives_opening_another_page(world, client) -> None:
    """Between the password and the code, opening another page leads back to the code step, not the password."""
    _password_step(client, world.alice)
    response = client.get(reverse("care:caseload"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:mfa_verify"))
    code = pyotp.TOTP(TotpDevice.objects.get(user=world.alice).secret).now()
    assert client.post(reverse("accounts:mfa_verify"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_running_out_of_recovery_codes_warns_with_a_way_to_make_new_ones(world, staff_client) -> None:
    """With no unused recovery codes, the settings page warns and links to making new ones."""
    page = staff_client(world.alice).get(reverse("accounts:settings")).content.decode()
    assert 'id="codes-warning"' in page
    assert 'href="#recovery-codes"' in page


def test_spanish_client_meets_the_english_original_with_a_notice_not_a_mixed_sentence(world, client) -> None:
    """In Spanish, CORE-10 (no confirmed Spanish version) is the English original, marked lang="en", with a notice in
    Spanish; the intro no longer reads "Las preguntas tratan sobre the last week"."""
    from tests.measures.support_client import due_request

    request = due_request(world, "core10")
    client.force_login(world.sam.user)
    english = client.get(reverse("measures:request", args=[request.pk])).content.decode()
    assert 'id="original-language-notice"' not in english
    client.cookies["django_language"] = "es"
    page = client.get(reverse("measures:request", args=[request.pk])).content.decode()
    assert 'id="original-language-notice"' in page
    assert "sobre the last week" not in page
    assert '<p class="preamble" lang="en">' in page


def test_staff_notices_name_the_client_and_what_happened(world, staff_client) -> None:
    """Alice's notice of Sam's message reads "New message from Sam"; Bob, off Sam's team, gets no name; the email
    stays content-free."""
    from django.core import mail

    from alongside.notify.services import notification_send

    notification_send(recipients=[world.alice, world.bob], kind="message", link="/messages/", client=world.sam)
    page = staff_client(world.alice).get(reverse("notify:list")).content.decode()
    assert "New message from Sam" in page
    assert 'class="plain notify-list"' in page
    bob_page = staff_client(world.bob).get(reverse("notify:list")).content.decode()
    assert "New message from" not in bob_page
    assert all("Sam" not in message.body for message in mail.outbox)


def test_homework_form_marks_fields_by_frequency_and_names_modules_by_their_titles(world, staff_client) -> None:
    """'Times a week' belongs to 'Some days a week', 'Due on' to 'Once', 'Ends on' to the repeating ones (shown by
    forms.js, all shown without it); the reading picker says "The CBT model", not "The cbt model"."""
    page = staff_client(world.alice).get(reverse("selfcare:staff_homework", args=[world.sam.pk])).content.decode()
    assert 'data-show-when="frequency:per_week"' in page
    assert 'data-show-when="frequency:once"' in page
    assert 'data-show-when="frequency:daily,per_week"' in page
    from alongside.selfcare.services.homework_schedule import module_choices

    assert ("the-cbt-model", "The CBT model") in module_choices()


def test_homework_picker_files_exposure_and_planned_activity_apart_from_relaxation_tools(world, staff_client) -> None:
    """The picker groups exposure practice and planned activities under "Practice between sessions"; the
    "Relaxation tool" group keeps only the breathing, muscle-relaxation and grounding tools."""
    import re

    page = staff_client(world.alice).get(reverse("selfcare:staff_homework", args=[world.sam.pk])).content.decode()
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', page, re.S))
    assert 'value="tool:exposure"' in groups["Practice between sessions"]
    assert 'value="tool:activity"' in groups["Practice between sessions"]
    relaxation = groups["Relaxation tool"]
    assert 'value="tool:breathing_box"' in relaxation
    assert "tool:exposure" not in relaxation
    assert "tool:activity" not in relaxation
