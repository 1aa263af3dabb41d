"""The client API: each person sees only the records the access layer allows; staff reads are audited."""

from __future__ import annotations

import uuid

import pytest

from alongside.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_clinician_lists_own_clients(world, staff_client) -> None:
    """Alice's client list holds Sam only, and the listing is audited."""
    response = staff_client(world.alice).get("/api/v1/clients")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [str(world.sam.pk)]
    assert response.json()[0]["preferred_name"] == "Sam"
    assert AuditEvent.objects.filter(action=AuditAction.CLIENT_LISTED, client_id=world.sam.pk).count() == 1


def test_admin_lists_practice_clients_and_carol_none_of_them(world, staff_client) -> None:
    """The admin lists both practice clients; Carol (other practice) lists none of them."""
    ids = {c["id"] for c in staff_client(world.admin).get("/api/v1/clients").json()}
    assert ids == {str(world.sam.pk), str(world.other_client.pk)}
    ids = {c["id"] for c in staff_client(world.carol).get("/api/v1/clients").json()}
    assert not ids & {str(world.sam.pk), str(world.other_client.pk)}


def test_client_record_for_care_team_is_audited(world, staff_client) -> None:
    """Alice reads Sam's administrative record; the read is audited as a view."""
    response = staff_client(world.alice).get(f"/api/v1/clients/{world.sam.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["preferred_name"] == "Sam"
    assert data["consent"]["version"] == 1
    assert data["scopes"]["mood"] is True
    assert data["scopes"]["journal"] is False
    assert data["care_team"][0]["clinician_id"] == str(world.alice.pk)
    assert AuditEvent.objects.filter(action=AuditAction.CLIENT_VIEWED, client_id=world.sam.pk).count() == 1


@pytest.mark.parametrize("outsider", ["bob", "carol"])
def test_outsiders_get_404_from_the_api(world, staff_client, outsider: str) -> None:
    """Bob and Carol get 404 for Sam's record and access log, the same as for an unknown id."""
    web = staff_client(getattr(world, outsider))
    for path in (
        f"/api/v1/clients/{world.sam.pk}",
        f"/api/v1/clients/{world.sam.pk}/access-log",
        f"/api/v1/clients/{uuid.uuid4()}",
    ):
        response = web.get(path)
        assert response.status_code == 404
        assert "Sam" not in response.content.decode()


def test_other_client_gets_404(world, client) -> None:
    """Robin cannot read Sam's record or log, and lists only himself."""
    client.force_login(world.other_client.user)
    assert client.get(f"/api/v1/clients/{world.sam.pk}").status_code == 404
    assert client.get(f"/api/v1/clients/{world.sam.pk}/access-log").status_code == 404
    assert [c["id"] for c in client.get("/api/v1/clients").json()] == [str(world.other_client.pk)]


def test_admin_off_team_cannot_read_access_log(world, staff_client) -> None:
    """The access log is for the client and their care team: an admin off the team gets 404."""
    assert staff_client(world.admin).get(f"/api/v1/clients/{world.sam.pk}/access-log").status_code == 404


def test_access_log_for_client_and_care_team(world, staff_client, client) -> None:
    """Sam and Alice read Sam's access log: Alice's view is there, named, and her log read is audited."""
    alice = staff_client(world.alice)
    alice.get(f"/api/v1/clients/{world.sam.pk}")
    rows = alice.get(f"/api/v1/clients/{world.sam.pk}/access-log").json()
    assert rows[-1]["action"] == AuditAction.CLIENT_VIEWED
    assert rows[-1]["who"] == world.alice.name
    alice.logout()
    client.force_login(world.sam.user)
    actions = [r["action"] for r in client.get(f"/api/v1/clients/{world.sam.pk}/access-log").json()]
    assert AuditAction.ACCESS_LOG_VIEWED in actions
    assert AuditAction.CLIENT_VIEWED in actions


def test_anonymous_is_refused(world, client) -> None:
    """Without a session the API answers 401."""
    assert client.get("/api/v1/clients").status_code == 401
    assert client.get(f"/api/v1/clients/{world.sam.pk}").status_code == 401
