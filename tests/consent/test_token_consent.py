"""A client's personal access token stops working while a newer consent document waits for their signature."""

from __future__ import annotations

import pytest

from alongside.accounts import tokens
from alongside.consent.selectors import consent_is_outstanding, consent_outstanding
from alongside.consent.services import consent_document_publish, consent_sign
from alongside.core.actor import signed_in
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_client_token_is_refused_until_the_new_consent_version_is_signed(world, client) -> None:
    """Before: Sam's token kept reading and writing through the API after a new version was published
    (the consent middleware runs before the token is read). Now every call answers 403 until he signs."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=world.sam.user, name='phone').plain}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    document = consent_document_publish(
        practice=world.practice, title="Consent", body="Version two.", actor=world.admin
    )

    refused = client.get("/api/v1/me", **headers)
    assert refused.status_code == 403
    assert "consent" in refused.json()["detail"]
    posted = client.post(
        "/api/v1/selfcare/checkins",
        {"mood": 5, "idempotency_key": "after-new-version"},
        content_type="application/json",
        **headers,
    )
    assert posted.status_code == 403

    consent_sign(
        client=world.sam,
        document=document,
        typed_name="Sam",
        shown_sha256=document.body_sha256,
        actor=signed_in(world.sam.user),
    )
    assert client.get("/api/v1/me", **headers).status_code == 200


def test_staff_tokens_do_not_depend_on_a_client_consent(world, client) -> None:
    """The check is for clients only: Alice's token still works after a new client consent version."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=world.alice, name='desk').plain}"}
    consent_document_publish(practice=world.practice, title="Consent", body="Version two.", actor=world.admin)
    assert consent_is_outstanding(client_id=world.sam.pk)
    assert client.get("/api/v1/me", **headers).status_code == 200


def test_the_one_statement_answer_agrees_with_the_long_one(world, django_assert_num_queries) -> None:
    """consent_is_outstanding gives the same answer as consent_outstanding, signed or not, in one statement."""
    unsigned = factories.client(world.practice, clinicians=(world.alice,), name="Kim", signed=False)
    for client_id in (world.sam.pk, unsigned.pk):
        assert consent_is_outstanding(client_id=client_id) == (consent_outstanding(client_id=client_id) is not None)
    with django_assert_num_queries(1):
        assert consent_is_outstanding(client_id=unsigned.pk)
    assert not consent_is_outstanding(client_id=world.sam.pk)
