"""Build people and practices for tests through the same services the product uses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pyotp
from django.utils import timezone

from alongside.accounts.models import TotpDevice, User, UserKind
from alongside.care.models import CareTeamMember, ClientProfile, ClientStatus, Membership, Practice, Role
from alongside.consent.models import ConsentSignature
from alongside.consent.selectors import current_document
from alongside.consent.services import consent_document_publish, scopes_set

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def _email(prefix: str) -> str:
    return f"{prefix}{next(_counter)}@example.test"


def practice(name: str = "Riverside Therapy") -> Practice:
    p = Practice.objects.create(name=name)
    consent_document_publish(practice=p, title="Consent", body="You agree to use Alongside.", actor=None)
    return p


def staff(practice: Practice, *, role: str = Role.CLINICIAN, email: str | None = None, mfa: bool = True) -> User:
    user = User.objects.create_user(email or _email(role), PASSWORD, name=f"Test {role}", kind=UserKind.STAFF)
    Membership.objects.create(user=user, practice=practice, role=role)
    if mfa:
        TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now())
    return user


def client(
    practice: Practice,
    *,
    clinicians: tuple[User, ...] = (),
    email: str | None = None,
    name: str = "Sam",
    scopes: tuple[str, ...] = (),
    signed: bool = True,
) -> ClientProfile:
    user = User.objects.create_user(email or _email("client"), PASSWORD, kind=UserKind.CLIENT)
    profile = ClientProfile.objects.create(
        user=user, practice=practice, preferred_name=name, status=ClientStatus.ACTIVE
    )
    for index, clinician in enumerate(clinicians):
        CareTeamMember.objects.create(client=profile, clinician=clinician, is_primary=index == 0)
    if signed:
        document = current_document(practice_id=practice.pk)
        if document is not None:
            ConsentSignature.objects.create(
                client=profile,
                document=document,
                signed_at=timezone.now(),
                text_sha256=document.body_sha256,
                typed_name=name,
            )
    if scopes:
        scopes_set(client=profile, scopes=dict.fromkeys(scopes, True), actor=user)
    return profile


def totp_code(user: User) -> str:
    """Return a valid code for the user's authenticator, one time step ahead of the last used."""
    device = TotpDevice.objects.get(user=user)
    totp = pyotp.TOTP(device.secret)
    return totp.now()


@dataclass
class World:
    """Alice's practice (Alice treats Sam), Bob outside Sam's care team, Carol in another practice."""

    practice: Practice
    other_practice: Practice
    admin: User
    alice: User
    bob: User
    carol: User
    sam: ClientProfile
    other_client: ClientProfile


def world() -> World:
    home = practice("Riverside Therapy")
    away = practice("Hillside Counselling")
    admin = staff(home, role=Role.ADMIN)
    alice = staff(home)
    bob = staff(home)
    carol = staff(away)
    sam = client(home, clinicians=(alice,), scopes=("mood", "measures", "exercises", "messages"))
    other = client(home, clinicians=(bob,), name="Robin")
    return World(home, away, admin, alice, bob, carol, sam, other)
