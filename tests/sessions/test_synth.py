"""The demo's sessions: past ones every one to two weeks over each active episode, and the next within a week."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest

from alongside.care.models import CareTeamMember, ClientProfile
from alongside.sessions import selectors
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.synth.measures_plan import plan_now
from alongside.synth.plan import plan_practice
from alongside.synth.sessions import plan_sessions

TODAY = dt.date(2026, 5, 20)


def test_plan_is_deterministic_and_plausible():
    config = SynthConfig(seed=11, n_clients=12, today=TODAY)
    plan = plan_practice(config)
    sessions = plan_sessions(config, plan)
    assert sessions == plan_sessions(config, plan_practice(config))
    now = plan_now(config)
    zone = ZoneInfo(config.time_zone)
    by_client = defaultdict(list)
    for s in sessions:
        by_client[s.client].append(s)
        assert s.starts_at.astimezone(zone).weekday() < 5
        assert 9 <= s.starts_at.astimezone(zone).hour <= 17
    active = [c for c in plan.clients if c.active]
    assert set(by_client) == {c.number for c in active}
    for client in active:
        rows = sorted(by_client[client.number], key=lambda s: s.starts_at)
        upcoming = [s for s in rows if s.status == AppointmentStatus.SCHEDULED]
        assert len(upcoming) == 1
        assert now + dt.timedelta(days=1) <= upcoming[0].starts_at < now + dt.timedelta(days=8)
        past = [s for s in rows if s.status != AppointmentStatus.SCHEDULED]
        assert all(s.starts_at < now for s in past)
        assert all(s.clinician == client.primary for s in rows)
        gaps = [(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(past)]
        assert all(4 <= g <= 17 for g in gaps), gaps  # a week or two, give or take a weekend
    taken = [(s.clinician, s.starts_at) for s in sessions]
    assert len(taken) == len(set(taken))


@pytest.mark.django_db
def test_generated_clients_have_a_last_and_next_session():
    config = SynthConfig(seed=3, n_clients=8, today=TODAY)
    result = generate_practice(config)
    now = plan_now(config)
    assert result.counts["appointments"] == Appointment.objects.count() > 0
    for profile in ClientProfile.objects.filter(practice=result.context.practice, status="active"):
        upcoming = selectors.next_session(client=profile, after=now)
        assert upcoming is not None
        assert CareTeamMember.objects.filter(client=profile, clinician=upcoming.clinician, is_primary=True).exists()
        if profile.created_at.date() < TODAY - dt.timedelta(days=21):
            assert selectors.last_session_before(client=profile, when=now) is not None
