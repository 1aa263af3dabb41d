"""A refresh after a check-in or score reads only the months its scores look at (issues #11 and #19).

Each refresh read every check-in, task and message since the client's first day: two years of check-ins for a
warning that counts the last eight weeks at each of the last twelve week-ends.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.measures.models import MeasureScore
from alongside.risk.collect import SCORING_HORIZON, history
from alongside.risk.models import ClientRisk
from alongside.risk.services import client_risk_refresh
from alongside.selfcare.models import CheckIn, HomeworkTask

from .conftest import START, submit_phq9

pytestmark = pytest.mark.django_db

NOW = START + dt.timedelta(days=400)


@pytest.fixture
def long_history(world, measures_library, django_capture_on_commit_callbacks):
    """Sam: a PHQ-9 at intake and a check-in every other day for 400 days."""
    submit_phq9(world, rest=1, key="horizon-intake-01", captured=django_capture_on_commit_callbacks)
    MeasureScore.objects.filter(client=world.sam).update(scored_at=START)  # intake on day 0
    CheckIn.objects.bulk_create(
        CheckIn(
            client=world.sam,
            at=START + dt.timedelta(days=day),
            local_date=(START + dt.timedelta(days=day)).date(),
            mood=5,
            idempotency_key=f"horizon-{day:03d}",
        )
        for day in range(0, 400, 2)
    )
    return world


def test_the_refresh_reads_no_check_in_before_the_horizon(long_history):
    """The check-ins are read from ``now - SCORING_HORIZON`` on, not from the client's first day."""
    with CaptureQueriesContext(connection) as queries:
        client_risk_refresh(client=long_history.sam, now=NOW)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "selfcare_checkin"' in q["sql"]]
    assert len(reads) == 1
    assert (NOW - SCORING_HORIZON).date().isoformat() in reads[0]


def test_the_horizon_changes_no_stored_warning(long_history):
    """Scoring the whole history and scoring from the horizon store the same warnings and weekly flags."""
    whole = history(long_history.sam, NOW)
    recent = history(long_history.sam, NOW, horizon=SCORING_HORIZON)
    assert whole is not None
    assert recent is not None
    assert len(recent[0].checkins) < len(whole[0].checkins)
    stored = client_risk_refresh(client=long_history.sam, now=NOW)
    assert stored is not None
    from alongside.risk.active import models_in_use
    from alongside.risk.flag_rate import weekly_flags
    from alongside.risk.online import score

    models = models_in_use(long_history.sam.practice_id)
    h, day = whole
    full = score(h, day, models.not_on_track, models.dropout)
    assert (stored.dropout, stored.not_on_track) == (full.dropout, full.not_on_track)
    assert stored.weekly == weekly_flags(h, day, NOW.date(), models)
    assert ClientRisk.objects.filter(client=long_history.sam).count() == 1
    assert HomeworkTask.objects.filter(client=long_history.sam).count() == 0
