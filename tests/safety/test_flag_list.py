"""Flags on check-in notes reach the treating clinician's alert list; outsiders do not see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.safety.models import SafetyFlag
from alongside.selfcare import services

pytestmark = pytest.mark.django_db


def _flag(world, note, key):
    services.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, mood=2, note=note)
    return SafetyFlag.objects.get(client=world.sam)


def test_an_urgent_checkin_flag_is_in_the_clinicians_alert_list(staff_client, world):
    """Alice, on Sam's care team, sees Sam's urgent check-in flag once, as a critical alert to acknowledge; audited."""
    flag = _flag(world, "rough week. I've been saving my pills", "key-list-0001")
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert reverse("measures:alert_detail", args=[flag.alert.pk]) in body
    assert AuditEvent.objects.filter(action="safety.flags_listed", client_id=world.sam.pk).exists() or (
        AuditEvent.objects.filter(client_id=world.sam.pk, action__endswith="alerts_listed").exists()
    )


def test_an_urgent_flag_is_listed_once_not_twice(staff_client, world):
    """An urgent flag has its critical alert in the alerts table; the free-text table does not list it again."""
    flag = _flag(world, "rough week. I've been saving my pills", "key-list-0004")
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert body.count(reverse("measures:alert_detail", args=[flag.alert.pk])) == 1
    assert body.count(reverse("care:client_detail", args=[flag.client_id])) == 0
    assert 'id="safety-flags"' not in body


def test_a_review_flag_is_listed_too(staff_client, world):
    """A passive wish in a check-in note is a review flag; it is in the alert list once, marked review."""
    flag = _flag(world, "some nights I wish I wouldn't wake up", "key-list-0002")
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert body.count(reverse("measures:alert_detail", args=[flag.alert.pk])) == 1
    assert 'id="safety-flags"' not in body


def test_a_flag_without_an_alert_is_still_in_the_free_text_table(staff_client, world):
    """A flag that has no critical alert (raised before flags had alerts) is listed in the free-text table."""
    flag = _flag(world, "some nights I wish I wouldn't wake up", "key-list-0005")
    flag.alert.delete()
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert 'id="safety-flags"' in body
    assert body.count(reverse("care:client_detail", args=[flag.client_id])) == 1


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_clinicians_outside_the_care_team_do_not_see_the_flag(staff_client, world, who):
    """Bob (same practice, not on Sam's team) and Carol (another practice) see no flag of Sam's."""
    _flag(world, "rough week. I've been saving my pills", "key-list-0003")
    body = staff_client(getattr(world, who)).get(reverse("measures:alerts")).content.decode()
    assert 'id="safety-flags"' not in body


def test_the_session_brief_lists_the_clients_flags(staff_client, world):
    """Sam's session brief, opened by Alice, shows his urgent check-in flag with where it was found."""
    _flag(world, "rough week. I've been saving my pills", "key-list-0004")
    body = staff_client(world.alice).get(reverse("sessions:brief", args=[world.sam.pk])).content.decode()
    assert 'id="safety-flags-brief"' in body
    assert "Check-in note" in body
    assert "means" in body


def test_the_brief_has_no_flag_section_without_flags(staff_client, world):
    """No flag: no section (the other client's flag does not show on Sam's brief)."""
    services.checkin_create(
        actor=world.other_client.user,
        client=world.other_client,
        idempotency_key="key-list-0005",
        mood=2,
        note="rough week. I've been saving my pills",
    )
    body = staff_client(world.alice).get(reverse("sessions:brief", args=[world.sam.pk])).content.decode()
    assert 'id="safety-flags-brief"' not in body
