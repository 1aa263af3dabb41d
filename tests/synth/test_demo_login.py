"""The demo is usable as seeded: its logins work, staff with `alongside otp` instead of a phone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from alongside.synth.config import DEMO_PASSWORD, SynthConfig
from alongside.synth.generate import generate_practice

CONFIG = SynthConfig(n_clients=4)


@pytest.fixture
def demo_practice(db):
    return generate_practice(CONFIG).context


def _sign_in(client, email):
    return client.post(reverse("accounts:login"), {"email": email, "password": DEMO_PASSWORD})


@pytest.mark.parametrize("email", [CONFIG.clinician_email(1), CONFIG.admin_email])
def test_staff_sign_in_with_the_code_printed_by_otp(client, demo_practice, email):
    """A clinician or the admin signs in with the demo password and a code from `alongside otp`."""
    response = _sign_in(client, email)
    assert response.status_code == 302
    assert response.url == reverse("accounts:mfa_verify"), "demo staff come enrolled: no enrolment step"
    out = io.StringIO()
    with override_settings(DEMO=True, PROFILE="demo"):
        call_command("otp", email, stdout=out, stderr=io.StringIO())
    response = client.post(reverse("accounts:mfa_verify"), {"code": out.getvalue().strip()}, follow=True)
    assert response.status_code == 200
    final = response.redirect_chain[-1][0] if response.redirect_chain else ""
    assert "/accounts/" not in final, f"still in the sign-in flow at {final}"
    assert response.wsgi_request.user.email == email


def test_a_demo_client_signs_in_and_reaches_home(client, demo_practice):
    """Demo clients have signed consent already, so they land on their home page."""
    email = demo_practice.clients[0].plan.email
    response = _sign_in(client, email)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user.email == email
    visited = [url for url, _status in response.redirect_chain]
    assert not any("consent" in url or "/accounts/" in url for url in visited), visited
