"""Progress notes: drafted from a template, signed by their author and then locked; addenda; care team only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.records.models import NoteAddendum, NoteStatus, ProgressNote
from alongside.records.services import addendum_add, note_draft_save, note_sign, note_start
from tests.records.support import appointment, raw_rows

pytestmark = pytest.mark.django_db

SUBJECTIVE = "Reports sleeping badly since the move; Harrowgate-Sentinel-1187"


def _note(world, **sections):
    note = note_start(actor=world.alice, appointment_id=appointment(world).pk, template="soap")
    return note_draft_save(actor=world.alice, note_id=note.pk, sections=sections or {"subjective": SUBJECTIVE}).note


def _actions(note) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(note.pk)).order_by("seq").values_list("action", flat=True))


def test_a_note_follows_its_template_and_is_sealed_under_the_clients_key(world):
    """A SOAP draft holds its four sections; the database holds no plaintext of them."""
    note = _note(world)
    note.refresh_from_db()
    assert set(note.sections) == {"subjective", "objective", "assessment", "plan"}
    assert note.sections["subjective"] == SUBJECTIVE
    assert "Harrowgate-Sentinel-1187" not in raw_rows("records_progressnote")
    assert _actions(note) == ["records.note_started", "records.note_draft_saved"]


def test_starting_twice_opens_the_same_note(world):
    """One note per session: a second start returns the note already begun."""
    session = appointment(world)
    first = note_start(actor=world.alice, appointment_id=session.pk, template="dap")
    assert note_start(actor=world.alice, appointment_id=session.pk, template="birp") == first
    assert ProgressNote.objects.filter(appointment=session).count() == 1


def test_a_signed_note_is_locked_and_the_attempt_to_change_it_is_audited(world):
    """After signing, saving a draft changes nothing and writes a 'tried to change' event; signing again is refused."""
    note = _note(world)
    note_sign(actor=world.alice, note_id=note.pk, sections={"subjective": SUBJECTIVE, "plan": "Sleep diary"})
    saved = note_draft_save(actor=world.alice, note_id=note.pk, sections={"subjective": "rewritten"})
    assert saved.refused
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert note.signed_at is not None
    assert note.sections["subjective"] == SUBJECTIVE
    assert _actions(note)[-2:] == ["records.note_signed", "records.note_edit_refused"]
    with pytest.raises(ValidationError, match="already signed"):
        note_sign(actor=world.alice, note_id=note.pk, sections={"subjective": "again"})


def test_the_page_refuses_an_edit_of_a_signed_note(world, staff_client):
    """A POST to a signed note's page (a stale tab) answers 409 to the autosave and leaves the note as signed."""
    note = _note(world)
    note_sign(actor=world.alice, note_id=note.pk, sections={"subjective": SUBJECTIVE})
    browser = staff_client(world.alice)
    answer = browser.post(
        reverse("records:note", args=[note.pk]), {"subjective": "changed", "save": "1"}, HTTP_X_AUTOSAVE="1"
    )
    assert answer.status_code == 409
    note.refresh_from_db()
    assert note.sections["subjective"] == SUBJECTIVE


def test_only_the_author_signs_and_an_empty_note_cannot_be_signed(world):
    """Another clinician of the care team may add to the draft but not sign it; nothing written cannot be signed."""
    note = _note(world)
    world.sam.care_team.create(clinician=world.bob)
    with pytest.raises(PermissionDenied):
        note_sign(actor=world.bob, note_id=note.pk, sections={"subjective": SUBJECTIVE})
    with pytest.raises(ValidationError, match="empty"):
        note_sign(actor=world.alice, note_id=note.pk, sections={})


def test_corrections_are_signed_addenda(world):
    """A draft takes no addendum; a signed note takes dated addenda, sealed, in order."""
    note = _note(world)
    with pytest.raises(ValidationError, match="draft"):
        addendum_add(actor=world.alice, note_id=note.pk, text="Too early")
    note_sign(actor=world.alice, note_id=note.pk, sections={"subjective": SUBJECTIVE})
    addendum_add(actor=world.alice, note_id=note.pk, text="Correction: Lindqvist-Sentinel-4410 moved in May")
    assert NoteAddendum.objects.get(note=note).text.startswith("Correction")
    assert "Lindqvist-Sentinel-4410" not in raw_rows("records_noteaddendum")
    assert _actions(note)[-1] == "records.note_signed"
    assert AuditEvent.objects.filter(action="records.addendum_added", client_id=world.sam.pk).count() == 1


def test_the_care_team_reads_a_note_and_each_read_is_audited(world, staff_client):
    """Alice's page shows the note and writes a 'viewed' event."""
    note = _note(world)
    body = staff_client(world.alice).get(reverse("records:note", args=[note.pk])).content.decode()
    assert SUBJECTIVE in body
    assert AuditEvent.objects.filter(action="records.note_viewed", object_id=str(note.pk)).count() == 1


@pytest.mark.parametrize("who", ["bob", "carol", "admin"])
def test_staff_off_the_care_team_cannot_reach_notes(world, staff_client, who):
    """A clinician off Sam's team, another practice's clinician and the practice admin get 404 and learn nothing."""
    note = _note(world)
    browser = staff_client(getattr(world, who))
    for url in (
        reverse("records:note", args=[note.pk]),
        reverse("records:client_notes", args=[world.sam.pk]),
        reverse("records:appointment_note", args=[note.appointment_id]),
    ):
        answer = browser.get(url)
        assert answer.status_code == 404, url
        assert SUBJECTIVE not in answer.content.decode()
    with pytest.raises(Http404):
        note_draft_save(actor=getattr(world, who), note_id=note.pk, sections={"subjective": "x"})


def test_the_client_cannot_open_the_clinicians_notes(world, client):
    """Sam is refused his own progress notes' staff pages (403: they are staff pages)."""
    note = _note(world)
    client.force_login(world.sam.user)
    answer = client.get(reverse("records:note", args=[note.pk]))
    assert answer.status_code in (403, 404)
    assert SUBJECTIVE not in answer.content.decode()


def test_autosave_answers_json_and_keeps_the_draft(world, staff_client):
    """The page's background save stores the sections and says when."""
    note = _note(world)
    answer = staff_client(world.alice).post(
        reverse("records:note", args=[note.pk]), {"subjective": "Autosaved text", "save": "1"}, HTTP_X_AUTOSAVE="1"
    )
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    note.refresh_from_db()
    assert note.sections["subjective"] == "Autosaved text"


def test_a_note_exports_as_pdf_for_the_care_team_only(world, staff_client):
    """Alice downloads the note as a PDF (an 'exported' audit event); Bob off the team gets 404."""
    note = _note(world)
    answer = staff_client(world.alice).get(reverse("records:note_pdf", args=[note.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="records.note_exported", object_id=str(note.pk)).count() == 1
    assert staff_client(world.bob).get(reverse("records:note_pdf", args=[note.pk])).status_code == 404
