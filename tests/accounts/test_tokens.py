"""Personal access tokens: shown once, stored hashed, usable as Bearer, dead once revoked."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from alongside.accounts import tokens
from alongside.accounts.models import PersonalAccessToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _bearer(plain):
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_token_never_stored_in_plain(world):
    """Only the SHA-256 digest is stored; no column holds the token."""
    new = tokens.token_create(actor=world.sam.user, name="phone")
    row = PersonalAccessToken.objects.values().get(pk=new.token.pk)
    assert new.plain not in str(row)
    assert row["digest"] == hashlib.sha256(new.plain.encode()).hexdigest()


def test_token_auth_works(client, world):
    """A token authenticates API calls as its owner, without a session, and records its last use."""
    new = tokens.token_create(actor=world.sam.user, name="phone")
    response = client.get("/api/v1/me", **_bearer(new.plain))
    assert response.status_code == 200
    assert response.json()["id"] == str(world.sam.pk)
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_revoked_token_gets_401(client, world):
    """A revoked token stops working at once: 401."""
    new = tokens.token_create(actor=world.sam.user, name="phone")
    tokens.token_revoke(actor=world.sam.user, token_id=new.token.pk)
    assert client.get("/api/v1/me", **_bearer(new.plain)).status_code == 401


def test_wrong_or_tampered_token_gets_401(client, world):
    """A token with the right prefix but the wrong secret is refused."""
    new = tokens.token_create(actor=world.sam.user, name="phone")
    assert client.get("/api/v1/me", **_bearer(new.plain[:-2] + "xx")).status_code == 401
    assert client.get("/api/v1/me", **_bearer("nonsense")).status_code == 401


def test_cannot_revoke_someone_elses_token(world):
    """Revoking another person's token is a 404 and changes nothing."""
    from django.http import Http404

    new = tokens.token_create(actor=world.sam.user, name="phone")
    with pytest.raises(Http404):
        tokens.token_revoke(actor=world.other_client.user, token_id=new.token.pk)
    new.token.refresh_from_db()
    assert new.token.revoked_at is None


def test_settings_page_shows_token_once_and_revokes(client, world):
    """The settings page shows a new token once; later visits show only its prefix; revoke works."""
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    form = {"action": "token_create", "token-token_name": "my app", "token-scope": "write", "token-password": PASSWORD}
    created = client.post(reverse("accounts:settings"), form)
    body = created.content.decode()
    token = PersonalAccessToken.objects.get()
    assert 'id="new-token"' in body
    plain = body.split("<code>")[1].split("</code>")[0]
    assert plain.startswith(f"alo_{token.prefix}_")
    later = client.get(reverse("accounts:settings")).content.decode()
    assert plain not in later
    assert f"alo_{token.prefix}" in later
    client.post(reverse("accounts:settings"), {"action": "token_revoke", "token_id": str(token.pk)})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_creating_and_revoking_a_token_are_audited_without_the_secret(world):
    """Both events name the token's prefix (to tell tokens apart), never the token itself."""
    from alongside.audit.models import AuditEvent

    made = tokens.token_create(actor=world.alice, name="EHR bridge")
    tokens.token_revoke(actor=world.alice, token_id=made.token.pk)
    tokens.token_revoke(actor=world.alice, token_id=made.token.pk)  # again: nothing more to record
    events = list(AuditEvent.objects.filter(action__startswith="auth.token_").order_by("seq"))
    assert [e.action for e in events] == ["auth.token_created", "auth.token_revoked"]
    assert all(e.actor_id == world.alice.pk for e in events)
    assert all(made.plain not in str(e.detail) for e in events)
    assert events[0].detail == {"prefix": made.token.prefix, "scope": "write"}
