"""Imported mood entries for the mood chart, beside the client's own check-ins (registered in core.page_parts).

Both placements below are ours, not validated equivalences; the chart's legend and table say the entries are
imported, and the table gives each entry as exported beside its place.

- Daylio's five default moods are placed on the check-in scale (0-10) evenly: awful 0, bad 2.5, meh 5, good 7.5,
  rad 10 (an ordered five-point scale). Moods a client renamed or added in Daylio have no place and are not drawn.
- eMoods rates each day on separate 0-3 scales (depressed, elevated and irritable mood, anxiety) plus hours slept.
  We draw its two mood poles the way a life chart does, around the middle of the scale (5): depressed 1, 2, 3 at
  3.3, 1.7, 0 below it and elevated 1, 2, 3 at 6.7, 8.3, 10 above it, each step 5/3; a day with neither is drawn
  at 5, and a day with both (a mixed day) is drawn twice, once per pole, so that neither hides the other. Above
  the middle means elevated mood, not a better one, and each entry's label says so. Irritability, anxiety and
  sleep are not drawn: the label lists them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.applibrary.models import ImportedEntry, ImportSource
from alongside.applibrary.selectors import imported_entries
from alongside.consent.models import Scope
from alongside.consent.selectors import scopes_for
from alongside.core import page_parts
from alongside.core.formatting import fmt_number

DAYLIO_SCALE = {"awful": 0.0, "bad": 2.5, "meh": 5.0, "good": 7.5, "rad": 10.0}
EMOODS_MIDDLE = 5.0
EMOODS_STEP = 5.0 / 3  # one step of eMoods' 0-3 rating on the 0-10 check-in scale: our placement
_EMOODS_RATING = re.compile(r"(depressed|elevated|irritability|anxiety) ([0-3])/3")


def place(source: str, mood: str) -> float | None:
    """Return an imported Daylio mood's place on the 0-10 check-in scale, or None when it has none."""
    if source == ImportSource.DAYLIO:
        return DAYLIO_SCALE.get(mood.strip().lower())
    return None


def emoods_ratings(mood: str) -> dict[str, int]:
    """Read the ratings the eMoods importer stored (``"depressed 2/3, elevated 0/3, ..."``)."""
    return {name: int(value) for name, value in _EMOODS_RATING.findall(mood)}


def emoods_places(ratings: dict[str, int]) -> list[tuple[str, float]]:
    """Return an eMoods day's places on the 0-10 scale, one per mood pole rated above 0, or the middle for none."""
    depressed, elevated = ratings.get("depressed", 0), ratings.get("elevated", 0)
    places = []
    if depressed:
        places.append(("depressed", EMOODS_MIDDLE - depressed * EMOODS_STEP))
    if elevated:
        places.append(("elevated", EMOODS_MIDDLE + elevated * EMOODS_STEP))
    return places or [("neither", EMOODS_MIDDLE)]


def _emoods_label(pole: str, ratings: dict[str, int], sleep: str) -> str:
    words = {
        "depressed": _("depressed %(rating)s/3"),
        "elevated": _("elevated %(rating)s/3"),
        "irritability": _("irritability %(rating)s/3"),
        "anxiety": _("anxiety %(rating)s/3"),
    }
    drawn = {
        "depressed": _("drawn below the middle"),
        "elevated": _("drawn above the middle: elevated mood, not a better one"),
        "neither": _("neither depressed nor elevated, drawn at the middle"),
    }[pole]
    rated = [words[name] % {"rating": ratings[name]} for name in words if name in ratings]
    if sleep:
        try:
            rated.append(_("slept %(hours)s h") % {"hours": fmt_number(float(sleep), 1)})
        except ValueError:
            rated.append(_("slept %(hours)s h") % {"hours": sleep})
    return _("eMoods %(ratings)s (%(drawn)s)") % {"ratings": ", ".join(rated), "drawn": drawn}


def _entries(row: ImportedEntry, app: str) -> list[page_parts.MoodEntry]:
    if row.source != ImportSource.EMOODS:
        return [page_parts.MoodEntry(row.day, place(row.source, row.mood), row.mood, app)]
    ratings = emoods_ratings(row.mood)
    sleep = str((row.details or {}).get("sleep_hours", ""))
    return [
        page_parts.MoodEntry(row.day, value, _emoods_label(pole, ratings, sleep), app)
        for pole, value in emoods_places(ratings)
    ]


def mood_entries(actor: Any, client_id: uuid.UUID, since: dt.date) -> list[page_parts.MoodEntry]:
    """The client's imported entries since ``since``, oldest first: for the client, or their care team while the
    client shares mood (404 for anyone else, through the selector, which audits a clinician's read)."""
    client, rows = imported_entries(actor=actor, client_id=client_id)
    if not decide(actor, client, Action.OWN) and not scopes_for(client_id=client.pk).get(Scope.MOOD):
        return []
    names = dict(ImportSource.choices)
    return [
        entry
        for row in sorted(rows, key=lambda r: (r.day, r.time))
        if row.day >= since
        for entry in _entries(row, str(names.get(row.source, row.source)))
    ]


def register() -> None:
    page_parts.register_mood_source(page_parts.MoodSource("applibrary_imports", mood_entries))
