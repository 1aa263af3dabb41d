"""Mood insights: only with 21+ paired days, Benjamini-Hochberg over the pairs tested, plain words with numbers."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from alongside.wearables import insights
from alongside.wearables.metrics import Metric

DAY0 = dt.date(2024, 1, 1)


def test_benjamini_hochberg_matches_a_hand_computation():
    """p = .01, .04, .03, .2 adjust to q = .04, .0533, .0533, .2 (step-up, monotone)."""
    q = insights.benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])


def short_nights_lower_next_days_mood(days: int):
    """Nights of 5 or 8 hours at random; mood the day after is 2 points lower after short ones; steps are noise.

    A night counts for the day it ends on, so the mood of the day after a night is on the night's own day (lag 0).
    """
    rng = random.Random(7)
    features, moods = [], {}
    for index in range(days):
        day = DAY0 + dt.timedelta(days=index)
        short = rng.random() < 0.5
        features.append((day, Metric.SLEEP_TOTAL, 300.0 if short else 480.0))
        features.append((day, Metric.STEPS, float(rng.randint(3000, 12000))))
        moods[day] = (4.0 if short else 6.0) + rng.choice([-0.5, 0, 0.5])
    return features, moods


def test_short_nights_show_up_as_a_lower_next_day_mood():
    """With 60 nights the night/next-day pair passes BH and reads in plain words with n; noise does not pass."""
    features, moods = short_nights_lower_next_days_mood(60)
    found = insights.mood_insights(features, moods)
    pairs = {(i.metric, i.lag) for i in found}
    assert (Metric.SLEEP_TOTAL, 0) in pairs
    assert (Metric.SLEEP_TOTAL, 1) not in pairs
    assert (Metric.STEPS, 0) not in pairs
    assert (Metric.STEPS, 1) not in pairs
    sleep = next(i for i in found if (i.metric, i.lag) == (Metric.SLEEP_TOTAL, 0))
    assert sleep.difference == pytest.approx(-2.0, abs=0.3)
    words = insights.say(sleep)
    assert words.startswith("On nights under 8 hours' sleep, your mood the next day averaged 2 points lower")
    assert "than after the other nights" in words
    assert f"(n = {sleep.n} nights, split at your middle value" in words


def test_fewer_than_21_paired_days_say_nothing():
    """Twenty paired days are not enough to test anything, however strong the pattern."""
    features, moods = short_nights_lower_next_days_mood(20)
    assert insights.mood_insights(features, moods) == []


def test_my_body_data_says_the_insight_with_its_caution(world, client, monkeypatch):
    """Sam's page lists the sleep insight and the association caution once moods come from the mood source."""
    from django.urls import reverse

    from alongside.wearables.models import DailyFeature

    features, moods = short_nights_lower_next_days_mood(60)
    DailyFeature.objects.bulk_create(
        DailyFeature(client=world.sam, day=day, metric=metric, value=value) for day, metric, value in features
    )
    monkeypatch.setattr(insights, "_mood_sources", [lambda client_id: moods])
    client.force_login(world.sam.user)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "What goes with your mood" in body
    assert "your mood the next day averaged" in body
    assert "does not show that one causes the other" in body


def test_the_clinician_sees_insights_only_with_mood_and_the_stream_shared(world, staff_client, monkeypatch):
    """Alice sees the sleep insight while Sam shares mood and sleep; revoking sleep removes it on the next request."""
    from django.urls import reverse

    from alongside.consent.services import scopes_set
    from alongside.wearables.models import DailyFeature

    features, moods = short_nights_lower_next_days_mood(60)
    DailyFeature.objects.bulk_create(
        DailyFeature(client=world.sam, day=day, metric=metric, value=value) for day, metric, value in features
    )
    monkeypatch.setattr(insights, "_mood_sources", [lambda client_id: moods])
    url = reverse("wearables:sources", args=[world.sam.pk])
    alice = staff_client(world.alice)
    scopes_set(client=world.sam, scopes={"mood": True, "wearables_sleep": True}, actor=world.sam.user)
    assert "the next day averaged" in alice.get(url).content.decode()
    scopes_set(client=world.sam, scopes={"wearables_sleep": False, "wearables_active": True}, actor=world.sam.user)
    assert "the next day averaged" not in alice.get(url).content.decode()


def test_check_ins_reach_the_insights_as_a_daily_mean(world):
    """The self-care app's registered mood source gives each local day's mean check-in mood."""
    from alongside.selfcare.models import CheckIn

    for mood, key in ((4, "a"), (6, "b")):
        CheckIn.objects.create(client=world.sam, local_date=DAY0, mood=mood, idempotency_key=key)
    assert insights.daily_mood(world.sam.pk) == {DAY0: 5.0}


def test_the_brief_names_the_mood_pattern_only_with_mood_and_the_stream_shared(world, staff_client, monkeypatch):
    """Alice's session brief says the sleep pattern about Sam, with the caution, while Sam shares mood and sleep;
    without mood, or without sleep, the section is gone on the next request."""
    from django.urls import reverse

    from alongside.consent.services import scopes_set
    from alongside.wearables.models import DailyFeature

    features, moods = short_nights_lower_next_days_mood(60)
    shift = dt.date.today() - dt.timedelta(days=62) - DAY0
    DailyFeature.objects.bulk_create(
        DailyFeature(client=world.sam, day=day + shift, metric=metric, value=value) for day, metric, value in features
    )
    recent = {day + shift: mood for day, mood in moods.items()}
    monkeypatch.setattr(insights, "_mood_sources", [lambda client_id: recent])
    url = reverse("sessions:brief", args=[world.sam.pk])
    alice = staff_client(world.alice)
    scopes_set(client=world.sam, scopes={"mood": True, "wearables_sleep": True}, actor=world.sam.user)
    body = alice.get(url).content.decode()
    assert "Body data and mood: patterns worth asking about" in body
    assert "the client&#x27;s mood the next day averaged" in body
    assert "does not show that one causes the other" in body
    scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
    assert "patterns worth asking about" not in alice.get(url).content.decode()
    scopes_set(client=world.sam, scopes={"mood": True, "wearables_sleep": False}, actor=world.sam.user)
    assert "patterns worth asking about" not in alice.get(url).content.decode()
