"""The readiness check and answering a recommended app, in a real Chromium on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from alongside.applibrary import catalogue
from alongside.applibrary.models import ReadinessCheck, Recommendation, RecommendationStatus
from alongside.applibrary.services import catalogue_load, recommendation_create
from tests import factories
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, world) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def test_sam_fills_in_the_readiness_check(live_server, phone_page) -> None:
    """Patchy internet and a phone others use: the saved check suggests low-bandwidth and discreet, no reminders."""
    world = factories.world()
    page = phone_page
    _sign_in(page, live_server, world)
    page.goto(live_server.url + "/applibrary/readiness/")
    expect(page.get_by_role("heading", name="Using apps and the internet")).to_be_visible()
    page.get_by_label("Smartphone").check()
    page.get_by_label("How is your internet?").select_option("patchy")
    page.get_by_label("Can other people at home see or use your phone?").select_option("yes")
    page.get_by_label("Would you like reminders?").check()
    assert_no_serious_axe_violations(page, context_label="readiness check")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    expect(page.get_by_role("row", name="Low-bandwidth mode On")).to_be_visible()
    expect(page.get_by_role("row", name="Discreet mode On")).to_be_visible()
    check = ReadinessCheck.objects.get(client=world.sam)
    assert check.configuration["reminders"] is False


def test_sam_says_a_recommended_app_is_not_for_him(live_server, phone_page) -> None:
    """The home card leads to the app's privacy answers; 'Not for me' with a reason is saved and shown."""
    world = factories.world()
    catalogue_load(actor=None, data=catalogue.read())
    recommendation_create(
        actor=world.alice,
        client=world.sam,
        app_slug="daylio",
        purpose="Mood entry every evening for 2 weeks",
        data_practices_discussed=True,
    )
    page = phone_page
    _sign_in(page, live_server, world)
    expect(page.get_by_text("Mood entry every evening for 2 weeks")).to_be_visible()
    page.get_by_role("link", name="See the privacy summary and answer").click()
    expect(page.get_by_role("rowheader", name="Is there a privacy policy?")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="apps from your therapist")
    page.get_by_label("Not for me").check()
    page.get_by_label("How is it going, or why not?").fill("I would rather not track my mood on my phone")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you. Your therapist will see your answer.")).to_be_visible()
    assert Recommendation.objects.get().status == RecommendationStatus.DECLINED
