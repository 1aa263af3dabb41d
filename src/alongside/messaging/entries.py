"""A client's recent records they can attach to a message (check-ins, exercises, scores)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from alongside.core.formatting import fmt_date
from alongside.messaging.models import EntryKind

RECENT = 10


def recent_entries(*, user: Any, client_id: Any) -> list[tuple[str, str]]:
    """Return ("kind:id", label) for the client's own latest entries; empty for anyone else."""
    from alongside.measures.models import MeasureResponse, ResponseStatus
    from alongside.selfcare.models import CheckIn, EntryStatus, ExerciseEntry

    if str(getattr(user, "pk", "")) != str(client_id):
        return []
    choices: list[tuple[str, str]] = []
    for checkin in CheckIn.objects.filter(client_id=client_id).order_by("-at").only("id", "at", "mood")[:RECENT]:
        choices.append(
            (
                f"{EntryKind.CHECKIN}:{checkin.pk}",
                _("Check-in, %(date)s, mood %(mood)s") % {"date": fmt_date(checkin.at), "mood": checkin.mood},
            )
        )
    exercises = ExerciseEntry.objects.filter(client_id=client_id, status=EntryStatus.COMPLETE).order_by("-updated_at")
    for entry in exercises.only("id", "kind", "updated_at")[:RECENT]:
        choices.append(
            (
                f"{EntryKind.EXERCISE}:{entry.pk}",
                _("%(exercise)s, %(date)s")
                % {
                    "exercise": entry.get_kind_display(),
                    "date": fmt_date(entry.updated_at),
                },
            )
        )
    responses = MeasureResponse.objects.filter(client_id=client_id, status=ResponseStatus.SUBMITTED)
    for response in responses.order_by("-submitted_at").only("id", "instrument", "submitted_at")[:RECENT]:
        choices.append(
            (
                f"{EntryKind.SCORE}:{response.pk}",
                _("%(questionnaire)s score, %(date)s")
                % {
                    "questionnaire": _short_name(response.instrument),
                    "date": fmt_date(response.submitted_at or response.started_at),
                },
            )
        )
    return choices


def _short_name(code: str) -> str:
    from alongside.measures import library

    try:
        return library.get(code).short_name
    except KeyError:
        return code
