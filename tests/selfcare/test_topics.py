"""Topics for next session: a client writes a line or flags their own entry; the care team marks it discussed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.selfcare.models import CheckIn, SessionTopic


def _checkin(client_profile, key: str) -> CheckIn:
    return CheckIn.objects.create(client=client_profile, local_date="2025-03-03", mood=5, idempotency_key=key)


@pytest.mark.django_db
def test_client_writes_a_line_and_clinician_marks_it_discussed(world, client, staff_client):
    """Sam writes a topic; Alice sees it on Sam's homework page and marks it discussed."""
    client.force_login(world.sam.user)
    assert client.post(reverse("selfcare:topics"), {"text": "Work stress"}).status_code == 302
    topic = SessionTopic.objects.get(client=world.sam)
    alice = staff_client(world.alice)
    assert "Work stress" in alice.get(reverse("selfcare:staff_homework", args=[world.sam.pk])).content.decode()
    alice.post(reverse("selfcare:staff_topic_addressed", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.addressed_at is not None


@pytest.mark.django_db
def test_flag_only_own_entries(world, client):
    """Flagging another client's check-in is a 404 and saves nothing; flagging one's own saves one topic."""
    mine = _checkin(world.sam, "checkin-sam-1")
    theirs = _checkin(world.other_client, "checkin-robin")
    client.force_login(world.sam.user)
    url = reverse("selfcare:topic_flag")
    assert client.post(url, {"source_type": "selfcare.checkin", "source_id": str(theirs.pk)}).status_code == 404
    assert client.post(url, {"source_type": "selfcare.checkin", "source_id": "not-a-uuid"}).status_code == 404
    client.post(url, {"source_type": "selfcare.nothing", "source_id": str(mine.pk)})
    assert not SessionTopic.objects.exists()
    assert client.post(url, {"source_type": "selfcare.checkin", "source_id": str(mine.pk)}).status_code == 302
    client.post(url, {"source_type": "selfcare.checkin", "source_id": str(mine.pk)})
    assert SessionTopic.objects.filter(client=world.sam, source_id=str(mine.pk)).count() == 1


@pytest.mark.django_db
def test_outsiders_cannot_mark_topics(world, client, staff_client):
    """Bob cannot mark Sam's topic as discussed (404) and it stays open."""
    client.force_login(world.sam.user)
    client.post(reverse("selfcare:topics"), {"text": "Sleep"})
    topic = SessionTopic.objects.get()
    assert staff_client(world.bob).post(reverse("selfcare:staff_topic_addressed", args=[topic.pk])).status_code == 404
    topic.refresh_from_db()
    assert topic.addressed_at is None
