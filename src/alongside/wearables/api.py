"""The push API for companion apps: POST /api/v1/wearables/samples with Open mHealth data points.

The signed-in client pushes their own samples (token auth, as every route). A batch holds up to 5,000
points and is imported whole or not at all; the same batch sent again stores nothing (it is recognised by
its content), so a companion app may retry freely.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from alongside.access import Action, client_or_404
from alongside.core.actor import signed_in
from alongside.core.idempotency import IdempotencyConflict
from alongside.wearables.samples import BadInput

router = Router(tags=["wearables"])
MAX_POINTS = 5000


class SamplesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    data_points: list[dict[str, Any]] = Field(..., min_length=1, max_length=MAX_POINTS)


class SamplesOut(Schema):
    records: int
    samples_stored: int
    duplicates_dropped: int
    days: int
    seconds: float


@router.post("/samples", response={200: SamplesOut})
def samples_push(
    request: HttpRequest,
    payload: SamplesIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", min_length=8, max_length=64),  # type: ignore[type-arg]
) -> SamplesOut:
    """Import a batch of the signed-in client's Open mHealth data points and recompute their daily features.

    The same batch again stores nothing; the same ``Idempotency-Key`` with another batch is refused (409).
    """
    if not getattr(request.user, "is_client", False):
        raise HttpError(403, "Only a client can push their own samples.")
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    from alongside.wearables.importing import import_points  # pyarrow and duckdb load on the first push

    try:
        result = import_points(
            actor=signed_in(request.user), client=client, points=payload.data_points, idempotency_key=idempotency_key
        )
    except IdempotencyConflict as error:
        raise HttpError(409, " ".join(error.messages)) from None
    except BadInput as error:
        raise HttpError(422, f"{error} Nothing was stored.") from None
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return SamplesOut(**result.as_dict())


class FeatureOut(Schema):
    day: dt.date
    metric: str
    value: float
    baseline_median: float | None
    baseline_mad: float | None


@router.get("/clients/{client_id}/features", response={200: list[FeatureOut]})
def features_read(request: HttpRequest, client_id: uuid.UUID) -> list[FeatureOut]:
    """Return the client's daily features of the streams (sleep, heart, activity) they share; 404 if none."""
    from alongside.wearables.selectors import features_for

    return [
        FeatureOut(
            day=f.day, metric=f.metric, value=f.value, baseline_median=f.baseline_median, baseline_mad=f.baseline_mad
        )
        for f in features_for(actor=signed_in(request.user), client_id=client_id)
    ]
