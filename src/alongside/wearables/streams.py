"""Which sharing scope each daily feature belongs to: sleep, heart or activity, each shared on its own."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.consent.models import WEARABLE_SCOPES, Scope
from alongside.wearables.metrics import Metric

STREAM_OF: dict[str, Scope] = {
    Metric.SLEEP_TOTAL: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_IN_BED: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_EFFICIENCY: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_ONSET: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_MIDPOINT: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_WAKE: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_SCORE: Scope.WEARABLES_SLEEP,
    Metric.SLEEP_REGULARITY: Scope.WEARABLES_SLEEP,
    Metric.RESTING_HR: Scope.WEARABLES_HEART,
    Metric.HRV_SDNN: Scope.WEARABLES_HEART,
    Metric.HRV_RMSSD: Scope.WEARABLES_HEART,
    Metric.WEAR_MIN: Scope.WEARABLES_HEART,  # worn time is read from heart-rate readings
    Metric.STEPS: Scope.WEARABLES_ACTIVITY,
    Metric.ACTIVE_MIN: Scope.WEARABLES_ACTIVITY,
    Metric.WORKOUT_MIN: Scope.WEARABLES_ACTIVITY,
}


def metrics_of(scopes: Iterable[str]) -> set[str]:
    """Return the metrics the given (granted) scopes let a care team see."""
    shared = {scope for scope in scopes if scope in WEARABLE_SCOPES}
    return {metric for metric, scope in STREAM_OF.items() if scope in shared}
