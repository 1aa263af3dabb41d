"""Demo wearable data: Apple, Fitbit or no device per client, coupled to latent severity, stored like an import."""

from __future__ import annotations

import datetime as dt
from statistics import mean

import pytest

from alongside.synth import steps
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.synth.wearables import wearables_step
from alongside.wearables.models import DailyFeature, ImportJob, Metric

TODAY = dt.date(2026, 3, 15)
STEPS = [
    steps.practice_step,
    steps.staff_step,
    steps.consent_document_step,
    steps.clients_step,
    steps.care_team_step,
    steps.episode_step,
    steps.consent_step,
    steps.scopes_step,
    wearables_step,
]


@pytest.mark.django_db
def test_demo_clients_get_apple_fitbit_or_nothing_following_their_severity(settings, tmp_path):
    """Both vendors and device-less clients appear; SDNN only from Apple, RMSSD only from Fitbit; worse-off clients walk less."""
    settings.WEARABLES_DIR = tmp_path / "store"
    config = SynthConfig(seed=11, n_clients=12, today=TODAY)
    ctx_clients = []

    def keep(ctx):
        ctx_clients.extend(ctx.clients)

    generate_practice(config, steps=[*STEPS, keep])
    vendors = {job.client_id: job.source for job in ImportJob.objects.all()}
    active = [c for c in ctx_clients if c.plan.ended_on is None]
    assert set(vendors.values()) == {"apple", "fitbit"}
    assert any(c.profile.pk not in vendors for c in active)
    for client_id, vendor in vendors.items():
        metrics = set(DailyFeature.objects.filter(client_id=client_id).values_list("metric", flat=True))
        assert (Metric.HRV_SDNN in metrics) == (vendor == "apple")
        assert (Metric.HRV_RMSSD in metrics) == (vendor == "fitbit")
        assert Metric.SLEEP_REGULARITY in metrics
    walked = []
    for client in active:
        if client.profile.pk in vendors:
            days = DailyFeature.objects.filter(client=client.profile, metric=Metric.STEPS).values_list(
                "value", flat=True
            )
            walked.append((client.plan.latent.severity, mean(days)))
    walked.sort()
    half = len(walked) // 2
    assert mean(v for _s, v in walked[:half]) > mean(v for _s, v in walked[half:])
