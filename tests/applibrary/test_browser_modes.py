"""Display modes and the CSV import, in a real Chromium on a phone-sized screen, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.applibrary.models import ClientModes, ImportedEntry
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.applibrary.test_browser import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAYLIO = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    "2026-12-05,December 5,Saturday,21:10,good,walk | friends,,Saw Ana\n"
    "2026-12-04,December 4,Friday,20:02,meh,work,Long day,Tired\n"
)


def test_sam_turns_on_discreet_low_bandwidth_and_large_text_then_imports_daylio(live_server, phone_page, tmp_path):
    """Each mode shows on the page and passes axe; the quick exit leaves; a Daylio file is previewed, then saved."""
    world = factories.world()
    page = phone_page
    _sign_in(page, live_server, world)
    page.goto(live_server.url + "/applibrary/display/")
    expect(page).to_have_title("Display settings · Alongside")
    page.get_by_label("Discreet mode").check()
    page.get_by_label("Low-bandwidth mode").check()
    page.get_by_label("Large text").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your display settings are saved.")).to_be_visible()
    expect(page).to_have_title("Notes")
    expect(page.locator("body")).to_have_class("shell-client mode-discreet mode-low-bandwidth mode-large-text")
    root_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert root_size == "20px"  # 125% of the browser's 16px
    assert_no_serious_axe_violations(page, context_label="display settings, all modes on")
    modes = ClientModes.objects.get(client=world.sam)
    assert modes.discreet
    assert modes.low_bandwidth
    assert modes.large_text

    export = tmp_path / "daylio_export.csv"
    export.write_text(DAYLIO)
    page.goto(live_server.url + "/applibrary/my-imports/")
    page.get_by_label("Which app is the file from?").select_option("daylio")
    page.get_by_label("The CSV file the app exported").set_input_files(str(export))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
    expect(page.get_by_role("cell", name="Saw Ana")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="import preview")
    assert not ImportedEntry.objects.exists()
    page.get_by_role("button", name="Save 2 new entries").click()
    expect(page.get_by_text("Imported 2 entries; 0 were already here.")).to_be_visible()
    expect(page.get_by_role("cell", name="imported from Daylio").first).to_be_visible()

    page.get_by_role("link", name="Quick exit").click()
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()
    expect(page).to_have_title("Notes")


def test_alice_recommends_an_app_and_applies_sams_set_up(asgi_live_server, phone_page, world, staff_client) -> None:
    """Alice recommends CBT-i Coach with a purpose after discussing its data practices, and applies Sam's set-up."""
    from django.conf import settings

    from alongside.applibrary.models import Recommendation
    from alongside.applibrary.readiness import Connectivity, Device, ReadinessAnswers
    from alongside.applibrary.services import readiness_record

    answers = ReadinessAnswers(devices=[Device.SMARTPHONE], connectivity=Connectivity.PATCHY)
    readiness_record(actor=world.sam.user, client=world.sam, answers=answers)
    page = phone_page
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": asgi_live_server.url}])

    page.goto(f"{asgi_live_server.url}/applibrary/clients/{world.sam.pk}/readiness/")
    page.get_by_role("button", name="Apply the suggested set-up to the client's pages").click()
    expect(page.get_by_text("The suggested set-up is applied to the client's pages.")).to_be_visible()
    assert ClientModes.objects.get(client=world.sam).low_bandwidth
    page.get_by_role("link", name="Recommended apps").click()
    page.get_by_label("App", exact=True).select_option("cbt-i-coach")
    page.get_by_label("What for").fill("Use the sleep diary every morning for 2 weeks")
    page.get_by_role("button", name="Recommend").click()
    expect(page.locator(".errorlist, .form-errors").first).to_be_visible()  # not discussed yet: refused
    assert not Recommendation.objects.exists()
    page.get_by_label("I have discussed this app's data practices with the client").check()
    page.get_by_role("button", name="Recommend").click()
    expect(page.get_by_text("App recommended.")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="recommended apps, clinician")
    assert Recommendation.objects.get().app.slug == "cbt-i-coach"


def test_alice_adds_evidence_to_an_answer(asgi_live_server, phone_page, world, staff_client) -> None:
    """The evaluation form passes axe; a linked answer saves as version 2 and shows as verified on the app page."""
    from django.conf import settings

    from alongside.applibrary.models import Evaluation

    page = phone_page
    cookie = staff_client(world.alice).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": asgi_live_server.url}])
    page.goto(f"{asgi_live_server.url}/applibrary/library/daylio/")
    page.get_by_role("link", name="Add evidence or change answers").click()
    assert_no_serious_axe_violations(page, context_label="evaluation form")
    page.get_by_label("Check again by").fill("2030-01-01")
    policy = page.get_by_role("group", name="Is there a privacy policy?")
    policy.get_by_label("Evidence link").fill("https://daylio.net/privacy")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("Saved as evaluation version 2.")).to_be_visible()
    assert Evaluation.objects.filter(app__slug="daylio").count() == 2
