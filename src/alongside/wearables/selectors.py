"""Reads of wearable data, each through the access layer and the client's wearables sharing scope."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from alongside.access import Action, client_or_404
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core.actor import Actor
from alongside.wearables import baselines
from alongside.wearables.models import DailyFeature


def features_for(*, actor: Actor, client_id: uuid.UUID | str) -> list[DailyFeature]:
    """Return the client's daily features if ``actor`` may see their wearable data (404 otherwise)."""
    client = client_or_404(actor, client_id, Action.VIEW_CLINICAL, Scope.WEARABLES)
    return client_features(client=client)


def client_features(*, client: ClientProfile) -> list[DailyFeature]:
    """Return the client's daily features, oldest first (for the client themselves and operator commands)."""
    return list(DailyFeature.objects.filter(client=client).order_by("day", "metric"))


def deviations(features: list[DailyFeature]) -> list[baselines.Deviation]:
    """Return the sustained deviations (3+ days beyond 2 MADs) in ``features``, latest first."""
    by_metric: dict[str, list[tuple[Any, int]]] = defaultdict(list)
    for feature in features:
        sign = baselines.direction(feature.value, feature.baseline_median, feature.baseline_mad)
        by_metric[feature.metric].append((feature.day, sign))
    runs = [run for metric, days in by_metric.items() for run in baselines.sustained(metric, days)]
    return sorted(runs, key=lambda run: run.last, reverse=True)
