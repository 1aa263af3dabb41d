"""The clinician's exercises page shows the client's relaxation tool practice, within the exercises scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.core.formatting import fmt_datetime
from alongside.selfcare.models import PracticeKind, SelfcareAuditAction
from alongside.selfcare.services.practice_tools import tool_practice_log

pytestmark = pytest.mark.django_db


def _breathing(world):
    return tool_practice_log(
        actor=world.sam.user,
        client=world.sam,
        kind=PracticeKind.BREATHING_BOX,
        before=7,
        after=3,
        duration_seconds=240,
        idempotency_key="staff-tools-box-1",
        note="Before the meeting",
    )


def test_clinician_sees_tool_practice_with_ratings_and_date_and_the_read_is_audited(staff_client, world) -> None:
    """Alice sees Sam's box breathing with 7 before, 3 after and the date; the audit holds a count, not the note."""
    log = _breathing(world)
    tool_practice_log(
        actor=world.sam.user,
        client=world.sam,
        kind=PracticeKind.GROUNDING,
        before=5,
        after=5,
        duration_seconds=None,
        idempotency_key="staff-tools-ground-1",
    )
    page = staff_client(world.alice).get(reverse("selfcare:staff_exercises", args=[world.sam.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Relaxation tools" in html
    row = f"<td>{fmt_datetime(log.at, 'short')}</td><td>Box breathing</td>"
    assert row + "<td>7</td><td>3</td><td>-4</td>" in html
    assert "<td>5-4-3-2-1 grounding</td><td>5</td><td>5</td><td>0</td>" in html
    assert html.index("5-4-3-2-1 grounding") < html.index("Box breathing")  # newest first
    assert "Before the meeting" not in html  # the private note stays with the client
    event = AuditEvent.objects.filter(action=SelfcareAuditAction.SELFCARE_VIEWED).get()
    assert event.client_id == world.sam.pk
    assert event.detail["tool_logs"] == 2
    assert "meeting" not in str(event.detail).lower()


def test_no_tool_practice_says_so(staff_client, world) -> None:
    page = staff_client(world.alice).get(reverse("selfcare:staff_exercises", args=[world.sam.pk]))
    assert b"No relaxation tool practice yet." in page.content


def test_revoking_the_exercises_scope_hides_tool_practice_at_once(staff_client, world) -> None:
    """When Sam stops sharing exercises, Alice's next view shows no tool practice and no section for it."""
    _breathing(world)
    c = staff_client(world.alice)
    url = reverse("selfcare:staff_exercises", args=[world.sam.pk])
    assert b"Box breathing" in c.get(url).content
    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    page = c.get(url)
    assert page.status_code == 200
    assert b"does not share exercises" in page.content
    assert b"Box breathing" not in page.content
    assert b"Relaxation tools" not in page.content


def test_outsiders_get_404_and_leave_no_read_in_the_audit(client, staff_client, world) -> None:
    """Bob (off Sam's team), Carol (another practice) and another client cannot see Sam's tool practice."""
    _breathing(world)
    url = reverse("selfcare:staff_exercises", args=[world.sam.pk])
    for outsider in (world.bob, world.carol):
        assert staff_client(outsider).get(url).status_code == 404
    client.force_login(world.other_client.user)
    assert client.get(url).status_code in {403, 404}
    assert not AuditEvent.objects.filter(action=SelfcareAuditAction.SELFCARE_VIEWED).exists()
