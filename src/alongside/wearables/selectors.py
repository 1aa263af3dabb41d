"""Reads of wearable data, each through the access layer and the client's wearables sharing scope."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.http import Http404

from alongside.access import Action, client_and_grant_or_404
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.wearables import baselines
from alongside.wearables.models import DailyFeature
from alongside.wearables.streams import metrics_of


def features_for(*, actor: Actor, client_id: uuid.UUID | str) -> list[DailyFeature]:
    """Return the client's daily features of the streams they share with ``actor`` (404 if they share none).

    Sleep, heart and activity are shared apart: a revoked stream's features are left out from the next call.
    """
    client, grant = client_and_grant_or_404(actor, client_id, Action.VIEW_CLINICAL)
    if grant.is_self:
        return client_features(client=client)
    visible = metrics_of(grant.scopes)
    if not visible:
        raise Http404
    return list(DailyFeature.objects.filter(client=client, metric__in=visible).order_by("day", "metric"))


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
