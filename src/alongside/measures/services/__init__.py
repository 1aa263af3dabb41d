"""Writes for measures: schedules, requests and their telemetry, responses and scores.

Critical alerts are written by :mod:`alongside.safety.services.alerts`.

Every function is keyword-only, atomic and audited. Email goes out after commit and a
failure to send is logged by ids only: the alert and the client's crisis resources never
depend on the mail server. Callers import from this package; the modules behind it are
an implementation detail.
"""

from alongside.core.practice_settings import practice_settings
from alongside.measures import library
from alongside.measures.services._common import (
    IDEMPOTENCY_KEY,
    RISK_LEVELS_CRITICAL,
    answers_of,
    logger,
)
from alongside.measures.services.custom import custom_instrument_import
from alongside.measures.services.requests import (
    request_mark_delivered,
    request_mark_opened,
    request_mark_seen,
    requests_before_session,
    requests_before_session_move,
    requests_before_session_withdraw,
    requests_deliver,
    requests_expire,
    requests_materialise,
)
from alongside.measures.services.responses import (
    AnswerResult,
    SubmitResult,
    response_save_answer,
    response_start,
    response_submit,
)
from alongside.measures.services.schedules import schedule_end, schedule_set, schedules_set
from alongside.measures.services.settings import practice_crisis_resources_set, practice_settings_set
from alongside.measures.services.summaries import score_summaries_rebuild, score_summary_record

__all__ = [
    "IDEMPOTENCY_KEY",
    "RISK_LEVELS_CRITICAL",
    "AnswerResult",
    "SubmitResult",
    "answers_of",
    "custom_instrument_import",
    "library",
    "logger",
    "practice_crisis_resources_set",
    "practice_settings",
    "practice_settings_set",
    "request_mark_delivered",
    "request_mark_opened",
    "request_mark_seen",
    "requests_before_session",
    "requests_before_session_move",
    "requests_before_session_withdraw",
    "requests_deliver",
    "requests_expire",
    "requests_materialise",
    "response_save_answer",
    "response_start",
    "response_submit",
    "schedule_end",
    "schedule_set",
    "schedules_set",
    "score_summaries_rebuild",
    "score_summary_record",
]
