"""Generate a synthetic practice, deterministically from a seed, in one transaction.

Usage::

    from alongside.synth.config import SynthConfig
    from alongside.synth.generate import generate_practice

    result = generate_practice(SynthConfig(seed=7, n_clients=40))

To extend the generator (measures, mood, exercises, sensor data), write a step
``def my_step(ctx: SynthContext) -> None`` that draws from
``ctx.config.rng("my_step")`` and add it to :data:`DEFAULT_STEPS` (or pass
``steps=[*DEFAULT_STEPS, my_step]``). Each step reads what the earlier ones left
in the context; the latent profile of every client (``client.plan.latent``) is the
ground truth that observations should follow.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from alongside.synth import steps
from alongside.synth.applibrary import applibrary_step
from alongside.synth.calendar import calendar_step
from alongside.synth.config import SynthConfig
from alongside.synth.context import SynthContext
from alongside.synth.measures import measures_step
from alongside.synth.messages import messages_step
from alongside.synth.plan import plan_practice
from alongside.synth.records import records_step
from alongside.synth.risk import risk_step
from alongside.synth.selfcare import selfcare_step
from alongside.synth.sessions import sessions_step
from alongside.synth.wearables import wearables_step

Step = Callable[[SynthContext], None]

# Order matters: each step may use what the steps before it wrote.
DEFAULT_STEPS: list[Step] = [
    steps.practice_step,
    steps.staff_step,
    steps.consent_document_step,
    steps.mfa_step,
    steps.clients_step,
    steps.care_team_step,
    steps.episode_step,
    steps.consent_step,
    steps.scopes_step,
    measures_step,
    selfcare_step,
    sessions_step,
    messages_step,
    applibrary_step,
    wearables_step,
    records_step,
    calendar_step,
    risk_step,
]


class AlreadySeeded(Exception):
    """The database already holds the synthetic practice of this configuration."""


@dataclass(frozen=True)
class SynthResult:
    context: SynthContext
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.context.counts)


def already_seeded(config: SynthConfig) -> bool:
    """Return whether the practice of ``config`` (its admin account) is already in the database."""
    from alongside.accounts.models import User

    return User.objects.filter(email__iexact=config.admin_email).exists()


def generate_practice(config: SynthConfig, *, steps: Sequence[Step] | None = None) -> SynthResult:
    """Plan and write one synthetic practice. All or nothing: one transaction."""
    started = time.perf_counter()
    ctx = SynthContext(config=config, plan=plan_practice(config))
    with transaction.atomic():
        if already_seeded(config):
            raise AlreadySeeded(
                f"{config.admin_email} already exists: this database already holds the synthetic "
                f"practice for {config.domain}. Use another domain, or start from an empty database."
            )
        for step in DEFAULT_STEPS if steps is None else steps:
            step(ctx)
    return SynthResult(context=ctx, seconds=time.perf_counter() - started)
