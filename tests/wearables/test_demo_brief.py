"""The demo shows wearables in a session brief: at least one client has a mood pattern and a sustained change."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.synth import steps
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.synth.selfcare.write import selfcare_step
from alongside.synth.wearables import wearables_step
from alongside.wearables import page_parts

TODAY = dt.date(2026, 3, 15)


@pytest.mark.django_db
def test_the_demo_gives_a_brief_with_a_mood_pattern_and_a_sustained_change(settings, tmp_path):
    """With the demo's own steps (check-ins, then a year of watch data), some client's brief has both sections."""
    settings.WEARABLES_DIR = tmp_path / "store"
    config = SynthConfig(seed=2026, n_clients=12, today=TODAY)
    kept = []
    generate_practice(
        config,
        steps=[
            steps.practice_step,
            steps.staff_step,
            steps.consent_document_step,
            steps.clients_step,
            steps.care_team_step,
            steps.episode_step,
            steps.consent_step,
            steps.scopes_step,
            selfcare_step,
            wearables_step,
            lambda ctx: kept.extend(ctx.clients),
        ],
    )
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
    with_insights, with_changes = [], []
    for client in kept:
        if client.profile is None:
            continue
        if page_parts.brief_insights(client.profile, now, now):
            with_insights.append(client.profile.pk)
        if page_parts.brief_section(client.profile, now, now):
            with_changes.append(client.profile.pk)
    assert with_insights, "no demo client's brief names a mood pattern"
    assert with_changes, "no demo client's brief names a sustained change"
