"""The measures_tick command, and crisis resources that answer whatever else fails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from alongside.core.models import PracticeSettings
from alongside.safety import crisis_lines as crisis
from tests.measures.support_measures import measures_library  # noqa: F401


@pytest.mark.django_db
@pytest.mark.usefixtures("measures_library")
def test_measures_tick_runs_and_reports(world):
    """`alongside measures_tick` runs every step and prints the counts."""
    out = StringIO()
    call_command("measures_tick", stdout=out)
    assert "request(s) made" in out.getvalue()
    assert "alert(s) escalated" in out.getvalue()


@pytest.mark.parametrize(
    ("country", "locale", "numbers"),
    [
        ("US", "en", {"988", "911"}),
        ("GB", "en", {"116 123", "999", "111"}),
        ("UK", "en", {"116 123", "999", "111"}),
        ("CA", "en", {"988", "911"}),
        ("AU", "en", {"13 11 14", "000"}),
        ("IE", "en", {"116 123", "112"}),
        ("ES", "es", {"024", "112"}),
        (None, "es", {"024", "112"}),
        (None, "en-AU", {"13 11 14", "000"}),
    ],
)
def test_default_crisis_lines_per_country(country, locale, numbers):
    """Each supported country gets its crisis line and emergency number, emergency first."""
    found = crisis.resources_for(country, locale)
    assert {r.phone for r in found} == numbers
    assert found[0].emergency


@pytest.mark.parametrize("country", ["ZZ", "", None, 42, object()])
def test_unknown_country_still_gets_help_and_never_raises(country):
    """An unknown or malformed country gets the international fallback instead of an error."""
    found = crisis.resources_for(country, None)  # type: ignore[arg-type]
    assert found
    assert found[0].emergency


@pytest.mark.django_db
def test_practice_lines_come_first(world):
    """A practice's own crisis lines are shown before the defaults."""
    PracticeSettings.objects.create(
        practice=world.practice, crisis_resources=[{"name": "Riverside on-call", "phone": "555 0100"}]
    )
    found = crisis.resources_for("US", "en", practice_id=world.practice.pk)
    assert found[0].name == "Riverside on-call"
    assert {"988", "911"} <= {r.phone for r in found}


def test_crisis_lines_answer_when_the_database_is_down(monkeypatch):
    """With the database unreachable, the defaults are still returned."""

    def down(practice_id):
        raise ConnectionError("database down")

    monkeypatch.setattr(crisis, "_practice_resources", down)
    assert {r.phone for r in crisis.resources_for("US", "en", practice_id="x")} == {"988", "911"}
