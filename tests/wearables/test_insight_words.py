"""Insights read as the issue's example: durations in hours and minutes, grouped steps, nights against days."""

from __future__ import annotations

from django.utils import translation

from alongside.core.formatting import fmt_duration
from alongside.wearables import insights
from alongside.wearables.metrics import Metric


def found(metric: str, lag: int, cut: float, difference: float = -1.43) -> insights.Insight:
    return insights.Insight(metric, lag, cut, difference, below=31, above=32, p=0.001, q=0.004)


def test_a_short_night_is_said_in_hours_and_minutes_with_the_next_day():
    """412 minutes read '6 hours 52 minutes'; a night counts for the day it ends, so lag 0 is 'the next day'."""
    words = insights.say(found(Metric.SLEEP_TOTAL, 0, 412.0))
    assert words.startswith(
        "On nights under 6 hours 52 minutes' sleep, your mood the next day averaged 1.4 points lower "
        "than after the other nights (n = 63 nights"
    )
    assert "the day after next" in insights.say(found(Metric.SLEEP_TOTAL, 1, 412.0))
    assert "minutes)" not in words


def test_steps_are_whole_grouped_numbers_on_the_same_day():
    """A median of 9,213.5 steps reads '9,214 steps'; a day's measure at lag 0 is 'the same day'."""
    words = insights.say(found(Metric.STEPS, 0, 9213.5, difference=0.8))
    assert words.startswith("On days under 9,214 steps, your mood the same day averaged 0.8 points higher")
    assert "(n = 63 days, split at your middle value: 31 under it, 32 not; adjusted p = 0.004)" in words
    assert "the next day" in insights.say(found(Metric.STEPS, 1, 9213.5))


def test_the_care_team_reads_the_clients_mood():
    """The clinician's sentence names the client's mood and the client's middle value."""
    words = insights.say(found(Metric.RESTING_HR, 1, 58.5), to_clinician=True)
    assert words.startswith("On days with a resting heart rate under 58.5 bpm, the client's mood the next day")
    assert "split at the client's middle value" in words


def test_spanish_sentences_use_spanish_durations_numbers_and_words():
    """In Spanish: '6 horas 52 minutos', '9.214 pasos', the decimal comma, and no English left."""
    with translation.override("es"):
        night = insights.say(found(Metric.SLEEP_TOTAL, 0, 412.0))
        day = insights.say(found(Metric.STEPS, 0, 9213.5))
        assert fmt_duration(61) == "1 hora 1 minuto"
    assert "6 horas 52 minutos" in night
    assert "el día siguiente" in night
    assert "1,4 puntos más bajo" in night
    assert "noches" in night
    assert "9.214 pasos" in day
    assert "el mismo día" in day
    for english in ("nights", "mood", "middle value", "steps"):
        assert english not in night + day
