"""Caseload, client record and erasure: only the right staff see a client, and every look is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.accounts.models import User
from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile, Invitation
from alongside.crypto.models import DataKey

pytestmark = pytest.mark.django_db


def _events(action: AuditAction, **filters: object) -> int:
    return AuditEvent.objects.filter(action=action, **filters).count()


def test_staff_home_redirects_to_caseload_listing_own_clients(world, staff_client) -> None:
    """Alice's home is her caseload: Sam is listed, Robin (Bob's client) is not; listing is audited."""
    web = staff_client(world.alice)
    response = web.get(reverse("web:home"))
    assert response.url == reverse("care:caseload")
    response = web.get(reverse("care:caseload"))
    assert response.status_code == 200
    assert b"Sam" in response.content
    assert b"Robin" not in response.content
    assert _events(AuditAction.CLIENT_LISTED, actor_id=world.alice.pk, client_id=world.sam.pk) == 1
    assert _events(AuditAction.CLIENT_LISTED, client_id=world.other_client.pk) == 0


def test_admin_caseload_lists_every_practice_client(world, staff_client) -> None:
    """An admin sees every client of the practice, each listing audited once per client."""
    response = staff_client(world.admin).get(reverse("care:caseload"))
    assert b"Sam" in response.content
    assert b"Robin" in response.content
    assert _events(AuditAction.CLIENT_LISTED, actor_id=world.admin.pk) == 2


def test_client_detail_shows_administrative_record_and_is_audited(world, staff_client) -> None:
    """Alice sees Sam's name, status, care team, consent version and shared scopes; the view is audited."""
    response = staff_client(world.alice).get(reverse("care:client_detail", args=[world.sam.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sam" in body
    assert "Active" in body
    assert world.alice.name in body
    assert "Signed version 1" in body
    assert "Mood check-ins" in body
    assert response["Cache-Control"] == "no-store"
    assert _events(AuditAction.CLIENT_VIEWED, actor_id=world.alice.pk, client_id=world.sam.pk) == 1


@pytest.mark.parametrize("outsider", ["bob", "carol"])
def test_outsiders_get_404_for_client_detail(world, staff_client, outsider: str) -> None:
    """Bob (same practice, off the team) and Carol (other practice) get 404 and nothing is audited as a view."""
    web = staff_client(getattr(world, outsider))
    for name in ("client_detail", "client_erase"):
        response = web.get(reverse(f"care:{name}", args=[world.sam.pk]))
        assert response.status_code == 404
        assert b"Sam" not in response.content
    assert _events(AuditAction.CLIENT_VIEWED, client_id=world.sam.pk) == 0


def test_clients_cannot_open_staff_pages(world, client) -> None:
    """A client signed in gets 403 from the practice pages."""
    client.force_login(world.other_client.user)
    for url in (
        reverse("care:caseload"),
        reverse("care:client_detail", args=[world.sam.pk]),
        reverse("care:client_invite"),
        reverse("care:staff_list"),
    ):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world, client) -> None:
    """Anonymous visitors are redirected to the sign-in page."""
    response = client.get(reverse("care:client_detail", args=[world.sam.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_admin_erases_client_key_first_then_rows(world, staff_client) -> None:
    """Erasure needs the typed email; then the data key is gone, then the rows, and it is audited."""
    sam_id = world.sam.pk
    email = world.sam.user.email
    assert DataKey.objects.filter(owner_id=sam_id).exists()
    web = staff_client(world.admin)
    page = web.get(reverse("care:client_erase", args=[sam_id]))
    assert page.status_code == 200
    response = web.post(reverse("care:client_erase", args=[sam_id]), {"confirm_email": email.upper()})
    assert response.status_code == 302
    assert not DataKey.objects.filter(owner_id=sam_id).exists()
    assert not ClientProfile.objects.filter(pk=sam_id).exists()
    assert not User.objects.filter(pk=sam_id).exists()
    assert not Invitation.objects.filter(client_id=sam_id).exists()
    erased = AuditEvent.objects.get(action=AuditAction.CLIENT_ERASED, client_id=sam_id)
    assert email not in str(erased.detail)
    assert b"was erased" in web.get(response.url).content


def test_erase_requires_the_typed_email(world, staff_client) -> None:
    """A wrong confirmation shows the reason and erases nothing."""
    web = staff_client(world.admin)
    response = web.post(reverse("care:client_erase", args=[world.sam.pk]), {"confirm_email": "wrong@example.test"})
    assert response.status_code == 200
    assert b"exactly to confirm" in response.content
    assert DataKey.objects.filter(owner_id=world.sam.pk).exists()
    assert ClientProfile.objects.filter(pk=world.sam.pk).exists()


def test_only_admins_can_erase(world, staff_client) -> None:
    """Alice, on Sam's care team but not an admin, gets 404 from the erase page and erases nothing."""
    web = staff_client(world.alice)
    response = web.post(reverse("care:client_erase", args=[world.sam.pk]), {"confirm_email": world.sam.user.email})
    assert response.status_code == 404
    assert DataKey.objects.filter(owner_id=world.sam.pk).exists()
    assert ClientProfile.objects.filter(pk=world.sam.pk).exists()
    assert b"Erase this client" not in web.get(reverse("care:client_detail", args=[world.sam.pk])).content


def test_admin_publishes_new_consent_version(world, staff_client) -> None:
    """An admin sees the versions and publishes a new one; a clinician cannot (403)."""
    assert staff_client(world.alice).get(reverse("care:consent_editor")).status_code == 403
    web = staff_client(world.admin)
    page = web.get(reverse("care:consent_editor"))
    assert page.status_code == 200
    response = web.post(reverse("care:consent_editor"), {"title": "Consent", "body": "New terms."})
    assert response.status_code == 302
    assert world.practice.consent_documents.order_by("-version").first().version == 2
    assert b"Version 2 is published" in web.get(response.url).content


def test_caseload_query_count_does_not_grow_with_the_caseload(world, staff_client) -> None:
    """Ten more clients cost no extra query: one bulk audit insert covers every listed client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    web = staff_client(world.admin)
    web.get(reverse("care:caseload"))  # the first request of a session stamps its activity; count a later one
    with CaptureQueriesContext(connection) as before:
        web.get(reverse("care:caseload"))
    for index in range(10):
        factories.client(world.practice, clinicians=(world.alice,), name=f"Client {index}")
    with CaptureQueriesContext(connection) as after:
        response = web.get(reverse("care:caseload"))
    assert b"Client 9" in response.content
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_invite_pages_render_labelled_fields(world, staff_client) -> None:
    """The client invitation form labels every control; the admin nav shows admin pages only to admins."""
    alice = staff_client(world.alice)
    body = alice.get(reverse("care:client_invite")).content.decode()
    for field in ("email", "preferred_name", "locale", "time_zone"):
        assert f'<label for="id_{field}">' in body
    assert reverse("care:staff_list") not in body
    assert reverse("care:staff_list") in staff_client(world.admin).get(reverse("care:caseload")).content.decode()
