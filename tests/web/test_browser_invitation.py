"""The whole invitation-to-home flow on a phone-sized screen in a real Chromium."""

from __future__ import annotations

import pytest

from alongside.access import Action, decide
from alongside.consent.models import ConsentSignature, Scope

PASSWORD = "calm-harbour-evening-77"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invited_client_signs_up_consents_shares_and_lands_home(live_server, phone_page) -> None:
    """Alice invites Jo; on a 360 px phone Jo sets a password, signs the consent, shares mood and lands home."""
    from alongside.care.services import client_invite
    from tests.factories import world

    w = world()
    issued = client_invite(
        actor=w.alice, practice=w.practice, email="jo@example.test", preferred_name="Jo", base_url=live_server.url
    )
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + issued.path)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/consent/sign/")
    assert page.get_by_text("You agree to use Alongside.").is_visible()
    mood = page.get_by_label("Mood check-ins")
    assert not mood.is_checked()
    mood.check()
    page.get_by_label("Type your full name to sign").fill("Jo Example")
    page.get_by_role("button", name="Sign and continue").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Hello, Jo").is_visible()
    assert page.get_by_role("link", name="Who has seen my data").first.is_visible()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [e for e in errors if "Content Security Policy" in e], errors

    client = issued.invitation.client
    assert ConsentSignature.objects.filter(client=client).exists()
    assert decide(w.alice, client, Action.VIEW_CLINICAL, Scope.MOOD)
    assert not decide(w.alice, client, Action.VIEW_CLINICAL, Scope.JOURNAL)
