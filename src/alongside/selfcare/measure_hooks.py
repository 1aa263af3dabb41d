"""Self-care's part when a questionnaire is submitted (registered in measures.hooks by SelfcareConfig.ready)."""

from __future__ import annotations

import datetime as dt

from alongside.measures.models import MeasureResponse
from alongside.selfcare.models import AssignmentKind
from alongside.selfcare.services.homework import homework_record_done


def homework_done_for_response(response: MeasureResponse, now: dt.datetime) -> None:
    """Mark the client's questionnaire homework for this instrument done by the submitted response."""
    homework_record_done(
        client=response.client, kind=AssignmentKind.MEASURE, target=response.instrument, when=now, completion=response
    )
