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
    """Alice, on Sam's care team, sees Sam's urgent check-in flag in her alert list, linked to his record; audited."""
    flag = _flag(world, "rough week. I've been saving my pills", "key-list-0001")
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert 'id="safety-flags"' in body
    assert reverse("care:client_detail", args=[flag.client_id]) in body
    assert "Urgent" in body
    assert AuditEvent.objects.filter(action="safety.flags_listed", client_id=world.sam.pk).exists()


def test_a_review_flag_is_listed_too(staff_client, world):
    """A passive wish in a check-in note is a review flag, and it is in the list as well."""
    _flag(world, "some nights I wish I wouldn't wake up", "key-list-0002")
    body = staff_client(world.alice).get(reverse("measures:alerts")).content.decode()
    assert 'id="safety-flags"' in body
    assert "Review" in body


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_clinicians_outside_the_care_team_do_not_see_the_flag(staff_client, world, who):
    """Bob (same practice, not on Sam's team) and Carol (another practice) see no flag of Sam's."""
    _flag(world, "rough week. I've been saving my pills", "key-list-0003")
    body = staff_client(getattr(world, who)).get(reverse("measures:alerts")).content.decode()
    assert 'id="safety-flags"' not in body
