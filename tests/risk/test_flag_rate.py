"""The flag-rate chart reads the weekly flags stored with each client's warnings; the page scores no-one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.risk import flag_rate as flag_rate_module
from alongside.risk import online
from alongside.risk.flag_rate import flag_rate
from alongside.risk.models import ClientRisk
from alongside.risk.services import client_risk_refresh
from tests.measures.support_staff import add_score

pytestmark = pytest.mark.django_db


def worsening(world, now):
    """Sam's PHQ-9 rises from 15 to 24 over five weeks (no check-ins); his warnings are refreshed at ``now``."""
    for days_ago, total in ((35, 15), (21, 18), (7, 22), (0, 24)):
        add_score(world.sam, "phq9", total, days_ago=days_ago, now=now)
    client_risk_refresh(client=world.sam, now=now)


def test_the_page_reads_stored_flags_and_scores_no_one(world, staff_client, monkeypatch, django_assert_num_queries):
    """Viewing the early-warnings page neither reads a client's history nor scores them; the flag rate comes
    from the stored weekly flags in one query: Sam counts from his intake week and is flagged in the last."""
    now = timezone.now()
    worsening(world, now)
    assert len(ClientRisk.objects.get(client=world.sam).weekly) == 6
    calls = []

    def forbidden(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the page scored a client")

    monkeypatch.setattr(online, "score", forbidden)
    monkeypatch.setattr(flag_rate_module, "score", forbidden)
    monkeypatch.setattr(flag_rate_module, "history", forbidden, raising=False)
    with django_assert_num_queries(1):
        shares = flag_rate(user=world.alice, now=now)
    assert [s.total for s in shares] == [0] * 6 + [1] * 6
    assert [s.count for s in shares][-1] == 1
    body = staff_client(world.alice).get(reverse("risk:flagged")).content.decode()
    assert 'class="measure-chart rate-chart"' in body
    assert calls == []


def test_flags_refreshed_days_ago_count_in_the_week_holding_them(world):
    """A client last refreshed three days ago counts in the weeks that hold their stored week-ends, so the latest
    week still has them; a week-end outside the chart's 12 weeks is not counted."""
    now = timezone.now()
    worsening(world, now - dt.timedelta(days=3))
    shares = flag_rate(user=world.alice, now=now)
    assert [s.total for s in shares] == [0] * 6 + [1] * 6
    assert shares[-1].count == 1
    later = flag_rate(user=world.alice, now=now + dt.timedelta(days=7 * 12))
    assert sum(s.total for s in later) == 0
