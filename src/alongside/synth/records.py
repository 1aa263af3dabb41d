"""Demo clinical records: a treatment plan for every active client, signed notes (one with an addendum) and drafts.

Written through the records services, so every row is sealed and audited as in use. A few plans are set
past their review date so that the caseload shows the review reminder. Psychotherapy notes are written for
some clients by their primary clinician (readable by that clinician alone).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.records.models import TreatmentPlan
from alongside.records.plans import Goal, Objective, PlanContent
from alongside.records.services import (
    addendum_add,
    note_draft_save,
    note_sign,
    note_start,
    plan_save,
    private_note_save,
)
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.synth.context import SynthContext

PROBLEMS = [
    "Low mood and withdrawal since a job loss",
    "Worry about health that takes hours a day",
    "Poor sleep: waking at 4 a.m. most nights",
    "Avoiding the bus and crowded shops",
    "Conflict at home and feeling on edge",
]
GOALS = [
    "Back to two social plans a week",
    "Sleep through most nights",
    "Take the bus to work without leaving early",
    "Spend less than an hour a day worrying",
    "Return to a regular weekly routine",
]
INTERVENTIONS = [
    "Behavioural activation",
    "Cognitive restructuring with thought records",
    "Graded exposure with a hierarchy",
    "Worry time and problem solving",
    "Sleep diary and stimulus control",
    "Paced breathing practice",
]
SOAP = {
    "subjective": "Says the week was 'up and down'; managed two of three planned activities.",
    "objective": "Arrived on time, engaged, brighter affect than last session.",
    "assessment": "Small gains with activation; no new risk disclosed.",
    "plan": "Keep the activity plan; add one social contact; review the thought record next time.",
}
DAP = {
    "data": "Reviewed the week's check-ins and the exposure log; SUDS fell from 70 to 40 on the third step.",
    "assessment": "Habituation within sessions; avoidance still high on busy days.",
    "plan": "Move to the next step of the ladder twice before next session.",
}
ADDENDUM = "Correction: the exposure step practised was the fourth, not the third."
PRIVATE = "Own reflections on the alliance; to take to supervision."


def _content(ctx: SynthContext, index: int) -> PlanContent:
    rng = ctx.config.rng(f"records.plan.{index}")
    today = ctx.config.anchor_date()
    return PlanContent(
        problems=rng.sample(PROBLEMS, k=2),
        goals=[Goal(text=g, target_date=today + dt.timedelta(weeks=rng.randint(8, 16))) for g in rng.sample(GOALS, 2)],
        objectives=[
            Objective(
                text="PHQ-9 under 10", instrument="phq9", target_below=10, target_date=today + dt.timedelta(weeks=12)
            ),
            Objective(text="GAD-7 under 8", instrument="gad7", target_below=8),
        ],
        interventions=rng.sample(INTERVENTIONS, k=3),
    )


def records_step(ctx: SynthContext) -> None:
    """Write each active client's plan and notes of their last two attended sessions (see the module docstring)."""
    active = [(client, profile) for client, profile in ctx.written_clients() if client.plan.active]
    today = timezone.localdate()
    for index, (client, profile) in enumerate(active):
        clinician = ctx.clinicians[client.plan.primary]
        rng = ctx.config.rng(f"records.{index}")
        review_on = today + dt.timedelta(days=rng.randint(14, 84))
        plan = plan_save(actor=clinician, client=profile, content=_content(ctx, index), review_on=review_on)
        if index % 5 == 0:  # a plan past its review date: the caseload's reminder shows
            TreatmentPlan.objects.filter(pk=plan.pk).update(review_on=today - dt.timedelta(days=rng.randint(1, 10)))
        ctx.count("treatment_plans")
        attended = list(
            Appointment.objects.filter(client=profile, clinician=clinician, status=AppointmentStatus.ATTENDED)
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:2]
        )
        for number, appointment_id in enumerate(attended):
            template, sections = ("soap", SOAP) if rng.random() < 0.5 else ("dap", DAP)
            note = note_start(actor=clinician, appointment_id=appointment_id, template=template)
            if number == 0 and index % 3 == 1:  # the latest session's note still a draft
                note_draft_save(actor=clinician, note_id=note.pk, sections=sections)
                ctx.count("draft_notes")
                continue
            note_sign(actor=clinician, note_id=note.pk, sections=sections)
            ctx.count("signed_notes")
            if number == 1 and index % 4 == 0:
                addendum_add(actor=clinician, note_id=note.pk, text=ADDENDUM)
                ctx.count("note_addenda")
        if index % 3 == 0:
            private_note_save(actor=clinician, client=profile, text=PRIVATE)
            ctx.count("psychotherapy_notes")
