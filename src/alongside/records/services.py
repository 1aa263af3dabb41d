"""Writes of clinical records: progress notes and their signing and addenda, psychotherapy notes, treatment plans.

Progress notes and plans are written by clinicians on the client's current care team; a psychotherapy note is
written and changed by its author alone. A signed progress note never changes: an edit is refused and the
attempt is audited; a correction is a signed addendum.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import Action, decide, owned_or_404
from alongside.applibrary.models import ReadinessCheck
from alongside.audit.log import record
from alongside.care.models import ClientProfile, Membership
from alongside.care.selectors import membership_for
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.records.models import (
    NoteAddendum,
    NoteStatus,
    NoteTemplate,
    PlanReview,
    PracticeNoteTemplate,
    ProgressNote,
    PsychotherapyNote,
    RecordsAuditAction,
    Suitability,
    TreatmentPlan,
)
from alongside.records.note_templates import (
    MAX_HEADING,
    MAX_NAME,
    MAX_PROMPT,
    MAX_SECTIONS,
    SECTIONS,
    clean_sections,
    note_sections,
)
from alongside.records.plans import PlanContent
from alongside.sessions.models import Appointment

MAX_TEXT = 20_000  # characters of one psychotherapy note or addendum


def _care_team(actor: SignedIn, client: ClientProfile) -> None:
    if not decide(actor, client, Action.CARE_TEAM):
        raise PermissionDenied(_("Only the client's care team can write clinical records."))


def _text(text: str, *, empty: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Keep it under %(n)s characters.") % {"n": f"{MAX_TEXT:,}"})
    return text


@service
def note_start(*, actor: SignedIn, appointment_id: uuid.UUID | str, template: str) -> ProgressNote:
    """Start the progress note of an appointment from a template (one note per appointment).

    ``template`` is "soap", "dap", "birp" or the id of one of the client's practice's own templates (which the
    note copies, so it keeps those sections whatever later happens to the template).
    """
    appointment = owned_or_404(actor, Appointment, appointment_id, Action.CARE_TEAM)
    own = None
    if template not in SECTIONS:
        own = _practice_template(practice_id=appointment.client.practice_id, template_id=template, live=True)
    existing = ProgressNote.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing  # a second click on "Start" opens the note already begun
    now = timezone.now()
    note = ProgressNote(
        client=appointment.client, appointment=appointment, author=actor, template=template, created_at=now,
        updated_at=now,
    )  # fmt: skip
    if own is not None:
        note.template, note.practice_template = NoteTemplate.PRACTICE, own
        note.headings = [
            {"code": f"s{i}", "heading": row["heading"], "prompt": row.get("prompt", "")}
            for i, row in enumerate(own.sections, start=1)
        ]
    note.sections = clean_sections(note_sections(note), {})
    note.save()
    record(RecordsAuditAction.NOTE_STARTED, actor=actor, obj=note, client_id=note.client_id)
    return note


@dataclass(frozen=True)
class DraftSaved:
    """The outcome of saving a draft: ``refused`` when the note was already signed (and nothing changed)."""

    note: ProgressNote
    refused: bool


@service
def note_draft_save(*, actor: SignedIn, note_id: uuid.UUID | str, sections: dict[str, str]) -> DraftSaved:
    """Save a draft's sections (the page autosaves too). A signed note is left as it was; the attempt is audited."""
    queryset = ProgressNote.objects.select_for_update()
    note = owned_or_404(actor, ProgressNote, note_id, Action.CARE_TEAM, queryset=queryset)
    if note.is_signed:
        record(RecordsAuditAction.NOTE_EDIT_REFUSED, actor=actor, obj=note, client_id=note.client_id)
        return DraftSaved(note=note, refused=True)
    note.sections = clean_sections(note_sections(note), sections)
    note.updated_at = timezone.now()
    note.save(update_fields=["sections_sealed", "updated_at"])
    record(RecordsAuditAction.NOTE_DRAFT_SAVED, actor=actor, obj=note, client_id=note.client_id)
    return DraftSaved(note=note, refused=False)


@service
def note_sign(*, actor: SignedIn, note_id: uuid.UUID | str, sections: dict[str, str]) -> ProgressNote:
    """Save the last changes and sign the note as its author; from then on it is locked."""
    queryset = ProgressNote.objects.select_for_update()
    note = owned_or_404(actor, ProgressNote, note_id, Action.CARE_TEAM, queryset=queryset)
    if note.is_signed:
        raise ValidationError(_("This note is already signed. Add an addendum instead."))
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Only the note's author can sign it."))
    cleaned = clean_sections(note_sections(note), sections)
    if not any(cleaned.values()):
        raise ValidationError(_("An empty note cannot be signed."))
    now = timezone.now()
    note.sections = cleaned
    note.status, note.signed_at, note.updated_at = NoteStatus.SIGNED, now, now
    note.save(update_fields=["sections_sealed", "status", "signed_at", "updated_at"])
    record(RecordsAuditAction.NOTE_SIGNED, actor=actor, obj=note, client_id=note.client_id)
    return note


@service
def addendum_add(*, actor: SignedIn, note_id: uuid.UUID | str, text: str) -> NoteAddendum:
    """Add a dated, signed addendum to a signed note (a draft is simply edited)."""
    note = owned_or_404(actor, ProgressNote, note_id, Action.CARE_TEAM)
    if not note.is_signed:
        raise ValidationError(_("The note is still a draft: change it directly."))
    addendum = NoteAddendum(note=note, client_id=note.client_id, author=actor, signed_at=timezone.now())
    addendum.text = _text(text, empty=_("Write the addendum first."))
    addendum.save()
    record(RecordsAuditAction.ADDENDUM_ADDED, actor=actor, obj=addendum, client_id=note.client_id)
    return addendum


@service
def private_note_save(
    *,
    actor: SignedIn,
    client: ClientProfile,
    text: str,
    note_id: uuid.UUID | str | None = None,
    appointment: Appointment | None = None,
) -> PsychotherapyNote:
    """Write a new psychotherapy note, or change one of the author's own (nobody else may open it)."""
    _care_team(actor, client)
    now = timezone.now()
    if note_id is None:
        note = PsychotherapyNote(client=client, author=actor, created_at=now, updated_at=now)
        if appointment is not None and appointment.client_id == client.pk:
            note.appointment = appointment
    else:
        note = _own_private_note(actor, note_id)
        if note.client_id != client.pk:
            raise PermissionDenied(_("This note belongs to another client."))
        note.updated_at = now
    note.text = _text(text, empty=_("Write the note first."))
    note.save()
    record(RecordsAuditAction.PRIVATE_NOTE_SAVED, actor=actor, obj=note, client_id=client.pk)
    return note


def _own_private_note(actor: SignedIn, note_id: uuid.UUID | str) -> PsychotherapyNote:
    from django.http import Http404

    note = owned_or_404(actor, PsychotherapyNote, note_id, Action.CARE_TEAM)
    if note.author_id != actor.pk:
        raise Http404("No such note.")
    return note


@service
def plan_save(*, actor: SignedIn, client: ClientProfile, content: PlanContent, review_on: dt.date) -> TreatmentPlan:
    """Save the client's treatment plan as its next version (earlier versions stay as they were)."""
    _care_team(actor, client)
    if review_on <= timezone.localdate():
        raise ValidationError(_("The review date must be in the future."))
    if not (content.goals or content.objectives or content.problems):
        raise ValidationError(_("A plan needs at least one problem, goal or objective."))
    latest = TreatmentPlan.objects.select_for_update().filter(client=client).order_by("-version").first()
    plan = TreatmentPlan(
        client=client,
        version=(latest.version + 1) if latest else 1,
        created_at=timezone.now(),
        created_by=actor,
        review_on=review_on,
    )
    plan.content = content.model_dump(mode="json")
    plan.save()
    record(RecordsAuditAction.PLAN_SAVED, actor=actor, obj=plan, client_id=client.pk, detail={"version": plan.version})
    return plan


@service
def plan_review(
    *,
    actor: SignedIn,
    client: ClientProfile,
    next_review_on: dt.date,
    suitability: str,
    readiness_check_id: uuid.UUID | str | None,
    note: str = "",
) -> PlanReview:
    """Record a review of the current plan, with digital readiness and suitability revisited (issue #18).

    ``readiness_check_id`` is the check shown to the clinician at the review (the client's latest), or None.
    """
    _care_team(actor, client)
    plan = TreatmentPlan.objects.filter(client=client).order_by("-version").first()
    if plan is None:
        raise ValidationError(_("There is no treatment plan to review yet."))
    if suitability not in Suitability.values:
        raise ValidationError(_("Say whether the client's set-up for digital tools still suits them."))
    if next_review_on <= timezone.localdate():
        raise ValidationError(_("The next review date must be in the future."))
    check = None
    if readiness_check_id:
        check = ReadinessCheck.objects.filter(pk=readiness_check_id, client=client).first()
    review = PlanReview(
        plan=plan, client=client, reviewer=actor, reviewed_at=timezone.now(), next_review_on=next_review_on,
        suitability=suitability, readiness_check=check,
    )  # fmt: skip
    review.note = note.strip()[:MAX_TEXT]
    review.save()
    detail: dict[str, Any] = {"version": plan.version, "suitability": suitability}
    record(RecordsAuditAction.PLAN_REVIEWED, actor=actor, obj=review, client_id=client.pk, detail=detail)
    return review


def _practice_template(*, practice_id: Any, template_id: Any, live: bool = False) -> PracticeNoteTemplate:
    """A template of this practice; any other id (another practice's, a retired one when ``live``) is a 404."""
    try:
        key = uuid.UUID(str(template_id))
    except ValueError:
        raise ValidationError(_("Choose a note template.")) from None
    rows = PracticeNoteTemplate.objects.filter(practice_id=practice_id, pk=key)
    found = rows.filter(retired_at__isnull=True).first() if live else rows.first()
    if found is None:
        raise Http404("No such note template.")
    return found


def _admin_of_practice(actor: SignedIn) -> Membership:
    membership = membership_for(user=actor)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can change note templates."))
    return membership


def _template_rows(name: str, sections: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """The name and sections, validated: a name, 1 to 12 distinct headings, each with an optional short prompt."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the template a name."))
    if len(name) > MAX_NAME:
        raise ValidationError(_("Keep the name under %(n)s characters.") % {"n": MAX_NAME})
    rows = []
    for row in sections:
        heading, prompt = " ".join(str(row.get("heading", "")).split()), str(row.get("prompt", "")).strip()
        if not heading and not prompt:
            continue
        if not heading:
            raise ValidationError(_("Every prompt needs a heading."))
        if len(heading) > MAX_HEADING or len(prompt) > MAX_PROMPT:
            raise ValidationError(
                _("Keep headings under %(h)s characters and prompts under %(p)s.") % {"h": MAX_HEADING, "p": MAX_PROMPT}
            )
        rows.append({"heading": heading, "prompt": prompt})
    if not rows:
        raise ValidationError(_("Add at least one section heading."))
    if len(rows) > MAX_SECTIONS:
        raise ValidationError(_("A template has at most %(n)s sections.") % {"n": MAX_SECTIONS})
    if len({r["heading"].casefold() for r in rows}) != len(rows):
        raise ValidationError(_("Give each section a different heading."))
    return name, rows


@service
def note_template_save(
    *, actor: SignedIn, name: str, sections: list[dict[str, str]], template_id: uuid.UUID | str | None = None
) -> PracticeNoteTemplate:
    """Create or change one of the practice's note templates (its admins only); notes already started keep theirs."""
    membership = _admin_of_practice(actor)
    name, rows = _template_rows(name, sections)
    now = timezone.now()
    if template_id is None:
        template = PracticeNoteTemplate(practice=membership.practice, created_at=now)
    else:
        template = _practice_template(practice_id=membership.practice_id, template_id=template_id, live=True)
    template.name, template.sections, template.updated_at = name, rows, now
    template.save()
    detail = {"sections": len(rows), "created": template_id is None}
    record(RecordsAuditAction.TEMPLATE_SAVED, actor=actor, obj=template, detail=detail)
    return template


@service
def note_template_retire(*, actor: SignedIn, template_id: uuid.UUID | str) -> PracticeNoteTemplate:
    """Stop offering a practice template for new notes; the notes written with it keep their sections."""
    membership = _admin_of_practice(actor)
    template = _practice_template(practice_id=membership.practice_id, template_id=template_id)
    if template.retired_at is None:
        template.retired_at = timezone.now()
        template.save(update_fields=["retired_at"])
        record(RecordsAuditAction.TEMPLATE_RETIRED, actor=actor, obj=template)
    return template
