"""The hidden ("latent") profile of each synthetic client.

Nothing here is stored in the database: the latent profile is the generator's
ground truth. Later steps (measures, mood check-ins, exercises, sensor data) draw
their observations from it, so that, for example, a "deteriorator" reports
worsening scores and an analytics model can be evaluated against a known answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class Trajectory(StrEnum):
    """How a client's symptoms move over an episode of care."""

    RESPONDER = "responder"  # clear improvement within the first weeks
    SLOW_RESPONDER = "slow_responder"  # improvement that arrives late
    NON_RESPONDER = "non_responder"  # little change
    DETERIORATOR = "deteriorator"  # reliable worsening
    DROPOUT = "dropout"  # disengages and stops attending early


# Illustrative proportions, chosen by us to look like an ordinary outpatient caseload
# (most clients improve, a minority do not, a few get worse, a sizeable group stop
# early). They are not taken from any one published study; do not cite them as data.
TRAJECTORY_WEIGHTS: dict[Trajectory, float] = {
    Trajectory.RESPONDER: 0.40,
    Trajectory.SLOW_RESPONDER: 0.20,
    Trajectory.NON_RESPONDER: 0.15,
    Trajectory.DETERIORATOR: 0.07,
    Trajectory.DROPOUT: 0.18,
}

# Illustrative as well: adult outpatient services see more women than men.
SEX_WEIGHTS: dict[str, float] = {"female": 0.60, "male": 0.37, "other": 0.03}


@dataclass(frozen=True)
class Latent:
    """The ground truth behind one synthetic client.

    ``severity`` is the baseline symptom burden on a 0 to 1 scale (0 none, 1 most severe);
    ``engagement`` is how readily the client uses the app between sessions (0 to 1);
    ``volatility`` is day-to-day noise around the trajectory (0 to 1).
    """

    trajectory: Trajectory
    age: int
    sex: str
    severity: float
    engagement: float
    volatility: float

    def expected_change(self, weeks: float) -> float:
        """Return the expected change in severity after ``weeks`` of care (negative is better).

        A small, smooth curve per trajectory: the shape later generators follow.
        """
        weeks = max(0.0, weeks)
        match self.trajectory:
            case Trajectory.RESPONDER:
                return -0.5 * self.severity * min(1.0, weeks / 8)
            case Trajectory.SLOW_RESPONDER:
                return -0.45 * self.severity * min(1.0, max(0.0, weeks - 6) / 10)
            case Trajectory.NON_RESPONDER:
                return -0.05 * self.severity * min(1.0, weeks / 12)
            case Trajectory.DETERIORATOR:
                return 0.3 * (1 - self.severity) * min(1.0, weeks / 10)
            case Trajectory.DROPOUT:
                return -0.1 * self.severity * min(1.0, weeks / 4)


def _weighted(rng: random.Random, weights: dict[str, float] | dict[Trajectory, float]) -> str:
    options = list(weights)
    return rng.choices(options, weights=[weights[o] for o in options])[0]  # type: ignore[index]


def draw_latent(rng: random.Random) -> Latent:
    """Draw one client's latent profile."""
    trajectory = Trajectory(_weighted(rng, TRAJECTORY_WEIGHTS))
    # Adults, most between their mid-twenties and mid-forties.
    age = int(min(78, max(18, rng.gauss(36, 12))))
    sex = _weighted(rng, SEX_WEIGHTS)
    severity = round(min(0.95, max(0.15, rng.betavariate(3, 3))), 3)
    engagement = rng.betavariate(2, 2)
    if trajectory == Trajectory.DROPOUT:
        engagement *= 0.5
    volatility = round(rng.uniform(0.1, 0.6), 3)
    return Latent(
        trajectory=trajectory,
        age=age,
        sex=sex,
        severity=severity,
        engagement=round(engagement, 3),
        volatility=volatility,
    )
