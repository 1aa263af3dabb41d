"""The database itself refuses inconsistent measures rows; answers and notes are encrypted at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.measures.models import (
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    RequestStatus,
    ResponseStatus,
    ScheduleRule,
)

pytestmark = pytest.mark.django_db


def _refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs.pop("model").objects.create(**kwargs)


def test_schedule_interval_must_match_its_rule(world):
    """An every-N-days schedule needs N >= 1; other rules have none; two current schedules per instrument clash."""
    today = timezone.now().date()
    _refused(
        model=MeasureSchedule, client=world.sam, instrument="phq9", rule=ScheduleRule.EVERY_N_DAYS, starts_on=today
    )
    _refused(model=MeasureSchedule, client=world.sam, instrument="phq9", rule="once", interval_days=3, starts_on=today)
    MeasureSchedule.objects.create(client=world.sam, instrument="phq9", rule="once", starts_on=today)
    _refused(model=MeasureSchedule, client=world.sam, instrument="phq9", rule="once", starts_on=today)


def test_request_status_needs_its_timestamp(world):
    """A completed request without completed_at, or a delivery without a channel, is refused."""
    now = timezone.now()
    base = {"model": MeasureRequest, "client": world.sam, "instrument": "phq9", "due_at": now}
    _refused(**base, expires_at=now + dt.timedelta(days=1), status=RequestStatus.COMPLETED)
    _refused(**base, expires_at=now + dt.timedelta(days=1), delivered_at=now)
    _refused(**base, expires_at=now)


def test_submitted_response_needs_its_time_and_keys_are_unique_per_client(world):
    """A submitted response needs submitted_at; an idempotency key is used once per client."""
    _refused(
        model=MeasureResponse,
        client=world.sam,
        instrument="phq9",
        idempotency_key="k-00000001",
        answers={},
        status=ResponseStatus.SUBMITTED,
    )
    MeasureResponse.objects.create(client=world.sam, instrument="phq9", idempotency_key="k-00000002", answers={})
    _refused(model=MeasureResponse, client=world.sam, instrument="phq9", idempotency_key="k-00000002", answers={})
    MeasureResponse.objects.create(
        client=world.other_client, instrument="phq9", idempotency_key="k-00000002", answers={}
    )


def test_answers_are_encrypted_at_rest(world):
    """The answers column holds ciphertext; the model attribute gives the answers back."""
    response = MeasureResponse.objects.create(
        client=world.sam, instrument="phq9", idempotency_key="k-00000003", answers={"phq9-9": 3}
    )
    stored = MeasureResponse.objects.filter(pk=response.pk).values_list("answers_sealed", flat=True).get()
    assert "phq9-9" not in stored
    assert MeasureResponse.objects.get(pk=response.pk).answers == {"phq9-9": 3}
