"""Consent signing and sharing: signatures pin the text; scopes are the client's to change at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.access import Action, decide
from alongside.consent.models import ConsentSignature, Scope, ScopeGrant
from alongside.consent.selectors import current_document
from alongside.consent.services import consent_document_publish
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsigned(world):
    """A freshly invited client of Alice's who has not signed yet."""
    return factories.client(world.practice, clinicians=(world.alice,), name="Kim", signed=False)


def test_sign_page_shows_text_hash_and_all_scopes_off(world, client, unsigned) -> None:
    """The sign page shows the current text, its sha256 hidden, and every scope unticked."""
    client.force_login(unsigned.user)
    response = client.get(reverse("consent:sign"))
    document = current_document(practice_id=world.practice.pk)
    body = response.content.decode()
    assert document.body in body
    assert f'value="{document.body_sha256}"' in body
    for value in Scope.values:
        assert f'name="share_{value}"' in body
    assert " checked" not in body


def test_signature_records_version_time_and_hash(world, client, unsigned) -> None:
    """Signing records the version, the time and the hash, and saves the chosen scopes."""
    client.force_login(unsigned.user)
    document = current_document(practice_id=world.practice.pk)
    response = client.post(
        reverse("consent:sign"),
        {"typed_name": "Kim Park", "shown_sha256": document.body_sha256, "share_mood": "on"},
    )
    assert response.url == reverse("web:home")
    signature = ConsentSignature.objects.get(client=unsigned)
    assert signature.document.version == document.version
    assert signature.text_sha256 == document.body_sha256
    assert signature.signed_at is not None
    assert signature.typed_name == "Kim Park"
    assert set(ScopeGrant.objects.filter(client=unsigned, granted=True).values_list("scope", flat=True)) == {"mood"}


def test_signature_of_changed_text_is_refused(world, client, unsigned) -> None:
    """A hash that does not match the current text is refused; nothing is recorded."""
    client.force_login(unsigned.user)
    response = client.post(reverse("consent:sign"), {"typed_name": "Kim", "shown_sha256": "0" * 64, "share_mood": "on"})
    assert response.status_code == 200
    assert b"consent text changed" in response.content
    assert not ConsentSignature.objects.filter(client=unsigned).exists()
    assert not ScopeGrant.objects.filter(client=unsigned).exists()


def test_new_version_asks_client_to_sign_again(world, client) -> None:
    """After a new version is published Sam is sent to the sign page until he signs it."""
    client.force_login(world.sam.user)
    assert client.get(reverse("web:home")).status_code == 200
    document = consent_document_publish(
        practice=world.practice, title="Consent", body="Version two.", actor=world.admin
    )
    assert client.get(reverse("web:home")).url == reverse("consent:sign")
    page = client.get(reverse("consent:sign"))
    assert b"Version two." in page.content
    assert b'name="share_mood" id="id_share_mood" aria-describedby="id_share_mood_helptext" checked' in page.content
    client.post(
        reverse("consent:sign"),
        {
            "typed_name": "Sam",
            "shown_sha256": document.body_sha256,
            "share_mood": "on",
            "share_measures": "on",
            "share_exercises": "on",
            "share_messages": "on",
        },
    )
    assert ConsentSignature.objects.filter(client=world.sam, document=document).exists()
    assert client.get(reverse("web:home")).status_code == 200


def test_revoking_a_scope_takes_effect_immediately(world, client) -> None:
    """Sam turns mood off on the sharing page; Alice loses mood access at once; turning it on restores it."""
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    client.force_login(world.sam.user)
    page = client.get(reverse("consent:sharing"))
    assert b"Your daily mood" in page.content
    response = client.post(reverse("consent:sharing"), {"share_measures": "on"})
    assert response.url == reverse("consent:sharing")
    assert not decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MEASURES)
    client.post(reverse("consent:sharing"), {"share_measures": "on", "share_mood": "on"})
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)


def test_staff_cannot_use_client_consent_pages(world, staff_client) -> None:
    """Consent and sharing pages belong to clients: staff get 403."""
    web = staff_client(world.alice)
    for name in ("sign", "sharing", "access_log"):
        assert web.get(reverse(f"consent:{name}")).status_code == 403


def test_anonymous_visitors_sent_to_sign_in(client) -> None:
    """Anonymous visitors are redirected to sign in."""
    for name in ("sign", "sharing", "access_log"):
        assert reverse("accounts:login") in client.get(reverse(f"consent:{name}")).url
