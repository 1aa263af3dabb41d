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
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString
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

    labels: dict[str, SafeString]


class _Escaped(dict[object, SafeString]):
    """Escape each distinct value once: labels, bands, scores and days repeat across hundreds of rows.

    The template prints an escaped value (a ``SafeString``) as it is, so a repeated value costs one dict
    lookup instead of an escape on every row.
    """

    def __missing__(self, value: object) -> SafeString:
        text = self[value] = escape(value)
        return text


def _url_maker(name: str) -> Callable[[object], str]:
    """Return ``id -> reverse(name, args=[id])``, reversing once (hundreds of links)."""
    sentinel = str(uuid.UUID(int=0))
    prefix, _sep, suffix = reverse(name, args=[sentinel]).partition(sentinel)
    return lambda pk: f"{prefix}{pk}{suffix}"  # pk: a UUID, whose text is hex digits and dashes


def _labels() -> dict[str, SafeString]:
    return {
        "progress": escape(_("Progress")),
        "not_validated": escape(_("not validated")),
        "not_shared": escape(_("Not shared")),
        "no_scores": escape(_("No scores yet")),
        "none_shared": escape(_("None shared")),
        "none_set": escape(_("None set or not shared")),
    }


def caseload_lines(rows: Iterable[CaseloadRowLike]) -> CaseloadLines:
    """Return each caseload row as a dict of ready text for ``measures/_caseload_rows.html``, in the order given."""
    page = _Page(
        urls=(_url_maker("care:client_detail"), _url_maker("measures:progress"), _url_maker("measures:alert_detail")),
        attention={a.value: str(a.label) for a in Attention},
        status={s.value: str(s.label) for s in Status},
        alerts=(_("Open the alert"), _("Open the escalated alert")),
        since=_("from %(first)s"),
    )
    lines = CaseloadLines(_line(row, page) for row in rows)
    lines.labels = _labels()
    return lines


@dataclass
class _Page:
    """What every row of one page shares: link makers, translated labels, and escaped values by text."""

    urls: tuple[Callable[[object], str], Callable[[object], str], Callable[[object], str]]
    attention: dict[int, str]
    status: dict[str, str]
    alerts: tuple[str, str]
    since: str
    e: _Escaped = field(default_factory=_Escaped)
    days: dict[dt.date, SafeString] = field(default_factory=dict)  # last check-ins fall on a handful of days


def _line(row: CaseloadRowLike, page: _Page) -> dict[str, Any]:
    """One row. Values that repeat across rows are escaped once (``page.e``); the client's name, id and links
    are left to the template, which escapes them."""
    m, pk, e = row.measures, row.client.pk, page.e
    day = e[""]
    if row.last_checkin:
        day = page.days.get(row.last_checkin) or page.days.setdefault(
            row.last_checkin, escape(formats.date_format(row.last_checkin, "SHORT_DATE_FORMAT"))
        )
    attention = int(m.attention)
    return {
        "attention": e[attention],
        "attention_label": e[page.attention[attention]] if m.needs_attention else e[""],
        "pk": pk,
        "detail": page.urls[0](pk),
        "progress": page.urls[1](pk),
        "name": row.client.preferred_name,
        "reason": e[m.reason],
        "alerts": [(page.urls[2](a.id), e[page.alerts[a.escalated]]) for a in m.alerts],
        "shared": m.shared,
        "scores": [_score(s, page) for s in m.headline] if m.shared else [],
        "status": e[page.status[m.status]],
        "day": day,
        "adherence": e[""] if row.adherence_pct is None else e[int(row.adherence_pct)],
    }


def _score(s: InstrumentSummary, page: _Page) -> dict[str, Any]:
    """One headline score: name, latest, severity, and the change since the first score when there is one."""
    e, change = page.e, s.change
    return {
        "name": e[s.short_name],
        "validated": s.validated,
        "latest": e[score(s.latest)],
        "severity": e[s.latest_severity],
        "change": e[""] if change is None else e[f"{signed(change)} {page.since % {'first': score(s.first)}}"],
    }
