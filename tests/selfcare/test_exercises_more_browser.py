"""Behavioural activation, exposure hierarchy and problem solving on a phone-sized screen, and the clinician's view.

Each client test writes part of an exercise, leaves, resumes the draft from the exercise
list and carries on; every page is checked for sideways scroll at 360 px and for CSP errors
in the console, and the database is checked for what the page should have produced.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from alongside.consent.services import scopes_set
from alongside.selfcare.models import EntryStatus, ExerciseEntry, ExerciseType, PracticeKind, PracticeLog
from alongside.selfcare.services import exercises as services
from alongside.selfcare.services import practice as practice_services
from alongside.selfcare.services.practice_tools import tool_practice_log
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _sign_in_sam(page, live_server, world) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(world.sam.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _no_csp_errors(errors: list[str]) -> None:
    assert not [e for e in errors if "Content Security Policy" in e], errors


def _next(page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()


def _leave_and_resume(page, live_server, label: str) -> None:
    """Save and leave, go home, come back to the exercise list and continue the draft."""
    page.get_by_role("button", name="Save and leave").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("link", name=f"Continue {label}").click()


def test_behavioural_activation_plan_leave_resume_record_and_week(live_server, phone_page) -> None:
    """Sam plans three activities, leaves, resumes the draft, records one as done and sees the week."""
    world = factories.world()
    page = phone_page
    errors = _watch(page)
    _sign_in_sam(page, live_server, world)

    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("button", name="Start Activity planning").click()
    expect(page.get_by_text("Step 1 of 1")).to_be_visible()
    page.get_by_label("Activity 1", exact=True).fill("Walk in the park")
    page.get_by_label("Day 1", exact=True).select_option(label="Monday")
    page.get_by_label("Activity 2", exact=True).fill("Call Jo")
    page.get_by_label("Day 2", exact=True).select_option(label="Wednesday")
    page.get_by_label("Activity 3", exact=True).fill("Bake bread")
    page.get_by_label("Day 3", exact=True).select_option(label="Saturday")
    _no_sideways_scroll(page)
    _leave_and_resume(page, live_server, "Activity planning")

    # Every step has something in it, so the draft resumes on its whole view: the week.
    expect(page.get_by_role("heading", name="Activity planning")).to_be_visible()
    expect(page.get_by_text("This exercise is a draft.")).to_be_visible()
    week = page.locator("table", has=page.get_by_text("This week's activities"))
    expect(week.get_by_role("cell", name="Walk in the park")).to_be_visible()
    expect(week.get_by_role("cell", name="Wednesday")).to_be_visible()
    _no_sideways_scroll(page)

    form = page.locator("form", has=page.locator("legend", has_text="Walk in the park"))
    form.get_by_label("I did it").check()
    form.get_by_label("Mastery (0-10)").fill("6")
    form.get_by_label("Pleasure (0-10)").fill("8")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Practice saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="What lifted your mood")).to_be_visible()
    expect(page.locator("ol.lifted")).to_contain_text("Walk in the park")
    expect(page.locator("ol.lifted")).to_contain_text("mastery 6, pleasure 8")
    row = page.locator("tr", has=page.get_by_role("cell", name="Walk in the park"))
    expect(row.get_by_role("cell", name="Yes")).to_be_visible()
    _no_sideways_scroll(page)

    page.get_by_role("button", name="Finish exercise").click()
    expect(page.get_by_text("Well done: your exercise is complete.")).to_be_visible()
    _no_sideways_scroll(page)
    _no_csp_errors(errors)

    entry = ExerciseEntry.objects.get()
    assert entry.kind == ExerciseType.BEHAVIOURAL_ACTIVATION
    assert entry.status == EntryStatus.COMPLETE
    activities = services.data_of(entry)["activities"]
    assert [(a["text"], a["day"]) for a in activities] == [("Walk in the park", 0), ("Call Jo", 2), ("Bake bread", 5)]
    log = PracticeLog.objects.get()
    assert (log.kind, log.entry_id, log.step_id) == (PracticeKind.ACTIVITY, entry.pk, activities[0]["id"])
    assert (log.done, log.mastery, log.pleasure) == (True, 6, 8)


def _log_exposure(page, situation: str, before: str, peak: str, after: str) -> None:
    step = page.locator("ol.ladder > li", has=page.get_by_role("heading", name=re.compile(re.escape(situation))))
    step.get_by_text("Log a practice").click()
    step.get_by_label("Distress before (0-100)").fill(before)
    step.get_by_label("Distress at its peak (0-100)").fill(peak)
    step.get_by_label("Distress after (0-100)").fill(after)
    step.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("Practice saved.")).to_be_visible()


def _move(page, direction: str, situation: str):
    """The Move up / Move down button of one ladder step (its name ends with the hidden situation text)."""
    return page.get_by_role("button", name=re.compile(rf"^Move {direction}\W*{re.escape(situation)}$"))


def test_exposure_ladder_build_leave_resume_reorder_and_habituation(live_server, phone_page) -> None:
    """Sam sets a goal, leaves, resumes, builds a 3-step ladder, reorders it and logs two practices of one step."""
    world = factories.world()
    page = phone_page
    errors = _watch(page)
    _sign_in_sam(page, live_server, world)

    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("button", name="Start Exposure ladder").click()
    expect(page.get_by_text("Step 1 of 2")).to_be_visible()
    page.get_by_label("Goal").fill("Take the bus to work")
    _no_sideways_scroll(page)
    _leave_and_resume(page, live_server, "Exposure ladder")

    expect(page.get_by_text("Step 2 of 2")).to_be_visible()  # resumes at the ladder
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Goal")).to_have_value("Take the bus to work")
    _next(page)
    for n, (text, suds) in enumerate(
        [("Stand at the bus stop", "30"), ("Ride one stop", "60"), ("Ride to work", "90")]
    ):
        page.get_by_label(f"Situation {n + 1}", exact=True).fill(text)
        page.get_by_label(f"Distress (0-100) {n + 1}", exact=True).fill(suds)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Review").click()

    ladder = page.locator("ol.ladder > li h3")
    expect(ladder).to_have_count(3)
    _move(page, "up", "Ride to work").click()
    expect(ladder.nth(1)).to_contain_text("Ride to work")
    _move(page, "down", "Stand at the bus stop").click()
    expect(ladder.nth(0)).to_contain_text("Ride to work")
    expect(ladder.nth(1)).to_contain_text("Stand at the bus stop")
    expect(ladder.nth(2)).to_contain_text("Ride one stop")
    expect(_move(page, "up", "Ride to work")).to_have_count(0)  # already at the top
    expect(_move(page, "down", "Ride one stop")).to_have_count(0)
    # Put it back in order from easier to harder: the hardest goes to the bottom.
    _move(page, "down", "Ride to work").click()
    expect(ladder.nth(1)).to_contain_text("Ride to work")
    _move(page, "down", "Ride to work").click()
    expect(ladder.nth(2)).to_contain_text("Ride to work")
    _no_sideways_scroll(page)

    _log_exposure(page, "Stand at the bus stop", "50", "70", "30")
    _log_exposure(page, "Stand at the bus stop", "40", "55", "20")
    step = page.locator("ol.ladder > li", has=page.get_by_role("heading", name=re.compile("Stand at the bus stop")))
    table = step.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(0).get_by_role("cell")).to_have_text([re.compile("^1 · "), "50", "70", "30"])
    expect(table.locator("tbody tr").nth(1).get_by_role("cell")).to_have_text([re.compile("^2 · "), "40", "55", "20"])
    expect(step.get_by_role("img", name="Distress at the peak and after, practice by practice")).to_be_visible()
    expect(step.locator("polyline.line-peak")).to_have_count(1)
    expect(step.get_by_text("Peak distress has come down by 15 points since your first practice.")).to_be_visible()
    _no_sideways_scroll(page)

    page.get_by_role("button", name="Finish exercise").click()
    expect(page.get_by_text("Well done: your exercise is complete.")).to_be_visible()
    _no_sideways_scroll(page)
    _no_csp_errors(errors)

    entry = ExerciseEntry.objects.get()
    assert entry.status == EntryStatus.COMPLETE
    data = services.data_of(entry)
    assert data["goal"] == "Take the bus to work"
    assert [(s["text"], s["suds"]) for s in data["steps"]] == [
        ("Stand at the bus stop", 30),
        ("Ride one stop", 60),
        ("Ride to work", 90),
    ]
    logs = list(PracticeLog.objects.filter(entry=entry).order_by("at", "created_at"))
    assert [(log.kind, log.step_id) for log in logs] == [(PracticeKind.EXPOSURE, data["steps"][0]["id"])] * 2
    assert [(log.rating_before, log.rating_peak, log.rating_after) for log in logs] == [(50, 70, 30), (40, 55, 20)]


def test_problem_solving_define_brainstorm_plan_leave_resume_and_review(live_server, phone_page) -> None:
    """Sam defines a problem, brainstorms and weighs two solutions, plans one, leaves, resumes and reviews."""
    world = factories.world()
    page = phone_page
    errors = _watch(page)
    _sign_in_sam(page, live_server, world)

    page.goto(live_server.url + "/selfcare/exercises/")
    page.get_by_role("button", name="Start Problem solving").click()
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    page.get_by_label("The problem").fill("Rent is due before payday every month")
    _next(page)
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    page.get_by_label("Solution 1", exact=True).fill("Ask the landlord to move the due date")
    page.get_by_label("Pros 1", exact=True).fill("Fixes it for good")
    page.get_by_label("Cons 1", exact=True).fill("Awkward to ask")
    page.get_by_label("Solution 2", exact=True).fill("Borrow from a friend")
    page.get_by_label("Pros 2", exact=True).fill("Quick")
    page.get_by_label("Cons 2", exact=True).fill("Has to happen every month")
    _no_sideways_scroll(page)
    _next(page)
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    page.get_by_label("Ask the landlord to move the due date").check()
    page.get_by_label("My plan: steps, when, what I need").fill("Email the landlord on Monday morning")
    _no_sideways_scroll(page)
    _leave_and_resume(page, live_server, "Problem solving")

    expect(page.get_by_text("Step 4 of 4")).to_be_visible()  # resumes at the review
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Ask the landlord to move the due date")).to_be_checked()
    expect(page.get_by_label("My plan: steps, when, what I need")).to_have_value("Email the landlord on Monday morning")
    _next(page)
    page.get_by_label("How it went").fill("The landlord agreed to the 5th")
    page.get_by_role("button", name="Review").click()
    summary = page.locator("dl.exercise-summary")
    expect(summary).to_contain_text("Rent is due before payday every month")
    expect(summary).to_contain_text("Pros: Quick")
    expect(summary).to_contain_text("Cons: Awkward to ask")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Finish exercise").click()
    expect(page.get_by_text("Well done: your exercise is complete.")).to_be_visible()
    expect(page.get_by_text("The landlord agreed to the 5th")).to_be_visible()
    _no_sideways_scroll(page)
    _no_csp_errors(errors)

    entry = ExerciseEntry.objects.get()
    assert entry.kind == ExerciseType.PROBLEM_SOLVING
    assert entry.status == EntryStatus.COMPLETE
    data = services.data_of(entry)
    assert [(o["text"], o["pros"], o["cons"]) for o in data["options"]] == [
        ("Ask the landlord to move the due date", "Fixes it for good", "Awkward to ask"),
        ("Borrow from a friend", "Quick", "Has to happen every month"),
    ]
    assert data["chosen"] == data["options"][0]["id"]
    assert data["plan"] == "Email the landlord on Monday morning"
    assert data["review"] == "The landlord agreed to the 5th"


# --- The clinician's view ------------------------------------------------------------------------


def _completed_thought_record(world) -> ExerciseEntry:
    entry = services.entry_create(
        actor=world.sam.user,
        kind="thought_record",
        idempotency_key="browser-staff-tr-1",
        data={
            "situation": "Friend didn't reply to my message",
            "thoughts": [{"text": "She is angry with me", "belief": 80}],
            "emotions": [{"name": "Worried", "intensity": 70}],
            "traps": ["mind_reading"],
            "evidence_for": "She usually replies fast",
            "evidence_against": "She is at work today",
            "balanced_thought": "She is probably busy",
            "balanced_belief": 65,
            "rerated": [{"name": "Worried", "intensity": 30}],
        },
    )
    return services.entry_complete(actor=world.sam.user, entry_id=entry.pk)


def _ladder_with_practice(world) -> ExerciseEntry:
    ladder = services.entry_create(
        actor=world.sam.user,
        kind="exposure_hierarchy",
        idempotency_key="browser-staff-ladder-1",
        data={"goal": "Take the bus", "steps": [{"id": "s1", "text": "Bus stop", "suds": 30}]},
    )
    for key, (before, peak, after) in {"b-staff-1": (50, 70, 30), "b-staff-2": (45, 52, 20)}.items():
        practice_services.exposure_log_create(
            actor=world.sam.user,
            entry_id=ladder.pk,
            step_id="s1",
            rating_before=before,
            rating_peak=peak,
            rating_after=after,
            idempotency_key=key,
        )
    return ladder


def test_clinician_sees_exercises_in_full_until_the_client_stops_sharing(
    live_server, page, world, staff_client
) -> None:
    """Alice, on a desktop-size page, reads Sam's thought record and exposure logs; after Sam revokes, nothing."""
    _completed_thought_record(world)
    _ladder_with_practice(world)
    tool_practice_log(
        actor=world.sam.user,
        client=world.sam,
        kind=PracticeKind.BREATHING_SLOW,
        before=8,
        after=4,
        duration_seconds=300,
        idempotency_key="browser-staff-tool-1",
    )
    errors = _watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    web = staff_client(world.alice)
    cookie = web.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    url = f"{live_server.url}/selfcare/clients/{world.sam.pk}/exercises/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Exercises of Sam", level=1)).to_be_visible()
    record = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^Thought record")))
    for text in (
        "Friend didn't reply to my message",
        "She is angry with me — belief 80%",
        "Worried — 70/100",
        "Mind reading",
        "She usually replies fast",
        "She is at work today",
        "She is probably busy — belief 65%",
        "Worried — 30/100",
    ):
        expect(record).to_contain_text(text)
    expect(record.get_by_role("heading")).to_contain_text("Complete")
    ladder = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^Exposure ladder")))
    expect(ladder).to_contain_text("Take the bus")
    rows = ladder.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell")).to_have_text([re.compile("^1 · "), "50", "70", "30"])
    expect(rows.nth(1).get_by_role("cell")).to_have_text([re.compile("^2 · "), "45", "52", "20"])
    expect(ladder.get_by_text("Peak distress has come down by 18 points")).to_be_visible()
    expect(ladder.get_by_role("button")).to_have_count(0)  # read only: no reordering or logging for staff
    tools = page.locator("section.card", has=page.get_by_role("heading", name="Relaxation tools"))
    expect(tools.locator("tbody tr").get_by_role("cell")).to_have_text(
        [re.compile(r"\d"), "Slow breathing", "8", "4", "-4"]
    )
    _no_csp_errors(errors)

    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    page.goto(url)
    expect(page.get_by_text("Sam does not share exercises with the care team.")).to_be_visible()
    content = page.content()
    for text in ("Friend didn't reply", "She is probably busy", "Take the bus", "Bus stop", "Slow breathing"):
        assert text not in content
    _no_csp_errors(errors)
