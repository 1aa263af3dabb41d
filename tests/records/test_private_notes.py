"""Psychotherapy notes (HIPAA 45 CFR 164.501): sealed, readable by their author alone, absent from every other page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.care.models import CareTeamMember
from alongside.fhir.measures import client_measures_bundle
from alongside.records.models import PsychotherapyNote
from alongside.records.selectors import private_note_for
from alongside.records.services import private_note_save
from tests.records.support import raw_rows

pytestmark = pytest.mark.django_db

SENTINEL = "Orchardine-Sentinel-9083"


@pytest.fixture
def note(world):
    CareTeamMember.objects.create(client=world.sam, clinician=world.bob)  # Bob joins Sam's team
    return private_note_save(actor=world.alice, client=world.sam, text=f"Transference: {SENTINEL}")


def test_the_note_is_sealed_and_its_writing_audited_without_content(world, note):
    """No plaintext in the table; the audit event names the note, not its words."""
    assert SENTINEL not in raw_rows("records_psychotherapynote")
    event = AuditEvent.objects.get(action="records.private_note_saved")
    assert event.object_id == str(note.pk)
    assert SENTINEL not in repr(event.detail)


def test_the_author_reads_and_changes_it(world, note, staff_client):
    """Alice sees her note on her page and can change it; each opening is audited."""
    browser = staff_client(world.alice)
    assert SENTINEL in browser.get(reverse("records:private_notes", args=[world.sam.pk])).content.decode()
    browser.post(reverse("records:private_note", args=[note.pk]), {"text": "Rewritten"})
    note.refresh_from_db()
    assert note.text == "Rewritten"
    assert AuditEvent.objects.filter(action="records.private_note_viewed", object_id=str(note.pk)).exists()


@pytest.mark.parametrize("who", ["bob", "admin", "carol"])
def test_nobody_else_on_staff_reads_it(world, note, staff_client, who):
    """Bob on the same care team, the practice admin and another practice get 404 or an empty list."""
    person = getattr(world, who)
    browser = staff_client(person)
    assert browser.get(reverse("records:private_note", args=[note.pk])).status_code == 404
    listing = browser.get(reverse("records:private_notes", args=[world.sam.pk]))
    assert SENTINEL not in listing.content.decode()
    with pytest.raises(Http404):
        private_note_for(actor=person, note_id=note.pk)
    with pytest.raises((Http404, PermissionDenied)):
        private_note_save(actor=person, client=world.sam, text="x", note_id=note.pk)
    assert PsychotherapyNote.objects.get(pk=note.pk).text.endswith(SENTINEL)


def test_the_client_cannot_read_it(world, note, client):
    """Sam is refused the page, and the note is nowhere on his home page."""
    client.force_login(world.sam.user)
    assert client.get(reverse("records:private_note", args=[note.pk])).status_code in (403, 404)
    assert SENTINEL not in client.get("/").content.decode()


def test_the_note_is_in_no_brief_record_page_or_export(world, note, staff_client):
    """Sentinel walk: the brief, the notes list, the plan, the client record and the FHIR bundle never carry it."""
    browser = staff_client(world.alice)
    for url in (
        reverse("sessions:brief", args=[world.sam.pk]),
        reverse("records:client_notes", args=[world.sam.pk]),
        reverse("records:plan", args=[world.sam.pk]),
        reverse("care:client_detail", args=[world.sam.pk]),
    ):
        answer = browser.get(url)
        assert answer.status_code == 200, url
        assert SENTINEL not in answer.content.decode(), url
    bundle = client_measures_bundle(world.sam, []).model_dump_json()
    assert SENTINEL not in bundle
