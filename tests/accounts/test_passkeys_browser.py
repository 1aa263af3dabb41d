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
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/mfa/verify/"))


def test_staff_add_a_passkey_sign_in_with_it_and_remove_it(live_server, page) -> None:
    """A clinician adds a passkey in settings, answers the second factor with it, then removes it; all audited."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert live_server.url.startswith("http://localhost:")  # a passkey's relying party cannot be an IP address
    user = factories.staff(factories.practice())
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
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

    page.goto(f"{live_server.url}/accounts/settings/")
    page.get_by_role("button", name="Remove Work laptop").click()
    page.wait_for_url(re.compile(r"/accounts/settings/$"))
    assert not Passkey.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_ADDED, actor_id=user.pk).count() == 1
    assert AuditEvent.objects.filter(action=AccountsAuditAction.PASSKEY_REMOVED, actor_id=user.pk).count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
