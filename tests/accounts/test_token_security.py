"""Personal access tokens: who may make one, how long it lives, what it may do (issue #11, findings 3 and 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alongside.accounts import tokens
from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import PersonalAccessToken, TokenScope
from alongside.accounts.services import password_set, user_deactivate
from tests import factories
from tests.factories import PASSWORD

SETTINGS = "/accounts/settings/"
ME = "/api/v1/me"
CHECKINS = "/api/v1/selfcare/checkins"
NEW_PASSWORD = "quiet-meadow-compass-88"


def _bearer(plain: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def _form(password: str = PASSWORD, scope: str = "read") -> dict[str, str]:
    return {"action": "token_create", "token-token_name": "script", "token-scope": scope, "token-password": password}


@pytest.mark.django_db
def test_staff_without_a_second_factor_cannot_make_a_token(client: Client) -> None:
    """Staff who have not enrolled a second factor get no token, from the page or the service."""
    newcomer = factories.staff(factories.practice(), mfa=False)
    client.post("/accounts/login/", {"email": newcomer.email, "password": PASSWORD})
    page = client.post(SETTINGS, _form())
    assert "Set up a second factor before you make a token" in page.content.decode()
    assert not PersonalAccessToken.objects.exists()
    with pytest.raises(ValidationError):
        tokens.token_create(actor=newcomer, name="script")


def test_staff_session_without_a_verified_code_cannot_make_a_token(client: Client, world) -> None:
    """A staff member with an authenticator whose session has not passed the code step gets no token."""
    client.force_login(world.alice, backend="alongside.accounts.backends.EmailBackend")
    page = client.post(SETTINGS, _form())
    assert "Confirm your second factor" in page.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_making_a_token_needs_the_current_password(staff_client, world) -> None:
    """The token form asks for the password again; a wrong one makes no token."""
    client = staff_client(world.alice)
    refused = client.post(SETTINGS, _form(password="not-my-password"))
    assert "not your current password" in refused.content.decode()
    assert not PersonalAccessToken.objects.exists()
    made = client.post(SETTINGS, _form())
    assert 'id="new-token"' in made.content.decode()
    assert PersonalAccessToken.objects.get().scope == TokenScope.READ


def test_tokens_expire(client: Client, world, time_machine, settings) -> None:
    """A token stops working after ALONGSIDE_TOKEN_DAYS days."""
    time_machine.move_to("2030-01-01 09:00Z", tick=False)
    new = tokens.token_create(actor=world.sam.user, name="phone")
    time_machine.shift(settings.ALONGSIDE_TOKEN_DAYS * 86400 - 60)
    assert client.get(ME, **_bearer(new.plain)).status_code == 200
    time_machine.shift(120)
    assert client.get(ME, **_bearer(new.plain)).status_code == 401


@pytest.mark.parametrize("how", ["change", "reset", "deactivation"])
def test_tokens_are_revoked_by_a_password_change_reset_or_deactivation(client: Client, world, how: str) -> None:
    """Changing or resetting the password, or deactivating the account, ends every token at once."""
    new = tokens.token_create(actor=world.sam.user, name="phone")
    assert client.get(ME, **_bearer(new.plain)).status_code == 200
    if how == "deactivation":
        user_deactivate(user=world.sam.user, actor=world.admin)
    else:
        password_set(user=world.sam.user, password=NEW_PASSWORD, actor=None, via=how)
    assert client.get(ME, **_bearer(new.plain)).status_code == 401
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None


def test_a_read_only_token_reads_but_cannot_write(client: Client, world) -> None:
    """A read-only token can GET; any write answers 403 with a JSON message and changes nothing."""
    from alongside.selfcare.models import CheckIn

    new = tokens.token_create(actor=world.sam.user, name="reader", scope=TokenScope.READ)
    assert client.get(CHECKINS, **_bearer(new.plain)).status_code == 200
    response = client.post(
        CHECKINS, {"mood": 5}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="ro-key-0001", **_bearer(new.plain)
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_an_unused_staff_token_stops_after_the_idle_days(client: Client, world, time_machine, settings) -> None:
    """A staff token unused for ALONGSIDE_STAFF_TOKEN_IDLE_DAYS stops working; a used one keeps going."""
    time_machine.move_to("2030-01-01 09:00Z", tick=False)
    idle = tokens.token_create(actor=world.alice, name="idle")
    busy = tokens.token_create(actor=world.alice, name="busy")
    for _ in range(3):
        time_machine.shift((settings.ALONGSIDE_STAFF_TOKEN_IDLE_DAYS - 1) * 86400)
        assert client.get(ME, **_bearer(busy.plain)).status_code == 200
    assert client.get(ME, **_bearer(idle.plain)).status_code == 401


def test_a_staff_token_stops_when_the_second_factor_is_removed(client: Client, world) -> None:
    """Removing the authenticator ends the staff member's tokens' use (they would have needed it to make one)."""
    from alongside.accounts.services import totp_remove

    new = tokens.token_create(actor=world.alice, name="script")
    assert client.get(ME, **_bearer(new.plain)).status_code == 200
    totp_remove(user=world.alice, actor=world.alice)
    assert client.get(ME, **_bearer(new.plain)).status_code == 401


def test_settings_show_scope_expiry_and_last_use(staff_client, world) -> None:
    """The token list shows what each token may do, when it expires and when it was last used."""
    client = staff_client(world.alice)
    new = tokens.token_create(actor=world.alice, name="script", scope=TokenScope.READ)
    Client().get(ME, **_bearer(new.plain))
    html = client.get(SETTINGS).content.decode()
    assert "Read only" in html
    assert "never" not in html.split('id="tokens"')[1]
    assert client.session[SESSION_MFA_OK] is True
