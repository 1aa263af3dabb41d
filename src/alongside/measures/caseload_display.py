"""The caseload page's rows, prepared once in Python and printed by ``measures/_caseload_rows.html``.

A caseload shows hundreds of clients, so the template must do little per row: every link is reversed once
(then filled in with each client's id), every label translated once, every check-in day formatted once, and
each row is a plain dict of ready text (a dict, because the template engine finds a key in a dict at the
first try, where an attribute costs it a failed key lookup first). The template only prints, and escapes,
what it is given; Django's cached loader compiles it once per process.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.measures.caseload import Attention, ClientMeasures, InstrumentSummary, Status
from alongside.measures.templatetags.measures_staff import score, signed

ROWS_TEMPLATE = "measures/_caseload_rows.html"


class CaseloadRowLike(Protocol):
    """What :func:`caseload_lines` reads from a caseload row (``alongside.care.selectors.CaseloadRow``)."""

    @property
    def client(self) -> ClientProfile: ...
    @property
    def measures(self) -> ClientMeasures: ...
    @property
    def last_checkin(self) -> dt.date | None: ...
    @property
    def adherence_pct(self) -> int | None: ...


class CaseloadLines(list[dict[str, Any]]):
    """The rows, in order, with the labels they share (``labels``), translated once for the page."""

    labels: dict[str, str]


def _url_maker(name: str) -> Callable[[object], str]:
    """Return ``id -> reverse(name, args=[id])``, reversing once (hundreds of links)."""
    sentinel = str(uuid.UUID(int=0))
    prefix, _sep, suffix = reverse(name, args=[sentinel]).partition(sentinel)
    return lambda pk: f"{prefix}{pk}{suffix}"  # pk: a UUID, whose text is hex digits and dashes


def _labels() -> dict[str, str]:
    return {
        "progress": _("Progress"),
        "not_validated": _("not validated"),
        "not_shared": _("Not shared"),
        "no_scores": _("No scores yet"),
        "none_shared": _("None shared"),
        "none_set": _("None set or not shared"),
    }


def caseload_lines(rows: Iterable[CaseloadRowLike]) -> CaseloadLines:
    """Return each caseload row as a dict of ready text for ``measures/_caseload_rows.html``, in the order given."""
    urls = (_url_maker("care:client_detail"), _url_maker("measures:progress"), _url_maker("measures:alert_detail"))
    attention = {a.value: str(a.label) for a in Attention}
    status = {s.value: str(s.label) for s in Status}
    alert_labels = (_("Open the alert"), _("Open the escalated alert"))
    since = _("from %(first)s")
    dates: dict[dt.date, str] = {}  # a caseload's last check-ins fall on a handful of days: format each once
    lines = CaseloadLines()
    lines.labels = _labels()
    for row in rows:
        m, pk = row.measures, row.client.pk
        day = ""
        if row.last_checkin:
            day = dates.get(row.last_checkin) or dates.setdefault(
                row.last_checkin, formats.date_format(row.last_checkin, "SHORT_DATE_FORMAT")
            )
        lines.append(
            {
                "attention": str(int(m.attention)),
                "attention_label": attention[int(m.attention)] if m.needs_attention else "",
                "pk": str(pk),
                "detail": urls[0](pk),
                "progress": urls[1](pk),
                "name": row.client.preferred_name,
                "reason": m.reason,
                "alerts": [(urls[2](a.id), alert_labels[a.escalated]) for a in m.alerts],
                "shared": m.shared,
                "scores": [_score(s, since) for s in m.headline] if m.shared else [],
                "status": status[m.status],
                "day": day,
                "adherence": "" if row.adherence_pct is None else str(int(row.adherence_pct)),
            }
        )
    return lines


def _score(s: InstrumentSummary, since: str) -> dict[str, Any]:
    """One headline score: name, latest, severity, and the change since the first score when there is one."""
    change = s.change
    return {
        "name": s.short_name,
        "validated": s.validated,
        "latest": score(s.latest),
        "severity": s.latest_severity,
        "change": "" if change is None else f"{signed(change)} {since % {'first': score(s.first)}}",
    }
