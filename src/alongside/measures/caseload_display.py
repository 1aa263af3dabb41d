"""The caseload page's rows, prepared once in Python so that the template does little per row.

A caseload shows hundreds of clients: per-row ``{% url %}``, ``{% translate %}``, filters and includes made
template rendering as slow as every read of the page together. Here each link is reversed once, each label
translated once, and the scores cell is built with one ``format_html`` call per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Protocol, TypedDict

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.measures.caseload import Attention, ClientMeasures, Status
from alongside.measures.templatetags.measures_staff import score, signed


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


class CaseloadLine(TypedDict):
    """One caseload row ready to print: plain text (the template escapes it) and one cell built with format_html.

    A dict rather than an object: the template engine looks dict keys up first, the fastest path.
    """

    client_id: str
    name: str
    attention: int
    attention_label: str  # empty when no action is needed
    reason: str
    detail_url: str
    progress_url: str
    alerts: list[tuple[str, bool]]  # (url, escalated)
    scores: SafeString
    status: str
    last_checkin: str  # empty when none is shared
    adherence: str  # empty when none is set or shared


def _url_maker(name: str) -> Callable[[object], str]:
    """Return ``id -> reverse(name, args=[id])``, reversing once (a caseload prints hundreds of links)."""
    sentinel = str(uuid.UUID(int=0))
    prefix, _sep, suffix = reverse(name, args=[sentinel]).partition(sentinel)
    return lambda pk: f"{prefix}{pk}{suffix}"


def caseload_lines(rows: Iterable[CaseloadRowLike]) -> list[CaseloadLine]:
    """Prepare caseload rows for the page: labels, links, scores and dates formatted once per row.

    Every string that is the same on each row (labels, the not-validated badge, link prefixes) is
    translated or reversed once per call, not once per row.
    """
    detail_url = _url_maker("care:client_detail")
    progress_url = _url_maker("measures:progress")
    alert_url = _url_maker("measures:alert_detail")
    attention_labels = {a.value: str(a.label) for a in Attention}
    status_labels = {s.value: str(s.label) for s in Status}
    not_shared = format_html('<span class="muted">{}</span>', _("Not shared"))
    no_scores = format_html('<span class="muted">{}</span>', _("No scores yet"))
    badge = format_html(' <span class="badge badge-warning">{}</span>', _("not validated"))
    since = _("from %(first)s")
    lines: list[CaseloadLine] = []
    for row in rows:
        m, client = row.measures, row.client
        if not m.shared:
            scores = not_shared
        elif m.summaries:
            scores = _scores_cell(m, badge=badge, since=since)
        else:
            scores = no_scores
        lines.append(
            {
                "client_id": str(client.pk),
                "name": client.preferred_name,
                "attention": int(m.attention),
                "attention_label": attention_labels[m.attention] if m.needs_attention else "",
                "reason": m.reason,
                "detail_url": detail_url(client.pk),
                "progress_url": progress_url(client.pk),
                "alerts": [(alert_url(a.id), a.escalated) for a in m.alerts],
                "scores": scores,
                "status": status_labels[m.status],
                "last_checkin": formats.date_format(row.last_checkin, "SHORT_DATE_FORMAT") if row.last_checkin else "",
                "adherence": f"{row.adherence_pct}%" if row.adherence_pct is not None else "",
            }
        )
    return lines


# The scores cell is one format_html call per row, its format string assembled from these constant pieces
# (never from data): a call per item and per part cost more than the rest of the row together.
_ITEM = "<li>{}{} <strong>{}</strong>"
_SEVERITY = ' <span class="muted">{}</span>'
_SINCE = " ({} {})"


def _scores_cell(measures: ClientMeasures, *, badge: SafeString, since: str) -> SafeString:
    """The latest-score list: name, not-validated badge, latest, severity and change since baseline."""
    parts, args = ['<ul class="plain">'], []
    for s in measures.headline:
        parts.append(_ITEM)
        args += [s.short_name, "" if s.validated else badge, score(s.latest)]
        if s.latest_severity:
            parts.append(_SEVERITY)
            args.append(s.latest_severity)
        change = s.change
        if change is not None:
            parts.append(_SINCE)
            args += [signed(change), since % {"first": score(s.first)}]
        parts.append("</li>")
    parts.append("</ul>")
    return format_html("".join(parts), *args)
