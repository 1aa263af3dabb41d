"""Staff measures pages: a client's progress, schedules, critical alerts and their acknowledgement."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.consent.services import scopes_set
from alongside.measures.models import MeasureSchedule
from alongside.safety.models import AlertStatus, CriticalAlert
from tests.measures.support_staff import add_alert, add_history, add_score

pytestmark = pytest.mark.django_db

PHQ9_ANSWERS = {f"phq9-{n}": 2 for n in range(1, 10)}


def test_progress_page_shows_chart_table_and_item_heat_map(world, staff_client) -> None:
    """The care team sees each instrument's scores as a chart and a table, and the item answers as a heat map."""
    add_score(world.sam, "phq9", 18, days_ago=56, answers=PHQ9_ANSWERS)
    add_score(world.sam, "phq9", 11, days_ago=0, answers={**PHQ9_ANSWERS, "phq9-1": 0})
    add_history(world.sam, "gad7", [12, 6])
    body = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk])).content.decode()
    assert 'id="instrument-phq9"' in body
    assert 'id="instrument-gad7"' in body
    assert "<svg" in body
    assert "<table" in body
    assert "Answers to each item" in body
    assert "<script>" not in body  # no inline script (strict CSP); only our deferred htmx file
    assert " style=" not in body


def test_revoked_scope_hides_scores_on_the_progress_page(world, staff_client) -> None:
    """A client who stops sharing questionnaires: the page says so and shows no score."""
    add_history(world.sam, "phq9", [23, 19])
    scopes_set(client=world.sam, scopes={"measures": False}, actor=world.sam.user)
    response = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "not sharing questionnaires" in body
    assert "instrument-phq9" not in body
    assert ">23<" not in body


@pytest.mark.parametrize("who", ["bob", "carol", "admin"])
def test_outsiders_get_404_on_the_progress_and_schedule_pages(world, staff_client, who) -> None:
    """Off-team staff, staff of another practice and a practice admin not on the team learn nothing (404)."""
    add_history(world.sam, "phq9", [23, 19])
    web = staff_client(getattr(world, who))
    assert web.get(reverse("measures:progress", args=[world.sam.pk])).status_code == 404
    assert web.get(reverse("measures:schedules", args=[world.sam.pk])).status_code == 404


def test_outsiders_get_404_on_an_alert(world, staff_client) -> None:
    """Bob (off the team), Carol (another practice) and the admin (alert not escalated) get 404 on the alert."""
    alert = add_alert(world.sam, recipients=(world.alice,))
    for outsider in (world.bob, world.carol, world.admin):
        response = staff_client(outsider).get(reverse("measures:alert_detail", args=[alert.pk]))
        assert response.status_code == 404, outsider
        response = staff_client(outsider).post(reverse("measures:alert_detail", args=[alert.pk]), {"note": "x"})
        assert response.status_code == 404, outsider
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_acknowledging_an_alert_needs_a_note(world, staff_client) -> None:
    """An empty note is refused with a message on the field; with a note the alert is acknowledged."""
    alert = add_alert(world.sam, recipients=(world.alice,))
    web = staff_client(world.alice)
    url = reverse("measures:alert_detail", args=[alert.pk])
    response = web.post(url, {"note": "   "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    response = web.post(url, {"note": "Phoned Sam; safety plan reviewed."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.note == "Phoned Sam; safety plan reviewed."
    assert alert.acknowledged_by == world.alice


def test_alert_list_and_nav_count(world, staff_client) -> None:
    """Alice sees her client's open alert and an unread count in the nav; opening the alert reads the notice."""
    alert = add_alert(world.sam, recipients=(world.alice,))
    web = staff_client(world.alice)
    body = web.get(reverse("measures:alerts")).content.decode()
    assert reverse("measures:alert_detail", args=[alert.pk]) in body
    assert 'class="nav-count">1<' in body
    web.get(reverse("measures:alert_detail", args=[alert.pk]))
    assert "nav-count" not in web.get(reverse("measures:alerts")).content.decode()
    assert reverse("measures:alert_detail", args=[alert.pk]) not in (
        staff_client(world.bob).get(reverse("measures:alerts")).content.decode()
    )


def test_admin_sees_escalated_alert_but_cannot_acknowledge(world, staff_client) -> None:
    """An escalated alert is listed for the practice admin, who is told to contact the care team."""
    from django.utils import timezone

    alert = add_alert(world.sam)
    CriticalAlert.objects.filter(pk=alert.pk).update(status=AlertStatus.ESCALATED, escalated_at=timezone.now())
    web = staff_client(world.admin)
    assert reverse("measures:alert_detail", args=[alert.pk]) in web.get(reverse("measures:alerts")).content.decode()
    body = web.get(reverse("measures:alert_detail", args=[alert.pk])).content.decode()
    assert "Only a clinician on the client" in body
    assert web.post(reverse("measures:alert_detail", args=[alert.pk]), {"note": "Seen"}).status_code == 403


def test_schedule_form_sets_and_ends_schedules(world, staff_client) -> None:
    """A practice default sets PHQ-9 and GAD-7 every 14 days; each current schedule has an end button."""
    web = staff_client(world.alice)
    url = reverse("measures:schedules", args=[world.sam.pk])
    body = web.get(url).content.decode()
    assert '<label for="id_default">' in body
    assert '<label for="id_interval_days">' in body
    assert web.post(url, {"default": "phq9_gad7_fortnightly"}).status_code == 302
    current = MeasureSchedule.objects.filter(client=world.sam, ended_at__isnull=True)
    assert sorted(current.values_list("instrument", "interval_days")) == [("gad7", 14), ("phq9", 14)]
    response = web.post(url, {"instruments": ["who5"], "rule": "before_session"})
    assert response.status_code == 302
    body = web.get(url).content.decode()
    assert "WHO-5" in body
    assert "Completion" in body
    schedule = current.get(instrument="who5")
    assert web.post(reverse("measures:schedule_end", args=[schedule.pk])).status_code == 302
    schedule.refresh_from_db()
    assert schedule.ended_at is not None


def test_schedule_form_refuses_missing_choices(world, staff_client) -> None:
    """Without a questionnaire, or every-N-days without N, the form says what is missing."""
    web = staff_client(world.alice)
    url = reverse("measures:schedules", args=[world.sam.pk])
    body = web.post(url, {"rule": "every_n_days"}).content.decode()
    assert "Choose at least one questionnaire" in body
    body = web.post(url, {"instruments": ["phq9"], "rule": "every_n_days"}).content.decode()
    assert "Say every how many days" in body
    assert not MeasureSchedule.objects.filter(client=world.sam).exists()


def test_client_record_links_to_progress_for_the_care_team(world, staff_client) -> None:
    """Alice's view of Sam's record links to his progress; the admin's (not on the team) does not."""
    link = reverse("measures:progress", args=[world.sam.pk])
    assert link in staff_client(world.alice).get(reverse("care:client_detail", args=[world.sam.pk])).content.decode()
    assert (
        link not in staff_client(world.admin).get(reverse("care:client_detail", args=[world.sam.pk])).content.decode()
    )
