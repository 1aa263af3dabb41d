"""Check-in pages: the client's form and history, and the care team's view within the sharing scopes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.selfcare import services
from alongside.selfcare.models import CheckIn, SelfcareAuditAction

pytestmark = pytest.mark.django_db


def _sam(client, world):
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    return client


def test_client_checks_in_with_mood_only(client, world):
    """Mood alone is a check-in; it shows in the calendar afterwards."""
    page = _sam(client, world)
    form = page.get(reverse("selfcare:checkin"))
    assert form.status_code == 200
    assert "very low" in form.content.decode()
    assert "very good" in form.content.decode()
    response = page.post(reverse("selfcare:checkin"), {"mood": "7", "idempotency_key": "form-key-1"}, follow=True)
    assert CheckIn.objects.get().mood == 7
    assert 'id="mood-calendar"' in response.content.decode()


def test_form_with_every_part(client, world):
    """Emotions with intensity, sleep, activities and a note are saved in one submit."""
    page = _sam(client, world)
    page.post(
        reverse("selfcare:checkin"),
        {
            "mood": "4",
            "emotion": ["sad", "tired"],
            "intensity_sad": "8",
            "sleep_quality": "3",
            "sleep_hours": "5,5",
            "activity": ["work"],
            "note": "long day",
            "idempotency_key": "form-key-2",
        },
    )
    checkin = CheckIn.objects.get()
    assert checkin.emotions == [{"name": "sad", "intensity": 8}, {"name": "tired", "intensity": 5}]
    assert str(checkin.sleep_hours) == "5.5"
    assert checkin.note == "long day"


def test_invalid_form_saves_nothing(client, world):
    """A mood out of range is refused with a message and nothing is saved."""
    response = _sam(client, world).post(reverse("selfcare:checkin"), {"mood": "12", "idempotency_key": "form-key-3"})
    assert response.status_code == 422
    assert "checkin-errors" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_double_submit_saves_once(client, world):
    """Submitting the same form twice (same key) saves one check-in."""
    page = _sam(client, world)
    for _ in range(2):
        page.post(reverse("selfcare:checkin"), {"mood": "5", "idempotency_key": "form-key-4"})
    assert CheckIn.objects.count() == 1


def test_staff_cannot_open_client_pages(staff_client, world):
    """The check-in form is the client's own: staff get a 404."""
    assert staff_client(world.alice).get(reverse("selfcare:checkin")).status_code == 404


def _checkin(world, note=""):
    services.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="page-key-1", mood=6, note=note)


def test_care_team_sees_chart_calendar_and_list(staff_client, world):
    """Alice sees Sam's check-ins; the read is audited; the note is hidden without JOURNAL."""
    _checkin(world, note="secret words")
    response = staff_client(world.alice).get(reverse("selfcare:client_checkins", args=[world.sam.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body
    assert 'id="mood-calendar"' in body
    assert "secret words" not in body
    assert 'id="notes-hidden"' in body
    assert AuditEvent.objects.filter(action=SelfcareAuditAction.SELFCARE_VIEWED, actor_id=world.alice.pk).exists()


def test_revoked_mood_scope_hides_checkins_from_the_page(staff_client, world):
    """After Sam revokes MOOD, Alice's page says it is not shared and shows no check-in."""
    _checkin(world)
    scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
    body = staff_client(world.alice).get(reverse("selfcare:client_checkins", args=[world.sam.pk])).content.decode()
    assert 'id="not-sharing"' in body
    assert 'id="mood-calendar"' not in body


def test_outsiders_get_404_on_the_staff_page(staff_client, world):
    """Bob and Carol cannot see Sam's check-ins page."""
    _checkin(world)
    for outsider in (world.bob, world.carol):
        url = reverse("selfcare:client_checkins", args=[world.sam.pk])
        assert staff_client(outsider).get(url).status_code == 404
