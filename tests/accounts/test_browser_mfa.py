"""MFA enrolment in a real Chromium."""

from __future__ import annotations

import re

import pyotp
import pytest

from alongside.accounts.models import TotpDevice
from tests import factories
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_enrols_an_authenticator_in_the_browser(live_server, page) -> None:
    """Staff sign in, are sent to enrolment, type a code from the shown key, see recovery codes, land home."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url} {msg.text[:60]}") if msg.type == "error" else None)
    newcomer = factories.staff(factories.practice(), mfa=False)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(newcomer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/mfa/enrol/$"))

    assert page.locator(".qr svg").count() == 1
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()

    codes = page.locator("#recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_load_state()
    assert "/accounts/" not in page.url
    assert TotpDevice.objects.get(user=newcomer).confirmed
    assert not [e for e in errors if "Content Security Policy" in e], errors
