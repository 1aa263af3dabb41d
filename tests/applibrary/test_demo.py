"""The demo practice gets readiness checks for every client, varied set-ups, apps and a Daylio history."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.applibrary.models import ClientModes, ImportedEntry, ReadinessCheck, Recommendation
from alongside.care.models import ClientProfile
from alongside.synth import steps
from alongside.synth.applibrary import applibrary_step
from alongside.synth.config import SynthConfig
from alongside.synth.generate import DEFAULT_STEPS, generate_practice

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
]


def test_the_demo_step_is_in_the_default_generator():
    """`make demo` runs it: the step is part of the default steps."""
    assert applibrary_step in DEFAULT_STEPS


def test_demo_clients_get_checks_modes_apps_and_an_imported_history():
    """Every client has a check, discharged ones too; exactly one is discreet and one has the paper pack; some see
    apps."""
    config = SynthConfig(seed=5, n_clients=12, today=dt.date(2026, 12, 1), domain="applib.example")
    generate_practice(config, steps=[*PEOPLE_STEPS, applibrary_step])
    assert ClientProfile.objects.exclude(status="active").exists(), "the sample has clients whose care ended"
    assert ReadinessCheck.objects.count() == ClientProfile.objects.count()
    assert not ClientProfile.objects.filter(readiness_checks__isnull=True).exists()
    assert ClientModes.objects.filter(discreet=True).count() == 1
    assert ClientModes.objects.filter(paper_pack=True).count() == 1
    assert ClientModes.objects.filter(low_bandwidth=True).count() >= 2
    assert Recommendation.objects.values("client").distinct().count() >= 3
    assert Recommendation.objects.filter(status="using").exists()
    assert ImportedEntry.objects.filter(source="daylio").count() == 45
