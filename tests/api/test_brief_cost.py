"""The session brief's cost does not grow with what it never shows (issue #19).

Under load the brief was the slowest page (p50 5 s): its mood section read every check-in of the period
whole, opening each one's sealed emotions, activities and note to show an average and a sparkline.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.dashboards.brief import brief_for
from alongside.selfcare.models import CheckIn
from alongside.selfcare.services import checkin_create

pytestmark = pytest.mark.django_db


def test_the_brief_mood_reads_no_sealed_check_in_field(world, monkeypatch):
    """30 check-ins with notes and emotions: the mood section is built without opening any of them."""
    for n in range(30):
        checkin_create(
            actor=world.sam.user,
            client=world.sam.user.pk,
            idempotency_key=f"brief-cost-{n:03d}",
            mood=n % 11,
            note="A private note.",
            emotions=[{"name": "calm", "intensity": 4}],
        )
    CheckIn.objects.update(at=timezone.now() - dt.timedelta(hours=1))

    def opened(*args, **kwargs):
        raise AssertionError("the brief opened a check-in's sealed fields")

    monkeypatch.setattr("alongside.selfcare.selectors.checkins._view", opened)
    before = AuditEvent.objects.count()
    brief = brief_for(actor=world.alice, client_id=world.sam.pk)
    assert brief.mood.shown
    assert brief.mood.data.checkins == 30
    assert brief.mood.data.average == round(sum(n % 11 for n in range(30)) / 30, 1)
    # The read is still audited as before: one selfcare.viewed event for the check-ins, and the brief's own.
    actions = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions.count("selfcare.viewed") >= 1
