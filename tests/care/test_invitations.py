"""Invitation links: clients and staff set a password once; bad links change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.care.models import ClientStatus, Invitation, InvitationRole, Membership
from alongside.care.services import client_invite, staff_invite

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-lantern-42"


def _invite_client(world, email: str = "new.client@example.test"):
    return client_invite(
        actor=world.alice,
        practice=world.practice,
        email=email,
        preferred_name="Jo",
        base_url="http://testserver/",
    )


def _post(client, path: str, **extra: str):
    return client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, **extra})


def _snapshot() -> tuple[int, int, int, list]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
        list(Invitation.objects.values_list("pk", "accepted_at").order_by("pk")),
    )


def test_client_invite_page_creates_client_emails_link_and_shows_it(
    world, staff_client, django_capture_on_commit_callbacks
) -> None:
    """A clinician invites a client; the link is emailed (no client data) and shown on screen."""
    web = staff_client(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("care:client_invite"),
            {
                "email": "Jo@Example.test",
                "preferred_name": "Jo Secretname",
                "locale": "es",
                "time_zone": "Europe/Madrid",
            },
        )
    assert response.status_code == 200
    invitation = Invitation.objects.get(email="jo@example.test")
    assert invitation.role == InvitationRole.CLIENT
    assert invitation.client.time_zone == "Europe/Madrid"
    assert invitation.client.locale == "es"
    assert invitation.client.care_team.get().clinician == world.alice
    assert len(mail.outbox) == 1
    link = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    assert link.startswith("/practice/invitation/")
    assert link.encode() in response.content
    assert "Secretname" not in mail.outbox[0].body


def test_client_invite_with_existing_email_is_refused(world, staff_client) -> None:
    """Inviting a client with an email that already has an account shows the reason and creates nothing."""
    web = staff_client(world.alice)
    before = User.objects.count()
    response = web.post(
        reverse("care:client_invite"),
        {"email": world.bob.email, "preferred_name": "Dup", "locale": "en", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert b"already exists" in response.content
    assert User.objects.count() == before
    assert not Invitation.objects.exists()


def test_valid_client_invitation_sets_password_signs_in_and_asks_for_consent(world, client) -> None:
    """A client sets a password with the link, is signed in and sent to the consent page."""
    issued = _invite_client(world)
    assert client.get(issued.path).status_code == 200
    response = _post(client, issued.path)
    assert response.status_code == 302
    assert response.url == reverse("consent:sign")
    user = User.objects.get(email="new.client@example.test")
    assert user.check_password(NEW_PASSWORD)
    assert user.client_profile.status == ClientStatus.ACTIVE
    assert client.get(reverse("web:home")).url == reverse("consent:sign")


def test_valid_staff_invitation_creates_member_and_sends_to_mfa_enrolment(world, client) -> None:
    """A staff invitation asks for a name, creates the membership and sends the person to MFA enrolment."""
    issued = staff_invite(
        actor=world.admin,
        practice=world.practice,
        email="dana@example.test",
        role=InvitationRole.CLINICIAN,
        base_url="http://testserver/",
    )
    response = _post(client, issued.path)
    assert response.status_code == 200
    assert b"This field is required" in response.content
    response = _post(client, issued.path, name="Dana Lee")
    assert response.url == reverse("accounts:mfa_enrol")
    dana = User.objects.get(email="dana@example.test")
    assert dana.name == "Dana Lee"
    assert Membership.objects.get(user=dana).role == "clinician"


def test_expired_invitation_is_refused_and_changes_nothing(world, client) -> None:
    """An expired link answers 410 with its message; GET or POST changes nothing."""
    issued = _invite_client(world)
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = _snapshot()
    for response in (client.get(issued.path), _post(client, issued.path)):
        assert response.status_code == 410
        assert b"This invitation has expired" in response.content
    assert _snapshot() == before
    assert not User.objects.get(email="new.client@example.test").has_usable_password()


def test_reused_invitation_is_refused_and_changes_nothing(world, client) -> None:
    """A used link answers 410 ('already been used') and cannot reset the password."""
    issued = _invite_client(world)
    _post(client, issued.path)
    client.logout()
    before = _snapshot()
    response = client.post(
        issued.path, {"password": "another-pass-phrase-9", "password_again": "another-pass-phrase-9"}
    )
    assert response.status_code == 410
    assert b"already been used" in response.content
    assert _snapshot() == before
    assert User.objects.get(email="new.client@example.test").check_password(NEW_PASSWORD)


def test_forged_invitation_is_refused_and_changes_nothing(world, client) -> None:
    """A made-up token answers 404 with a clear message and changes nothing."""
    _invite_client(world)
    before = _snapshot()
    path = reverse("care:invitation_accept", args=["forged-token-that-was-never-issued"])
    for response in (client.get(path), _post(client, path)):
        assert response.status_code == 404
        assert b"This invitation link is not valid" in response.content
    assert _snapshot() == before


def test_second_signup_with_same_email_via_invitation_is_refused(world, client) -> None:
    """A staff invitation for an email that meanwhile got an account is refused; nothing is created."""
    issued = staff_invite(
        actor=world.admin,
        practice=world.practice,
        email="twice@example.test",
        role=InvitationRole.CLINICIAN,
        base_url="http://testserver/",
    )
    get_user_model().objects.create_user("twice@example.test", "some-other-pass-77")
    before = _snapshot()
    response = _post(client, issued.path, name="Twice")
    assert response.status_code == 200
    assert b"already exists" in response.content
    assert _snapshot() == before
    assert "_auth_user_id" not in client.session


def test_weak_password_is_refused_with_reason(world, client) -> None:
    """A weak password is refused next to the field; the link still works afterwards."""
    issued = _invite_client(world)
    response = client.post(issued.path, {"password": "12345678", "password_again": "12345678"})
    assert response.status_code == 200
    assert b"too short" in response.content or b"too common" in response.content
    assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is None


def test_only_admins_invite_staff(world, staff_client) -> None:
    """A clinician cannot open or post the staff invitation page (403); an admin can."""
    alice = staff_client(world.alice)
    assert alice.get(reverse("care:staff_invite")).status_code == 403
    assert alice.post(reverse("care:staff_invite"), {"email": "x@example.test", "role": "clinician"}).status_code == 403
    assert not Invitation.objects.exists()
    admin = staff_client(world.admin)
    response = admin.post(reverse("care:staff_invite"), {"email": "x@example.test", "role": "admin"})
    assert response.status_code == 200
    assert Invitation.objects.get().role == "admin"
    assert b"x@example.test" in admin.get(reverse("care:staff_list")).content
