"""Signing consent and choosing what to share is one service: both are kept, or neither."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from alongside.consent.models import ConsentSignature, ScopeGrant
from alongside.consent.selectors import current_document
from alongside.consent.services import consent_sign_with_scopes
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_refused_scope_choice_keeps_no_signature(world) -> None:
    """An unknown sharing scope refuses the whole decision: the signature is not kept either."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim", signed=False)
    document = current_document(practice_id=world.practice.pk)
    with pytest.raises(ValidationError):
        consent_sign_with_scopes(
            client=kim,
            document=document,
            typed_name="Kim Park",
            shown_sha256=document.body_sha256,
            scopes={"mood": True, "no-such-scope": True},
            actor=kim.user,
        )
    assert not ConsentSignature.objects.filter(client=kim).exists()
    assert not ScopeGrant.objects.filter(client=kim).exists()


def test_signature_and_scopes_are_kept_together(world) -> None:
    """A valid signature with sharing choices keeps both."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim", signed=False)
    document = current_document(practice_id=world.practice.pk)
    consent_sign_with_scopes(
        client=kim,
        document=document,
        typed_name="Kim Park",
        shown_sha256=document.body_sha256,
        scopes={"mood": True},
        actor=kim.user,
    )
    assert ConsentSignature.objects.filter(client=kim).exists()
    assert set(ScopeGrant.objects.filter(client=kim, granted=True).values_list("scope", flat=True)) == {"mood"}
