"""A practice's own note template in real Chromium: the admin defines it, a clinician writes a note from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.records.models import NoteStatus, NoteTemplate, ProgressNote
from alongside.sessions.services import appointment_create
from tests import factories
from tests.a11y import assert_no_serious_axe_violations
from tests.measures.test_alert_path_browser import _as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_defines_a_template_and_alice_writes_a_note_from_it(live_server, browser) -> None:
    """The admin creates "GIRP" with three sections on the practice page; Alice chooses it beside SOAP, DAP and BIRP,
    writes under its headings and signs. The template pages and the note pass axe."""
    world = factories.world()
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=starts)

    admin = _as_staff(browser, live_server, world.admin)
    admin.goto(f"{live_server.url}/records/practice/note-templates/")
    assert_no_serious_axe_violations(admin, context_label="note templates")
    admin.get_by_role("link", name="New template").click()
    assert_no_serious_axe_violations(admin, context_label="new note template")
    admin.get_by_label("Name").fill("GIRP")
    admin.get_by_label("Heading 1", exact=True).fill("Goals")
    admin.get_by_label("Prompt 1", exact=True).fill("The goals worked on today.")
    admin.get_by_label("Heading 2", exact=True).fill("Intervention")
    admin.get_by_label("Heading 3", exact=True).fill("Response")
    admin.get_by_role("button", name="Save the template").click()
    expect(admin.get_by_text("Template saved.")).to_be_visible()
    expect(admin.get_by_role("link", name="GIRP")).to_be_visible()

    page = _as_staff(browser, live_server, world.alice)
    page.goto(f"{live_server.url}/records/clients/{world.sam.pk}/notes/")
    page.get_by_role("link", name="Write the note").click()
    expect(page.get_by_label("SOAP (subjective, objective, assessment, plan)")).to_be_visible()
    page.get_by_label("GIRP").check()
    page.get_by_role("button", name="Start the note").click()
    page.get_by_label("Goals").fill("Two social plans this week")
    page.get_by_label("Intervention").fill("Activity scheduling")
    page.get_by_label("Response").fill("Keen to try")
    expect(page.get_by_text("The goals worked on today.")).to_be_visible()
    assert_no_serious_axe_violations(page, context_label="note from a practice template")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Note signed.")).to_be_visible()
    note = ProgressNote.objects.get(client=world.sam)
    assert (note.template, note.status) == (NoteTemplate.PRACTICE, NoteStatus.SIGNED)
    assert note.sections == {"s1": "Two social plans this week", "s2": "Activity scheduling", "s3": "Keen to try"}
