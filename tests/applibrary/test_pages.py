"""The library, app and compare pages for clinicians, and the readiness check for the client and their clinician."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.applibrary.models import ReadinessCheck
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EHEALS_ALL_AGREE = {f"eheals_{n}": "4" for n in range(1, 9)}


def _rows(body: str) -> list[str]:
    return [part for part in body.split("<tr")[1:] if '<th scope="row">' in part]


def test_the_library_lists_available_apps_and_hides_withdrawn_ones_unless_asked(world, staff_client):
    """Withdrawn apps appear only with 'include withdrawn', marked with an unknown closure date."""
    browser = staff_client(world.alice)
    body = browser.get(reverse("applibrary:library")).content.decode()
    assert "Daylio" in body
    assert "Woebot" not in body
    body = browser.get(reverse("applibrary:library"), {"withdrawn": "on"}).content.decode()
    assert "Woebot" in body
    assert "closure date unknown" in body


def test_filters_combine(world, staff_client):
    """Target, platform and cost narrow the list together: free sleep apps on Android."""
    query = {"target": "sleep", "platform": "android", "cost": "free"}
    body = staff_client(world.alice).get(reverse("applibrary:library"), query).content.decode()
    names = {name for name in ("CBT-i Coach", "Headspace", "Calm", "Insight Timer", "Daylio") if name in body}
    assert names == {"CBT-i Coach"}


def test_privacy_and_evidence_filters_need_a_yes(world, staff_client):
    """Asking for 'usable without an account' keeps Daylio (yes) and drops Headspace (no) and eMoods (unknown)."""
    query = {"privacy": ["no_account_needed"], "evidence": ""}
    body = staff_client(world.alice).get(reverse("applibrary:library"), query).content.decode()
    assert "Daylio" in body
    assert "Headspace" not in body
    assert "eMoods" not in body
    body = staff_client(world.alice).get(reverse("applibrary:library"), {"evidence": "peer_reviewed"}).content.decode()
    assert "Daylio" not in body  # unknown is not yes


def test_the_app_page_shows_each_level_and_marks_unverified_answers(world, staff_client):
    """Five APA levels as captioned tables; starter answers carry the 'unverified' mark."""
    body = staff_client(world.alice).get(reverse("applibrary:app", args=["daylio"])).content.decode()
    for level in ("Access and background", "Privacy and security", "Clinical foundation", "Engagement style"):
        assert f"<caption>{level}</caption>" in body
    assert "unverified" in body
    assert "2026-12-06" in body


def test_compare_puts_two_or_three_apps_side_by_side(world, staff_client):
    """Columns in the order chosen; a fourth app is ignored."""
    query = {"apps": ["calm", "headspace", "daylio", "emoods"]}
    body = staff_client(world.alice).get(reverse("applibrary:compare"), query).content.decode()
    header = body.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Calm") < header.index("Headspace") < header.index("Daylio")
    assert "eMoods" not in header


def test_clients_cannot_open_the_library(world, client):
    """The library is a staff page: a client is refused."""
    client.force_login(world.sam.user)
    assert client.get(reverse("applibrary:library")).status_code == 403


def test_the_client_fills_in_the_readiness_check(world, client):
    """Sam's answers are stored encrypted with the eHEALS total and a suggested set-up, and the write is audited."""
    client.force_login(world.sam.user)
    answers = {"devices": ["smartphone"], "connectivity": "patchy", "phone_seen_by_others": "no", **EHEALS_ALL_AGREE}
    response = client.post(reverse("applibrary:own_readiness"), answers)
    assert response.status_code == 302
    check = ReadinessCheck.objects.get(client=world.sam)
    assert check.eheals_total == 32
    assert not check.filled_by_clinician
    assert check.configuration["low_bandwidth"] is True
    assert check.configuration["paper_pack"] is False
    assert "patchy" not in check.answers_sealed  # encrypted at rest
    assert AuditEvent.objects.filter(action="applibrary.readiness_recorded", client_id=world.sam.pk).exists()
    body = client.get(reverse("applibrary:own_readiness")).content.decode()
    assert "Low-bandwidth mode" in body
    assert "32 of 40" in body


def test_the_clinician_fills_it_in_with_the_client_and_sees_prompts(world, staff_client):
    """Alice records a check with a prompt; the page shows it as a prompt and suggests discreet mode."""
    browser = staff_client(world.alice)
    url = reverse("applibrary:client_readiness", args=[world.sam.pk])
    answers = {"devices": ["smartphone"], "connectivity": "good", "phone_seen_by_others": "no"}
    response = browser.post(url, {**answers, "prompts": ["controlling_partner"]})
    assert response.status_code == 302
    check = ReadinessCheck.objects.get(client=world.sam)
    assert check.filled_by_clinician
    assert check.eheals_total is None
    assert check.configuration["discreet"] is True
    body = browser.get(url).content.decode()
    assert "A partner or family member who checks the phone" in body
    assert AuditEvent.objects.filter(action="applibrary.readiness_viewed", client_id=world.sam.pk).exists()


def test_clinicians_outside_the_care_team_cannot_see_or_write_it(world, staff_client):
    """Bob (same practice, not on Sam's team) and Carol (another practice) get 404 and write nothing."""
    url = reverse("applibrary:client_readiness", args=[world.sam.pk])
    for outsider in (world.bob, world.carol, world.admin):
        browser = staff_client(outsider)
        assert browser.get(url).status_code == 404
        assert browser.post(url, {"connectivity": "good", "phone_seen_by_others": "no"}).status_code == 404
    assert not ReadinessCheck.objects.exists()


def test_a_second_check_keeps_the_first_dated(world, staff_client):
    """Suitability revisited is a new check: the page shows the latest and lists the earlier one by date."""
    browser = staff_client(world.alice)
    url = reverse("applibrary:client_readiness", args=[world.sam.pk])
    answers = {"devices": ["smartphone"], "connectivity": "good", "phone_seen_by_others": "no"}
    browser.post(url, answers)
    browser.post(url, {**answers, "connectivity": "patchy"})
    assert ReadinessCheck.objects.filter(client=world.sam).count() == 2
    body = browser.get(url).content.decode()
    assert "Earlier checks" in body
    assert "(with the clinician)" in body


def test_the_library_costs_the_same_queries_however_many_evaluations(world, staff_client, tmp_path):
    """Evaluations and answers are prefetched: 3 queries of the library's own for 14 apps, and v2 adds none."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.applibrary import catalogue
    from alongside.applibrary.services import catalogue_load

    browser = staff_client(world.alice)
    url = reverse("applibrary:library")
    browser.get(url)
    with CaptureQueriesContext(connection) as before:
        browser.get(url)
    own = [q for q in before.captured_queries if '"applibrary_' in q["sql"]]
    assert len(own) == 3  # apps, evaluations and answers; the rest is the signed-in page shell, owned by other apps
    data = json.loads(catalogue.CATALOGUE.read_text())
    data["evaluated_on"], data["review_by"] = "2027-01-10", "2027-07-10"
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(data))
    catalogue_load(actor=None, data=catalogue.read(path))
    with CaptureQueriesContext(connection) as after:
        body = browser.get(url).content.decode()
    assert "(v2)" in body
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_shipped_catalogue_notes_are_marked_for_translation_word_for_word():
    """The catalogue file's "about" is the string marked for the translators, so the Spanish catalogue carries it."""
    from alongside.applibrary import catalogue

    assert catalogue.read().about == catalogue.SHIPPED_NOTES


def test_the_app_page_translates_the_shipped_notes_and_keeps_a_practices_own(world, staff_client):
    """In Spanish the starter evaluation's notes read in Spanish; notes a practice wrote are shown as written."""
    from django.conf import settings

    from alongside.applibrary.models import Evaluation

    browser = staff_client(world.alice)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = reverse("applibrary:app", args=["daylio"])
    body = browser.get(page).content.decode()
    assert "Catálogo inicial de apps externas de Alongside" in body
    assert "Apps change owners" not in body

    Evaluation.objects.filter(app__slug="daylio").update(notes="Revisado en consulta: la exportación funciona.")
    assert "Revisado en consulta: la exportación funciona." in browser.get(page).content.decode()
