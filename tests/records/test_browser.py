"""Writing, autosaving and signing a progress note, and a plan review, in real Chromium; the pages pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.records.models import NoteStatus, ProgressNote
from alongside.records.plans import Goal, PlanContent
from alongside.records.services import plan_save
from alongside.sessions.services import appointment_create
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.test_alert_path_browser import _as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_writes_and_signs_a_note(live_server, browser) -> None:
    """From Sam's Notes tab Alice starts a SOAP note, the draft saves itself as she types, she signs it; then only
    an addendum can be added. The list, the draft and the signed note pass axe."""
    world = factories.world()
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=starts)
    page = _as_staff(browser, live_server, world.alice)
    page.goto(f"{live_server.url}/records/clients/{world.sam.pk}/notes/")
    assert_no_serious_axe_violations(page, context_label="notes list")
    page.get_by_role("link", name="Write the note").click()
    page.get_by_label("SOAP (subjective, objective, assessment, plan)").check()
    # Alice types before the autosave script has arrived (a slow connection; in CI, a loaded machine): the script is
    # held back until she has typed, and what she typed is still saved.
    held = []
    page.route("**/records/note.js", lambda route: held.append(route))
    page.get_by_role("button", name="Start the note").click()
    page.get_by_label("Subjective").fill("Slept better after the sleep diary")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    # The draft saves 3 s after the last keystroke; a loaded CI machine has taken over 15 s to answer.
    expect(page.get_by_role("status")).to_contain_text("Draft saved", timeout=45_000)
    note = ProgressNote.objects.get(client=world.sam)
    assert note.sections["subjective"] == "Slept better after the sleep diary"
    assert_no_serious_axe_violations(page, context_label="note draft")
    # Once the script runs, each change saves again after the pause.
    with page.expect_response(lambda answer: "x-autosave" in answer.request.headers, timeout=45_000):
        page.get_by_label("Objective").fill("Calm, on time")
    note.refresh_from_db()
    assert note.sections["objective"] == "Calm, on time"
    page.get_by_label("Plan", exact=True).fill("Keep the diary two more weeks")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Note signed.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign the note")).to_have_count(0)
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    page.get_by_label("Text").fill("Also discussed the new shift pattern")
    page.get_by_role("button", name="Sign and add the addendum").click()
    expect(page.get_by_text("Also discussed the new shift pattern")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="signed note")


def test_alice_reviews_the_plan_with_suitability(live_server, browser) -> None:
    """The plan page and the review form pass axe; the review is recorded with suitability revisited."""
    world = factories.world()
    plan_save(
        actor=world.alice,
        client=world.sam,
        content=PlanContent(goals=[Goal(text="Back to two social plans a week")]),
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    page = _as_staff(browser, live_server, world.alice)
    page.goto(f"{live_server.url}/records/clients/{world.sam.pk}/plan/")
    expect(page.get_by_text("Back to two social plans a week")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="treatment plan")
    page.get_by_role("link", name="Review the plan").click()
    assert_no_serious_axe_violations(page, context_label="plan review")
    page.get_by_label("Still suits the client: no change").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Plan review recorded.")).to_be_visible()
    expect(page.get_by_text("Still suits the client: no change")).to_be_visible()


def test_sam_signs_an_authorisation_to_disclose(live_server, phone_page) -> None:
    """Sam follows the home card to his disclosure register, signs with his name; the page passes axe."""
    from alongside.records.disclosures import disclosure_request
    from alongside.records.models import Disclosure, DisclosureStatus
    from alongside.records.services import private_note_save

    world = factories.world()
    note = private_note_save(actor=world.alice, client=world.sam, text="Own reflections")
    disclosure_request(actor=world.alice, note_id=note.pk, recipient="Dr Okafor", purpose="Second opinion")
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Read and answer").click()
    expect(page.get_by_role("heading", name="To Dr Okafor")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="disclosure register")
    page.get_by_label("Type your name to sign").fill("Sam")
    page.get_by_role("button", name="Sign and authorise").click()
    expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    assert Disclosure.objects.get(client=world.sam).status == DisclosureStatus.AUTHORISED
