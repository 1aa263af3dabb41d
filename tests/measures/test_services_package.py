"""The measures services are a package; every name importable from the old module still is."""

from __future__ import annotations

import importlib

import pytest

# The alert writes (alert_acknowledge, alerts_escalate, notifications_mark_read) and crisis_resources_for moved to
# safety with the critical alerts (issue #12): alongside.safety.services.alerts and alongside.safety.crisis_lines.
OLD_NAMES = [
    "AnswerResult",
    "IDEMPOTENCY_KEY",
    "RISK_LEVELS_CRITICAL",
    "SubmitResult",
    "answers_of",
    "library",
    "logger",
    "practice_settings",
    "practice_settings_set",
    "request_mark_delivered",
    "request_mark_opened",
    "request_mark_seen",
    "requests_before_session",
    "requests_deliver",
    "requests_expire",
    "requests_materialise",
    "response_save_answer",
    "response_start",
    "response_submit",
    "schedule_end",
    "schedule_set",
]


@pytest.mark.parametrize("name", OLD_NAMES)
def test_every_old_public_name_is_reexported(name: str) -> None:
    """Each public name of the old services module imports from the package unchanged."""
    services = importlib.import_module("alongside.measures.services")
    assert getattr(services, name) is not None
    assert name in services.__all__


def test_errors_are_logged_under_the_old_logger_name() -> None:
    """Email failures still log as alongside.measures.services, so log filters keep working."""
    from alongside.measures import services

    assert services.logger.name == "alongside.measures.services"
