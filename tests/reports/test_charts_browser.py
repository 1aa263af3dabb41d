"""The new chart pages in a real Chromium: axe finds no serious violation and the CSP blocks nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alongside.applibrary.services import entries_import
from alongside.risk.services import client_risk_refresh
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.support_staff import add_history

DAYLIO = "full_date,date,weekday,time,mood,activities,note_title,note\n{day},x,y,20:00,rad,walk,,\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chart_pages_pass_axe_on_a_phone(live_server, phone_page, world, staff_client, client) -> None:
    """Progress (interval and expected range), the progress report, early warnings (flag rate) and Sam's check-ins
    (with an imported entry), then Sam's own report and check-ins: each draws its chart, with no serious axe
    finding and no console error."""
    add_history(world.sam, "phq9", [19, 17, 16, 15])
    add_history(world.sam, "gad7", [14, 9])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    entries_import(actor=world.sam.user, client=world.sam, source="daylio", text=DAYLIO.format(day=yesterday))
    client_risk_refresh(client=world.sam, now=timezone.now())  # the flag rate reads the flags a refresh stores
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    pages = {
        "progress": (reverse("measures:progress", args=[world.sam.pk]), "svg .chart-interval"),
        "report": (reverse("care:progress_report", args=[world.sam.pk]), "svg.combined-chart"),
        "warnings": (reverse("risk:flagged"), "svg.rate-chart"),
        "checkins": (reverse("selfcare:client_checkins", args=[world.sam.pk]), "svg .mood-imported"),
    }
    for label, (url, selector) in pages.items():
        page.goto(live_server.url + url)
        assert page.locator(selector).count() >= 1, label
        assert_no_serious_axe_violations(page, context_label=label)
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    for label, (url, selector) in {
        "own report": (reverse("reports:own_report"), "svg.combined-chart"),
        "own check-ins": (reverse("selfcare:checkins"), "svg .mood-imported"),
    }.items():
        page.goto(live_server.url + url)
        assert page.locator(selector).count() >= 1, label
        assert_no_serious_axe_violations(page, context_label=label)
    assert errors == []
