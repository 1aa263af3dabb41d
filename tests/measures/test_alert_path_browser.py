"""The whole critical-answer path in real Chromium, with the mail server down.

Sam answers PHQ-9 item 9 above 0 on a phone and sees crisis lines at once; Alice sees the
alert; nobody acknowledges it in time, so it escalates to the practice admin; Alice then
acknowledges it with a note. Every email attempt fails along the way, and nothing else does.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from alongside.safety.models import AlertStatus, CriticalAlert
from alongside.safety.services import alerts as alert_services
from tests import factories
from tests.measures.support_client import due_request
from tests.measures.support_measures import RAISING_MAILERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as_staff(browser, live_server, user):
    """Return a phone-sized page signed in as ``user`` (own session) with the second factor verified."""
    import time

    from django.test import Client

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    web = Client()
    web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    session = web.session
    session[SESSION_MFA_OK] = True
    session[SESSION_AUTH_AT] = session[SESSION_SEEN_AT] = time.time()
    session.save()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


@override_settings(MAILERS=RAISING_MAILERS)
def test_critical_answer_reaches_clinician_and_escalates_with_mail_down(live_server, phone_page, browser) -> None:
    """With every email failing, the client still sees crisis lines, the alert is raised, escalates and is acknowledged."""
    world = factories.world()
    due_request(world)

    # The client, on a phone.
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Answer PHQ-9").click()
    page.get_by_role("button", name="Start").click()
    for _n in range(1, 9):
        page.get_by_role("radio", name="Not at all", exact=True).check()
        page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("radio", name="More than half the days", exact=True).check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text("Your care team has been told")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()

    alert = CriticalAlert.objects.get(client=world.sam)
    assert alert.status == AlertStatus.OPEN

    # The clinician sees it at the top of the caseload.
    alice = _as_staff(browser, live_server, world.alice)
    alice.goto(f"{live_server.url}/practice/clients/")
    expect(alice.locator("table.caseload tbody tr").first).to_contain_text("Open critical alert")

    # Nobody acknowledges it within the practice's limit: it escalates to the admin only.
    escalated = alert_services.alerts_escalate(now=timezone.now() + dt.timedelta(hours=25))
    assert [a.pk for a in escalated] == [alert.pk]
    admin = _as_staff(browser, live_server, world.admin)
    admin.goto(f"{live_server.url}/measures/alerts/")
    expect(admin.get_by_text("Escalated").first).to_be_visible()
    bob = _as_staff(browser, live_server, world.bob)
    bob.goto(f"{live_server.url}/measures/alerts/{alert.pk}/")
    assert "Acknowledge the alert" not in bob.content()

    # The treating clinician acknowledges it with a note.
    alice.goto(f"{live_server.url}/measures/alerts/{alert.pk}/")
    alice.get_by_label("Note").fill("Called Sam; safe, safety plan reviewed.")
    alice.get_by_role("button", name="Acknowledge the alert").click()
    alice.wait_for_url(re.compile(r"/measures/alerts/$"))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by_id == world.alice.pk
