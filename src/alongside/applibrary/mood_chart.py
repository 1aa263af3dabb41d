"""Imported mood entries for the mood chart, beside the client's own check-ins (registered in core.page_parts).

Daylio's five default moods are placed on the check-in scale (0-10) evenly, awful 0, bad 2.5, meh 5, good 7.5,
rad 10: our placement of an ordered five-point scale, not a validated equivalence, and the chart's legend says the
entries are imported. Moods a client renamed or added in Daylio, and eMoods' ratings (separate 0-3 scales for
depressed, elevated and irritable mood and anxiety), have no place on that scale: they are counted in the chart's
description and listed on the imports page, not drawn.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from alongside.access import Action, decide
from alongside.applibrary.models import ImportSource
from alongside.applibrary.selectors import imported_entries
from alongside.consent.models import Scope
from alongside.consent.selectors import scopes_for
from alongside.core import page_parts

DAYLIO_SCALE = {"awful": 0.0, "bad": 2.5, "meh": 5.0, "good": 7.5, "rad": 10.0}


def place(source: str, mood: str) -> float | None:
    """Return an imported mood's place on the 0-10 check-in scale, or None when it has none."""
    if source == ImportSource.DAYLIO:
        return DAYLIO_SCALE.get(mood.strip().lower())
    return None


def mood_entries(actor: Any, client_id: uuid.UUID, since: dt.date) -> list[page_parts.MoodEntry]:
    """The client's imported entries since ``since``, oldest first: for the client, or their care team while the
    client shares mood (404 for anyone else, through the selector, which audits a clinician's read)."""
    client, rows = imported_entries(actor=actor, client_id=client_id)
    if not decide(actor, client, Action.OWN) and not scopes_for(client_id=client.pk).get(Scope.MOOD):
        return []
    names = dict(ImportSource.choices)
    return [
        page_parts.MoodEntry(row.day, place(row.source, row.mood), row.mood, str(names.get(row.source, row.source)))
        for row in sorted(rows, key=lambda r: (r.day, r.time))
        if row.day >= since
    ]


def register() -> None:
    page_parts.register_mood_source(page_parts.MoodSource("applibrary_imports", mood_entries))
