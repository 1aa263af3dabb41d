"""Plan a synthetic practice without touching the database.

Planning is pure: the same :class:`SynthConfig` always gives the same plan. The
steps in :mod:`alongside.synth.steps` then write the plan through the product's
models and services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from alongside.synth.config import SynthConfig
from alongside.synth.latent import Latent, Trajectory, draw_latent
from alongside.synth.names import ADMIN_NAME, CLINICIAN_NAMES, GIVEN_NAMES, SURNAMES

# Where clients live besides the practice's own time zone (a US practice with some
# clients who moved, travel for work or are seen across state lines online).
OTHER_TIME_ZONES = ("America/New_York", "America/Denver", "America/Los_Angeles", "America/Phoenix")
SPANISH_TIME_ZONES = ("America/Mexico_City", "America/Monterrey", "America/Bogota")

# What brought a client to care, in the clinician's words (stored encrypted).
PRESENTING_CONCERNS = (
    "Low mood and loss of interest since a change of job",
    "Worry that is hard to switch off, poor sleep",
    "Panic attacks on public transport",
    "Grief after the death of a parent",
    "Anxiety in social situations at work",
    "Stress and irritability after a difficult year",
    "Intrusive memories after a road accident",
    "Low self-esteem and self-criticism",
    "Health worries and frequent checking",
    "Fear of heights limiting daily life",
    "Low mood after the birth of a child",
    "Burnout and trouble returning to work",
)

# How likely a client is to share each stream (illustrative, not from a study).
# Engagement nudges the optional streams up or down.
SCOPE_SHARE = {
    "mood": 0.9,
    "measures": 0.95,
    "exercises": 0.8,
    "journal": 0.3,
    "wearables_sleep": 0.45,
    "wearables_heart": 0.4,
    "wearables_active": 0.45,
    "messages": 0.85,
    "research": 0.35,
}


@dataclass(frozen=True)
class StaffPlan:
    email: str
    name: str
    role: str  # a care.models.Role value


@dataclass(frozen=True)
class ClientPlan:
    """Everything the generator decided about one client, stored or latent."""

    number: int
    email: str
    preferred_name: str
    full_name: str
    locale: str
    time_zone: str
    latent: Latent
    primary: int  # index into the practice's clinicians
    second: int | None
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str  # a care.models.EpisodeEndReason value, or ""
    presenting_concern: str
    scopes: dict[str, bool] = field(hash=False)

    @property
    def active(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class PracticePlan:
    config: SynthConfig
    clinicians: list[StaffPlan]
    admin: StaffPlan
    clients: list[ClientPlan]


def plan_staff(config: SynthConfig) -> tuple[list[StaffPlan], StaffPlan]:
    """Return the practice's clinicians and its admin: fixed names, stable emails."""
    clinicians = [
        StaffPlan(
            email=config.clinician_email(n),
            name=CLINICIAN_NAMES[(n - 1) % len(CLINICIAN_NAMES)],
            role="clinician",
        )
        for n in range(1, config.n_clinicians + 1)
    ]
    return clinicians, StaffPlan(email=config.admin_email, name=ADMIN_NAME, role="admin")


def _name(rng: random.Random, locale: str, sex: str, taken: set[str]) -> tuple[str, str]:
    # Prefer a given name nobody in the practice has yet, so a caseload reads clearly.
    for _attempt in range(30):
        given = rng.choice(GIVEN_NAMES[locale][sex])
        if given not in taken:
            break
    taken.add(given)
    surnames = SURNAMES[locale]
    # Spanish naming customs use two family names.
    family = f"{rng.choice(surnames)} {rng.choice(surnames)}" if locale == "es" else rng.choice(surnames)
    return given, f"{given} {family}"


def _episode(
    rng: random.Random, latent: Latent, today: dt.date, history_days: int
) -> tuple[dt.date, dt.date | None, str]:
    """Return (start, end or None, end reason) for the client's episode of care."""
    # Skewed towards recent starts: most clients who began long ago have finished.
    elapsed = max(7, int(history_days * rng.random() ** 1.3))
    start = today - dt.timedelta(days=elapsed)

    def end_within(low: int, high: int) -> dt.date:
        return start + dt.timedelta(days=rng.randint(low, min(high, elapsed)))

    match latent.trajectory:
        case Trajectory.DROPOUT if elapsed > 21:
            return start, end_within(14, 70), "dropped_out"
        case Trajectory.RESPONDER if elapsed > 150 and rng.random() < 0.7:
            return start, end_within(84, 180), "completed"
        case Trajectory.SLOW_RESPONDER if elapsed > 240 and rng.random() < 0.6:
            return start, end_within(150, 260), "completed"
        case Trajectory.NON_RESPONDER if elapsed > 150 and rng.random() < 0.4:
            return start, end_within(100, 200), "referred"
        case Trajectory.DETERIORATOR if elapsed > 90 and rng.random() < 0.3:
            return start, end_within(60, 150), "referred"
    return start, None, ""


def _scopes(rng: random.Random, latent: Latent) -> dict[str, bool]:
    nudge = (latent.engagement - 0.5) * 0.3
    scopes = {}
    for scope, share in SCOPE_SHARE.items():
        optional = scope in {"journal", "wearables_sleep", "wearables_heart", "wearables_active", "research"}
        scopes[scope] = rng.random() < min(1.0, max(0.0, share + (nudge if optional else 0.0)))
    return scopes


def plan_clients(config: SynthConfig) -> list[ClientPlan]:
    """Draw every client: demographics, latent profile, care team, episode and sharing."""
    rng = config.rng("clients")
    today = config.anchor_date()
    # Uneven caseloads, as in a real practice: the first clinician carries the most.
    caseload_weights = [1.0 + 0.2 * (config.n_clinicians - i) for i in range(config.n_clinicians)]
    plans = []
    taken: set[str] = set()
    for number in range(1, config.n_clients + 1):
        latent = draw_latent(rng)
        locale = "es" if rng.random() < config.spanish_share else "en"
        preferred, full = _name(rng, locale, latent.sex, taken)
        if rng.random() < 0.8:
            time_zone = config.time_zone
        else:
            time_zone = rng.choice(SPANISH_TIME_ZONES if locale == "es" else OTHER_TIME_ZONES)
        primary = rng.choices(range(config.n_clinicians), weights=caseload_weights)[0]
        second = None
        if config.n_clinicians > 1 and rng.random() < config.second_clinician_share:
            second = rng.choice([i for i in range(config.n_clinicians) if i != primary])
        started_on, ended_on, end_reason = _episode(rng, latent, today, config.history_days)
        plans.append(
            ClientPlan(
                number=number,
                email=config.client_email(number),
                preferred_name=preferred,
                full_name=full,
                locale=locale,
                time_zone=time_zone,
                latent=latent,
                primary=primary,
                second=second,
                started_on=started_on,
                ended_on=ended_on,
                end_reason=end_reason,
                presenting_concern=rng.choice(PRESENTING_CONCERNS),
                scopes=_scopes(rng, latent),
            )
        )
    return plans


def plan_practice(config: SynthConfig) -> PracticePlan:
    clinicians, admin = plan_staff(config)
    return PracticePlan(config=config, clinicians=clinicians, admin=admin, clients=plan_clients(config))
