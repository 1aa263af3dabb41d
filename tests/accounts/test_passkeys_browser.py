"""Passkeys in a real Chromium, with its virtual authenticator (DevTools WebAuthn domain)."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from alongside.accounts.models import AccountsAuditAction, Passkey, TotpDevice
from alongside.audit.models import AuditEvent
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/mfa/verify/"))


def _virtual_authenticator(page) -> tuple[object, str]:
    """Give the page's browser a platform authenticator that keeps passkeys and verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_staff_add_a_passkey_sign_in_with_it_and_remove_it(live_server, page) -> None:
    """A clinician adds a passkey in settings, answers the second factor with it, then signs in with the passkey
    alone (no email, password or code), then removes it; all audited."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert live_server.url.startswith("http://localhost:")  # a passkey's relying party cannot be an IP address
    user = factories.staff(factories.practice())
    _virtual_authenticator(page)

    _sign_in(page, live_server.url, user.email)
    page.get_by_label("6-digit code").fill(pyotp.TOTP(TotpDevice.objects.get(user=user).secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda u: "/accounts/" not in u)

    page.goto(f"{live_server.url}/accounts/settings/")
    page.get_by_label("Name for this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkeys")).to_contain_text("Work laptop", timeout=10000)
    assert_no_serious_axe_violations(page, context_label="account settings with a passkey")
    key = Passkey.objects.get(user=user)
    assert key.public_key
    assert key.credential_id

    page.context.clear_cookies()
    _sign_in(page, live_server.url, user.email)
    assert_no_serious_axe_violations(page, context_label="second factor with a passkey offered")
    page.get_by_role("button", name="Use a passkey instead").click()
    page.wait_for_url(lambda u: "/accounts/" not in u, timeout=10000)
    key.refresh_from_db()
    assert key.last_used_at is not None
    passed = AuditEvent.objects.filter(action=AccountsAuditAction.MFA_PASSED, actor_id=user.pk)
    assert [e.detail.get("method") for e in passed.order_by("seq")] == ["totp", "passkey"]

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_serious_axe_violations(page, context_label="sign-in page with a passkey offered")
    page.get_by_role("button", name="Use a passkey", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/" not in u, timeout=10000)
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_SIGN_IN, actor_id=user.pk).count() == 1

    page.goto(f"{live_server.url}/accounts/settings/")
    page.get_by_role("button", name="Remove Work laptop").click()
    page.wait_for_url(re.compile(r"/accounts/settings/$"))
    assert not Passkey.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_ADDED, actor_id=user.pk).count() == 1
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_REMOVED, actor_id=user.pk).count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_client_signs_in_with_a_passkey_alone(live_server, page) -> None:
    """Sam's phone keeps a passkey for Alongside: "Sign in with a passkey" signs Sam in, no email or password typed."""
    import base64

    from tests.accounts.passkey_support import SoftPasskey

    sam = factories.client(factories.practice()).user
    TotpDevice.objects.create(user=sam, secret=pyotp.random_base32(), confirmed_at=sam.date_joined)
    key = SoftPasskey(sam, rp_id="localhost", origin=live_server.url)
    key.register(name="Phone")
    cdp, authenticator = _virtual_authenticator(page)
    cdp.send(
        "WebAuthn.addCredential",
        {
            "authenticatorId": authenticator,
            "credential": {
                "credentialId": base64.b64encode(key.credential_id).decode(),
                "isResidentCredential": True,
                "rpId": "localhost",
                "privateKey": base64.b64encode(key.private_key_pkcs8()).decode(),
                "userHandle": base64.b64encode(sam.pk.bytes).decode(),
                "signCount": 0,
            },
        },
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/selfcare/checkins/")
    page.get_by_role("button", name="Use a passkey", exact=True).click()
    page.wait_for_url(re.compile(r"/selfcare/checkins/$"), timeout=10000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your check-ins")
    assert Passkey.objects.get(user=sam).last_used_at is not None
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_SIGN_IN, actor_id=sam.pk).count() == 1
