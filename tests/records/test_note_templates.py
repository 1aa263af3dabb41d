"""Practice-defined progress-note templates: validated, admins only, their own practice's only, copied into notes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.care.models import Role
from alongside.records.models import NoteTemplate
from alongside.records.services import (
    note_draft_save,
    note_sign,
    note_start,
    note_template_retire,
    note_template_save,
)
from tests.factories import staff
from tests.records.support import appointment

pytestmark = pytest.mark.django_db

GIRP = [
    {"heading": "Goals", "prompt": "The goals this session worked on."},
    {"heading": "Intervention", "prompt": ""},
    {"heading": "Response", "prompt": "How the client took it."},
    {"heading": "Plan", "prompt": "Next steps."},
]


def test_an_admin_defines_a_template_and_a_note_is_written_with_its_sections(world):
    """A note started from a practice template holds its headings in order; saving and signing use them."""
    template = note_template_save(actor=world.admin, name="  GIRP  ", sections=[*GIRP, {"heading": "", "prompt": ""}])
    assert (template.name, [row["heading"] for row in template.sections]) == (
        "GIRP",
        ["Goals", "Intervention", "Response", "Plan"],
    )
    note = note_start(actor=world.alice, appointment_id=appointment(world).pk, template=str(template.pk))
    assert note.template == NoteTemplate.PRACTICE
    assert note.practice_template_id == template.pk
    assert [h["heading"] for h in note.headings] == ["Goals", "Intervention", "Response", "Plan"]
    saved = note_draft_save(actor=world.alice, note_id=note.pk, sections={"s1": "Sleep", "s4": "Diary", "x": "drop"})
    assert saved.note.sections == {"s1": "Sleep", "s2": "", "s3": "", "s4": "Diary"}
    note_sign(actor=world.alice, note_id=note.pk, sections={"s1": "Sleep", "s4": "Diary"})
    actions = AuditEvent.objects.filter(object_id=str(template.pk)).values_list("action", flat=True)
    assert list(actions) == ["records.template_saved"]


def test_a_note_keeps_its_sections_when_the_template_changes_or_retires(world):
    """Renaming and reordering headings, then retiring, leaves an existing note's sections as they were."""
    template = note_template_save(actor=world.admin, name="GIRP", sections=GIRP)
    note = note_start(actor=world.alice, appointment_id=appointment(world).pk, template=str(template.pk))
    note_template_save(
        actor=world.admin, template_id=template.pk, name="GIRP 2", sections=[{"heading": "Only one", "prompt": ""}]
    )
    note_template_retire(actor=world.admin, template_id=template.pk)
    note.refresh_from_db()
    assert [h["heading"] for h in note.headings] == ["Goals", "Intervention", "Response", "Plan"]
    assert set(note.sections) == {"s1", "s2", "s3", "s4"}
    with pytest.raises(Http404):
        note_start(actor=world.alice, appointment_id=appointment(world).pk, template=str(template.pk))


@pytest.mark.parametrize(
    ("name", "sections", "message"),
    [
        ("", GIRP, "Give the template a name."),
        ("x" * 81, GIRP, "Keep the name under 80 characters."),
        ("Empty", [{"heading": " ", "prompt": ""}], "Add at least one section heading."),
        ("Many", [{"heading": f"H{i}", "prompt": ""} for i in range(13)], "A template has at most 12 sections."),
        ("Twice", [{"heading": "Plan", "prompt": ""}, {"heading": "plan", "prompt": ""}], "different heading"),
        ("Orphan", [{"heading": "", "prompt": "What?"}], "Every prompt needs a heading."),
        ("Long", [{"heading": "H", "prompt": "p" * 201}], "prompts under 200"),
    ],
)
def test_bad_templates_are_refused_with_a_message_and_nothing_is_saved(world, name, sections, message):
    """Each invalid template is refused with a clear message; no template row is written."""
    with pytest.raises(ValidationError) as error:
        note_template_save(actor=world.admin, name=name, sections=sections)
    assert message in " ".join(error.value.messages)
    assert not world.practice.note_templates.exists()


def test_only_practice_admins_change_templates(world):
    """A clinician who is not an admin may use templates but not define or retire them."""
    template = note_template_save(actor=world.admin, name="GIRP", sections=GIRP)
    with pytest.raises(PermissionDenied):
        note_template_save(actor=world.alice, name="Mine", sections=GIRP)
    with pytest.raises(PermissionDenied):
        note_template_retire(actor=world.alice, template_id=template.pk)


def test_another_practices_template_is_a_404_everywhere(world):
    """Another practice's template can be neither used for a note, nor changed, nor retired (404)."""
    away_admin = staff(world.other_practice, role=Role.ADMIN)
    theirs = note_template_save(actor=away_admin, name="Theirs", sections=GIRP)
    with pytest.raises(Http404):
        note_start(actor=world.alice, appointment_id=appointment(world).pk, template=str(theirs.pk))
    with pytest.raises(Http404):
        note_template_save(actor=world.admin, template_id=theirs.pk, name="Taken", sections=GIRP)
    with pytest.raises(Http404):
        note_template_retire(actor=world.admin, template_id=theirs.pk)
    theirs.refresh_from_db()
    assert (theirs.name, theirs.retired_at) == ("Theirs", None)


def test_an_unknown_template_value_is_refused(world):
    """A template that is neither built in nor an id is a validation error, not a crash."""
    with pytest.raises(ValidationError):
        note_start(actor=world.alice, appointment_id=appointment(world).pk, template="made-up")


def test_the_admin_pages_create_change_and_retire_a_template(world, staff_client):
    """Through the practice pages an admin creates, changes and retires a template; the start page offers it."""
    browser = staff_client(world.admin)
    answer = browser.post(
        "/records/practice/note-templates/new/",
        {"name": "GIRP", "heading_1": "Goals", "prompt_1": "Worked on", "heading_2": "Plan"},
    )
    assert answer.status_code == 302
    template = world.practice.note_templates.get()
    assert template.sections == [{"heading": "Goals", "prompt": "Worked on"}, {"heading": "Plan", "prompt": ""}]
    page = browser.get(f"/records/practice/note-templates/{template.pk}/")
    assert page.status_code == 200
    assert 'value="Goals"' in page.content.decode()
    browser.post(f"/records/practice/note-templates/{template.pk}/", {"name": "GIRP short", "heading_1": "Goals"})
    template.refresh_from_db()
    assert (template.name, len(template.sections)) == ("GIRP short", 1)
    listing = browser.get("/records/practice/note-templates/").content.decode()
    assert "GIRP short" in listing

    start = staff_client(world.alice).get(f"/records/appointments/{appointment(world).pk}/note/").content.decode()
    assert "GIRP short" in start
    assert f'value="{template.pk}"' in start
    staff_client(world.admin).post(f"/records/practice/note-templates/{template.pk}/retire/")
    start = staff_client(world.alice).get(f"/records/appointments/{appointment(world).pk}/note/").content.decode()
    assert "GIRP short" not in start


def test_the_pages_refuse_clinicians_and_other_practices(world, staff_client):
    """A clinician who is not an admin gets 403; another practice's admin gets 404 for this practice's template."""
    template = note_template_save(actor=world.admin, name="GIRP", sections=GIRP)
    assert staff_client(world.alice).get("/records/practice/note-templates/").status_code == 403
    away_admin = staff(world.other_practice, role=Role.ADMIN)
    away = staff_client(away_admin)
    assert away.get(f"/records/practice/note-templates/{template.pk}/").status_code == 404
    assert away.post(f"/records/practice/note-templates/{template.pk}/retire/").status_code == 404
    assert "GIRP" not in away.get("/records/practice/note-templates/").content.decode()


def test_a_note_from_a_practice_template_shows_its_headings_on_the_page_and_in_the_pdf(world, staff_client):
    """The note page lists the copied headings and prompts under the template's name; the PDF is made."""
    template = note_template_save(actor=world.admin, name="GIRP", sections=GIRP)
    note = note_start(actor=world.alice, appointment_id=appointment(world).pk, template=str(template.pk))
    browser = staff_client(world.alice)
    page = browser.get(f"/records/notes/{note.pk}/").content.decode()
    for text in ("GIRP", "Goals", "The goals this session worked on.", "Intervention", "Response"):
        assert text in page
    pdf = browser.get(f"/records/notes/{note.pk}/note.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
