"""The caseload page's rows, built once in Python: the template prints one string per row.

A caseload shows hundreds of clients. Per-row ``{% url %}``, ``{% translate %}``, filters and includes made
template rendering as slow as every read of the page together; even a row of plain variables costs the
template engine a lookup, a localisation and an escape each. Here each link is reversed once, each label
translated and escaped once, each check-in day formatted once, and each row is written as markup with every
value from data escaped where it is inserted (``format_html`` escaped every label and number again on every
row, at several times the cost).
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.measures.caseload import Attention, ClientMeasures, Status
from alongside.measures.templatetags.measures_staff import score, signed


class CaseloadRowLike(Protocol):
    """What :func:`caseload_lines` reads from a caseload row (``alongside.dashboards.caseload.CaseloadRow``)."""

    @property
    def client(self) -> ClientProfile: ...
    @property
    def measures(self) -> ClientMeasures: ...
    @property
    def last_checkin(self) -> dt.date | None: ...
    @property
    def adherence_pct(self) -> int | None: ...


@dataclass(frozen=True)
class _Texts:
    """Labels and link makers shared by every row of one page: translated, reversed and escaped once."""

    detail_url: Callable[[object], str]
    progress_url: Callable[[object], str]
    alert_url: Callable[[object], str]
    attention: dict[int, str]
    status: dict[str, str]
    progress: str
    open_alert: str
    open_escalated: str
    badge: str
    since: str  # "from %(first)s", escaped; a score (digits) fills it
    not_shared: str
    no_scores: str
    none_shared: str
    none_set: str


def _url_maker(name: str) -> Callable[[object], str]:
    """Return ``id -> reverse(name, args=[id])`` escaped for an attribute, reversing once (hundreds of links)."""
    sentinel = str(uuid.UUID(int=0))
    prefix, _sep, suffix = reverse(name, args=[sentinel]).partition(sentinel)
    prefix, suffix = _e(prefix), _e(suffix)
    return lambda pk: f"{prefix}{pk}{suffix}"  # pk: a UUID, whose text is hex digits and dashes


def _e(value: object) -> str:
    """Escape text for HTML as Django's ``escape`` does (``&<>"'``), without its lazy-string wrapper."""
    return html.escape(str(value))


def caseload_lines(rows: Iterable[CaseloadRowLike]) -> list[SafeString]:
    """Return each caseload row as a ``<tr>``, its values escaped, in the order given."""
    texts = _Texts(
        detail_url=_url_maker("care:client_detail"),
        progress_url=_url_maker("measures:progress"),
        alert_url=_url_maker("measures:alert_detail"),
        attention={a.value: _e(a.label) for a in Attention},
        status={s.value: _e(s.label) for s in Status},
        progress=_e(_("Progress")),
        open_alert=_e(_("Open the alert")),
        open_escalated=_e(_("Open the escalated alert")),
        badge=f' <span class="badge badge-warning">{_e(_("not validated"))}</span>',
        since=_e(_("from %(first)s")),
        not_shared=_e(_("Not shared")),
        no_scores=_e(_("No scores yet")),
        none_shared=_e(_("None shared")),
        none_set=_e(_("None set or not shared")),
    )
    dates: dict[dt.date, str] = {}  # a caseload's last check-ins fall on a handful of days: format each once
    return [_line(row, texts, dates) for row in rows]


def _line(row: CaseloadRowLike, t: _Texts, dates: dict[dt.date, str]) -> SafeString:
    """One row: client (record and progress links), why they need attention, latest scores, status, last
    check-in, homework done.

    Every value that comes from data (names, reasons, instrument names, bands, dates) goes through :func:`_e`;
    the rest is markup written here, labels escaped once in ``t``, numbers and UUIDs.
    """
    m, client = row.measures, row.client
    pk, attention = client.pk, int(m.attention)
    out = [
        f'<tr class="attention-{attention}" data-client="{pk}">\n'
        f'<th scope="row"><a href="{t.detail_url(pk)}">{_e(client.preferred_name)}</a><br>'
        f'<a class="small" href="{t.progress_url(pk)}">{t.progress}</a></th>\n<td>'
    ]
    if m.needs_attention:
        out.append(f'<strong class="reason reason-{attention}">{t.attention[attention]}</strong><br>')
    if m.reason:
        out.append(f"<span>{_e(m.reason)}</span>")
    for alert in m.alerts:
        label = t.open_escalated if alert.escalated else t.open_alert
        out.append(f'<br><a href="{t.alert_url(alert.id)}">{label}</a>')
    out.append("</td>\n<td>")
    if not m.shared:
        out.append(f'<span class="muted">{t.not_shared}</span>')
    elif not m.summaries:
        out.append(f'<span class="muted">{t.no_scores}</span>')
    else:
        out.append('<ul class="plain">')
        for s in m.headline:
            badge = "" if s.validated else t.badge
            out.append(f"<li>{_e(s.short_name)}{badge} <strong>{score(s.latest)}</strong>")
            if s.latest_severity:
                out.append(f' <span class="muted">{_e(s.latest_severity)}</span>')
            change = s.change
            if change is not None:
                out.append(f" ({signed(change)} {t.since % {'first': score(s.first)}})")
            out.append("</li>")
        out.append("</ul>")
    out.append(f"</td>\n<td>{t.status[m.status]}</td>\n")
    if row.last_checkin:
        day = dates.get(row.last_checkin)
        if day is None:
            day = dates[row.last_checkin] = _e(formats.date_format(row.last_checkin, "SHORT_DATE_FORMAT"))
        out.append(f"<td>{day}</td>\n")
    else:
        out.append(f'<td><span class="muted">{t.none_shared}</span></td>\n')
    if row.adherence_pct is not None:
        out.append(f"<td>{int(row.adherence_pct)}%</td>\n")
    else:
        out.append(f'<td><span class="muted">{t.none_set}</span></td>\n')
    out.append("</tr>\n")
    # Reviewed exception to "no mark_safe": every value from data is escaped above (tested with markup and
    # braces in a client's name); format_html escaped every label and number again on each of hundreds of rows,
    # a fifth of the page's time.
    return mark_safe("".join(out))  # noqa: S308  # nosec B703 B308  # nosemgrep: alongside-no-mark-safe
