"""The early-warnings page and the model cards in real Chromium: accessible, and "reviewed" with a note works."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.risk.models import ClientRisk
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.test_alert_path_browser import _as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_reviews_a_warning_with_a_note(live_server, browser) -> None:
    """Alice sees Sam's warning with its reasons in words, marks it reviewed with a note; both pages pass axe."""
    world = factories.world()
    ClientRisk.objects.create(
        client=world.sam,
        computed_at=timezone.now(),
        day_of_care=42,
        dropout=0.34,
        dropout_flag=True,
        factors=[{"feature": "days_since_checkin", "value": 9.0}, {"feature": "homework_missed_3", "value": 2.0}],
        not_on_track=True,
        phq9_total=19,
        phq9_expected=11.0,
        phq9_upper=15.5,
        phq9_session=4,
        model_sha256="0" * 64,
    )
    page = _as_staff(browser, live_server, world.alice)
    page.goto(live_server.url + "/practice/risk/")
    expect(page.get_by_role("heading", name="Early warnings")).to_be_visible()
    expect(page.get_by_text("no check-in for 9 days; 2 of the last 3 homework tasks missed")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="early warnings")
    page.get_by_label("Note").fill("Called Sam; next session brought forward")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text("Called Sam; next session brought forward")).to_be_visible()
    page.get_by_role("link", name="How these warnings are made").click()
    expect(page.get_by_role("heading", name="How early warnings are made")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="model cards")
