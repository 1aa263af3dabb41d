"""The demo practice gets a treatment plan per active client, signed notes with an addendum, drafts, private notes."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.care.models import ClientProfile
from alongside.records.models import NoteAddendum, NoteStatus, ProgressNote, PsychotherapyNote, TreatmentPlan
from alongside.synth import steps
from alongside.synth.config import SynthConfig
from alongside.synth.generate import DEFAULT_STEPS, generate_practice
from alongside.synth.records import records_step
from alongside.synth.sessions import sessions_step

pytestmark = pytest.mark.django_db

PEOPLE_STEPS = [
    steps.practice_step,
    steps.staff_step,
    steps.consent_document_step,
    steps.clients_step,
    steps.care_team_step,
    steps.episode_step,
    steps.consent_step,
    steps.scopes_step,
    sessions_step,
]


def test_the_records_step_is_in_the_default_generator():
    """`make demo` runs it, after the sessions it writes notes for."""
    assert DEFAULT_STEPS.index(records_step) > DEFAULT_STEPS.index(sessions_step)


def test_demo_clients_get_plans_and_notes():
    """Every active client has a plan; signed notes, drafts, an addendum and psychotherapy notes all appear."""
    config = SynthConfig(seed=5, n_clients=12, today=dt.date(2026, 12, 1), domain="records.example")
    generate_practice(config, steps=[*PEOPLE_STEPS, records_step])
    active = ClientProfile.objects.filter(status="active").count()
    assert TreatmentPlan.objects.count() == active
    assert ProgressNote.objects.filter(status=NoteStatus.SIGNED).exists()
    assert ProgressNote.objects.filter(status=NoteStatus.DRAFT).exists()
    assert NoteAddendum.objects.exists()
    assert PsychotherapyNote.objects.exists()
    assert TreatmentPlan.objects.filter(review_on__lt=dt.date.today()).exists(), "a plan shows the review reminder"
