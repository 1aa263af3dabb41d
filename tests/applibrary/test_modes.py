"""Display modes: a readiness check's set-up applied in one step, and what each mode changes on the client's pages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alongside.applibrary.models import ClientModes
from alongside.applibrary.readiness import Connectivity, Device, ReadinessAnswers, Seen
from alongside.applibrary.services import modes_apply_check, modes_set, readiness_record
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _check(world, **answers):
    base = {"devices": [Device.SMARTPHONE], "connectivity": Connectivity.GOOD}
    return readiness_record(actor=world.sam.user, client=world.sam, answers=ReadinessAnswers(**{**base, **answers}))


def _modes(world, **on):
    flags = {"discreet": False, "low_bandwidth": False, "large_text": False, "paper_pack": False, **on}
    return modes_set(actor=world.sam.user, client=world.sam, **flags)


def test_the_clinician_applies_the_suggested_set_up_in_one_click(world, staff_client):
    """Patchy internet and a phone others use: one POST turns on low-bandwidth and discreet mode, audited."""
    _check(world, connectivity=Connectivity.PATCHY, phone_seen_by_others=Seen.YES)
    browser = staff_client(world.alice)
    response = browser.post(reverse("applibrary:client_modes_apply", args=[world.sam.pk]))
    assert response.status_code == 302
    modes = ClientModes.objects.get(client=world.sam)
    assert (modes.discreet, modes.low_bandwidth, modes.large_text, modes.paper_pack) == (True, True, False, False)
    assert AuditEvent.objects.filter(action="applibrary.modes_set", actor_id=world.alice.pk).count() == 1


def test_only_the_client_or_their_care_team_set_modes(world):
    """Bob is not on Sam's care team: refused, nothing stored."""
    check = _check(world)
    with pytest.raises(PermissionDenied):
        modes_apply_check(actor=world.bob, client=world.sam, check_id=check.pk)
    assert not ClientModes.objects.exists()


def test_discreet_mode_hides_the_name_and_clinical_words_from_title_and_icon(world, client):
    """In discreet mode the title is 'Notes', the icon is the neutral one and a quick exit is on every page."""
    client.force_login(world.sam.user)
    before = client.get(reverse("applibrary:my_apps")).content.decode()
    assert "<title>Apps from your therapist · Alongside</title>" in before
    _modes(world, discreet=True)
    body = client.get(reverse("applibrary:my_apps")).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert title == "Notes"
    assert "applibrary/neutral" in body
    assert "web/favicon" not in body
    assert 'class="quick-exit"' in body
    manifest = json.loads(client.get(reverse("applibrary:manifest")).content)
    assert manifest["name"] == "Notes"
    assert "neutral" in manifest["icons"][0]["src"]


def test_staff_pages_keep_their_title(world, staff_client):
    """Modes belong to clients: a clinician's pages are unchanged and get no mode classes."""
    body = staff_client(world.alice).get(reverse("applibrary:library")).content.decode()
    assert "· Alongside</title>" in body
    assert "mode-" not in body.split("<body")[1].split(">")[0]


def test_low_bandwidth_leaves_the_mood_chart_out_until_asked(world, client):
    """With low-bandwidth on, the check-in history has a link instead of the chart; ?chart=1 brings it back."""
    from alongside.selfcare.services.checkins import checkin_create

    checkin_create(actor=world.sam.user, client=world.sam, mood=6, idempotency_key="modes-test-1")
    client.force_login(world.sam.user)
    url = reverse("selfcare:checkins")
    assert 'class="chart-wrap"' in client.get(url).content.decode()
    _modes(world, low_bandwidth=True, large_text=True)
    body = client.get(url).content.decode()
    assert 'class="chart-wrap"' not in body
    assert "Show the chart" in body
    assert "mode-low-bandwidth" in body
    assert "mode-large-text" in body
    assert 'class="chart-wrap"' in client.get(url, {"chart": "1"}).content.decode()


def test_the_paper_pack_is_a_pdf_for_the_client_and_their_clinician(world, client, staff_client):
    """The sheet is a real PDF (WeasyPrint) for Sam and for Alice; Bob gets a 404."""
    client.force_login(world.sam.user)
    response = client.get(reverse("applibrary:own_paper"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    staff = staff_client(world.alice)
    assert staff.get(reverse("applibrary:client_paper", args=[world.sam.pk])).content.startswith(b"%PDF")
    assert staff_client(world.bob).get(reverse("applibrary:client_paper", args=[world.sam.pk])).status_code == 404


def test_a_client_in_discreet_mode_gets_emails_that_name_nothing(world):
    """Homework emails to Sam say 'You have an update' once discreet mode is on; before, they name Alongside."""
    from alongside.notify.mail import OutboundEmail
    from alongside.notify.models import NotificationKind
    from alongside.notify.services import notification_send

    notification_send(recipients=[world.sam.user], kind=NotificationKind.HOMEWORK, link="/")
    first = OutboundEmail.objects.get()
    assert "Alongside" in first.subject
    _modes(world, discreet=True)
    notification_send(recipients=[world.sam.user], kind=NotificationKind.HOMEWORK, link="/", dedupe_key="second")
    latest = OutboundEmail.objects.exclude(pk=first.pk).get()
    assert latest.subject == "You have an update"
    assert "Alongside" not in latest.body


def test_applying_a_check_that_turns_reminders_off_stops_reminder_emails(world):
    """Sam asked for no reminders: applying his check keeps homework and questionnaire notices in the app only."""
    from alongside.notify.models import NotificationKind
    from alongside.notify.services import channels_for

    check = _check(world, wants_reminders=False)
    modes_apply_check(actor=world.sam.user, client=world.sam, check_id=check.pk)
    for kind in (NotificationKind.HOMEWORK, NotificationKind.MEASURE_DUE):
        assert channels_for(user_ids=[world.sam.user.pk], kind=kind)[world.sam.user.pk] == (True, False)
