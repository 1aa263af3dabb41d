"""Reads of clinical records, each access-checked and audited.

Progress notes and treatment plans: clinicians on the client's current care team (not practice admins
off the team, not the client). Psychotherapy notes: their author alone, while on the care team.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from alongside.access import Action, client_or_404, owned_or_404
from alongside.applibrary.models import AppLibraryAuditAction, ReadinessCheck
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import SignedIn
from alongside.records.models import (
    Disclosure,
    PlanReview,
    PracticeNoteTemplate,
    ProgressNote,
    PsychotherapyNote,
    RecordsAuditAction,
    TreatmentPlan,
)
from alongside.sessions.models import Appointment


def team_client(*, actor: SignedIn, client_id: uuid.UUID | str) -> ClientProfile:
    """The client, when ``actor`` is on their current care team; 404 otherwise."""
    return client_or_404(actor, client_id, Action.CARE_TEAM)


@dataclass(frozen=True)
class NoteRow:
    appointment: Appointment
    note: ProgressNote | None


def notes_overview(*, actor: SignedIn, client: ClientProfile) -> list[NoteRow]:
    """The client's appointments (newest first) with their notes' status; no note text is opened."""
    appointments = Appointment.objects.filter(client=client).select_related("clinician").order_by("-starts_at")
    notes = {n.appointment_id: n for n in ProgressNote.objects.filter(client=client).defer("sections_sealed")}
    record(RecordsAuditAction.NOTES_LISTED, actor=actor, client_id=client.pk)
    return [NoteRow(appointment=a, note=notes.get(a.pk)) for a in appointments[:200]]


def note_for(*, actor: SignedIn, note_id: uuid.UUID | str, exported: bool = False) -> ProgressNote:
    """One progress note with its addenda, for the care team; audited (as an export when ``exported``)."""
    note = owned_or_404(
        actor,
        ProgressNote,
        note_id,
        Action.CARE_TEAM,
        queryset=ProgressNote.objects.select_related("appointment", "author").prefetch_related("addenda__author"),
    )
    action = RecordsAuditAction.NOTE_EXPORTED if exported else RecordsAuditAction.NOTE_VIEWED
    record(action, actor=actor, obj=note, client_id=note.client_id)
    return note


def appointment_for_note(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> Appointment:
    """An appointment whose note the care team may start."""
    return owned_or_404(actor, Appointment, appointment_id, Action.CARE_TEAM)


def private_notes(*, actor: SignedIn, client: ClientProfile) -> list[PsychotherapyNote]:
    """The actor's own psychotherapy notes about the client (nobody else's, ever); audited when any are opened."""
    notes = list(PsychotherapyNote.objects.filter(client=client, author=actor).order_by("-created_at"))
    for note in notes:
        record(RecordsAuditAction.PRIVATE_NOTE_VIEWED, actor=actor, obj=note, client_id=client.pk)
    return notes


def private_note_for(*, actor: SignedIn, note_id: uuid.UUID | str) -> PsychotherapyNote:
    """One psychotherapy note, for its author on the care team; 404 for everyone else (even the practice admin)."""
    note = owned_or_404(actor, PsychotherapyNote, note_id, Action.CARE_TEAM)
    if note.author_id != getattr(actor, "pk", None):
        raise Http404("No such note.")
    record(RecordsAuditAction.PRIVATE_NOTE_VIEWED, actor=actor, obj=note, client_id=note.client_id)
    return note


@dataclass(frozen=True)
class PlanPage:
    client: ClientProfile
    current: TreatmentPlan | None
    history: list[TreatmentPlan]
    reviews: list[PlanReview]

    @property
    def review_due_on(self) -> dt.date | None:
        return review_due_on(self.current, self.reviews)


def review_due_on(plan: TreatmentPlan | None, reviews: list[PlanReview]) -> dt.date | None:
    """When the current plan is next to be reviewed: the last review's next date, else the plan's own."""
    if plan is None:
        return None
    mine = [r for r in reviews if r.plan_id == plan.pk]
    return max(mine, key=lambda r: r.reviewed_at).next_review_on if mine else plan.review_on


def plan_page(*, actor: SignedIn, client_id: uuid.UUID | str) -> PlanPage:
    """The client's treatment plan, its earlier versions and reviews, for the care team; audited."""
    client = team_client(actor=actor, client_id=client_id)
    history = list(TreatmentPlan.objects.filter(client=client).select_related("created_by").order_by("-version"))
    reviews = list(PlanReview.objects.filter(client=client).select_related("reviewer", "plan").order_by("-reviewed_at"))
    current = history[0] if history else None
    if current is not None:
        record(RecordsAuditAction.PLAN_VIEWED, actor=actor, obj=current, client_id=client.pk)
    return PlanPage(client=client, current=current, history=history, reviews=reviews)


def readiness_for_review(*, actor: SignedIn, client: ClientProfile) -> ReadinessCheck | None:
    """The client's latest readiness check, shown at a plan review (``client`` came from an access-checked read)."""
    check = ReadinessCheck.objects.filter(client=client).order_by("-taken_at").first()
    if check is not None:
        record(AppLibraryAuditAction.READINESS_VIEWED, actor=actor, obj=check, client_id=client.pk)
    return check


def plan_for_brief(client: ClientProfile) -> dict[str, Any] | None:
    """The current plan for the session brief (the brief has checked that the reader is on the care team)."""
    plan = TreatmentPlan.objects.filter(client=client).order_by("-version").first()
    if plan is None:
        return None
    reviews = list(PlanReview.objects.filter(plan=plan))
    return {"plan": plan, "content": plan.content or {}, "review_due_on": review_due_on(plan, reviews)}


def latest_totals(*, actor: SignedIn, client: ClientProfile, instruments: set[str]) -> dict[str, Any]:
    """The latest total of each named instrument, when the client shares measures with the actor (else empty)."""
    from alongside.measures.selectors import scores_for

    if not instruments:
        return {}
    try:
        scores = scores_for(user=actor, client_id=client.pk)
    except Http404:
        return {}  # measures not shared: the plan shows targets without scores
    latest: dict[str, Any] = {}
    for score in scores:  # oldest first: the last one wins
        if score.instrument in instruments:
            latest[score.instrument] = score
    return latest


def scores_line(*, actor: SignedIn, client: ClientProfile) -> str:
    """The latest total of each instrument the client answered, as one line for a note ("PHQ-9 12 (3 Dec 2026)")."""
    from alongside.core.formatting import fmt_date, fmt_number
    from alongside.records.plans import instrument_names

    names = instrument_names()
    latest = latest_totals(actor=actor, client=client, instruments=set(names))
    parts = [
        f"{names[code]} {fmt_number(score.total)} ({fmt_date(score.scored_at)})"
        for code, score in sorted(latest.items())
        if score.total is not None
    ]
    return "; ".join(parts)


def disclosure_for_author(*, actor: SignedIn, disclosure_id: uuid.UUID | str) -> Disclosure:
    """A disclosure of one of the actor's psychotherapy notes (404 for anyone but its requester)."""
    disclosure = owned_or_404(actor, Disclosure, disclosure_id, Action.CARE_TEAM)
    if disclosure.requested_by_id != getattr(actor, "pk", None):
        raise Http404("No such disclosure.")
    return disclosure


def live_note_templates(client: ClientProfile) -> list[PracticeNoteTemplate]:
    """The note templates of the client's practice still offered for new notes (no client data)."""
    return list(PracticeNoteTemplate.objects.filter(practice_id=client.practice_id, retired_at__isnull=True))


def practice_note_templates(practice: Any) -> list[PracticeNoteTemplate]:
    """All the practice's note templates, live first, for its admins' page."""
    return sorted(PracticeNoteTemplate.objects.filter(practice=practice), key=lambda t: (t.is_retired, t.name))


def practice_note_template(practice: Any, template_id: uuid.UUID | str) -> PracticeNoteTemplate:
    """One of the practice's note templates; another practice's is a 404."""
    found = PracticeNoteTemplate.objects.filter(practice=practice, pk=template_id).first()
    if found is None:
        raise Http404("No such note template.")
    return found
