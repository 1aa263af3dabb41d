"""The caseload page's rows: a Jinja2 partial (``measures/caseload_rows.html``) prints each one.

A caseload shows hundreds of clients. In Django's template language the rows cost several times the rest of
the page's rendering (a lookup, a localisation and an escape per printed value, measured at 11.5-12.3 ms for 200
rows against 2.4-2.6 ms built in Python); Jinja2 compiles the partial to a Python function and escapes with
MarkupSafe's C code. Here each link is reversed once, each label translated once and each check-in day
formatted once per page; the template escapes every value it prints (autoescape, Django's escaping).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.template import engines
from django.urls import reverse
from django.utils.translation import gettext as _
from markupsafe import Markup

from alongside.care.models import ClientProfile
from alongside.core.formatting import fmt_date
from alongside.measures.caseload import Attention, ClientMeasures, Status
from alongside.measures.templatetags.measures_staff import score, signed

ROWS_TEMPLATE = "measures/caseload_rows.html"


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
    """Labels, link makers and number formats shared by every row of one page: translated and reversed once."""

    detail_url: Callable[[object], str]
    progress_url: Callable[[object], str]
    alert_url: Callable[[object], str]
    attention: dict[int, str]
    status: dict[str, str]
    progress: str
    open_alert: str
    open_escalated: str
    not_validated: str
    since: str  # "from %(first)s"; a score (digits) fills it
    not_shared: str
    no_scores: str
    none_shared: str
    none_set: str
    score: Callable[[float | None], str] = score
    signed: Callable[[float | None], str] = signed


def _url_maker(name: str) -> Callable[[object], str]:
    """Return ``id -> reverse(name, args=[id])``, reversing once (hundreds of links); the template escapes it."""
    sentinel = str(uuid.UUID(int=0))
    prefix, _sep, suffix = reverse(name, args=[sentinel]).partition(sentinel)
    return lambda pk: f"{prefix}{pk}{suffix}"


def _day_maker() -> Callable[[dt.date], str]:
    """Return ``day -> its short date``, formatting each day once (a caseload's check-ins fall on a few days)."""
    days: dict[dt.date, str] = {}

    def day(value: dt.date) -> str:
        text = days.get(value)
        if text is None:
            text = days[value] = fmt_date(value, "medium")
        return text

    return day


def caseload_lines(rows: Sequence[CaseloadRowLike], *, cells: Sequence[Sequence[object]] | None = None) -> list[Markup]:
    """Return each caseload row as a ``<tr>`` printed by the rows partial (values escaped), in the order given.

    ``cells``: values of the columns other apps registered (``dashboards.contributions.caseload_cells``), one list
    per row, printed as cells at the end of the row.
    """
    texts = _Texts(
        detail_url=_url_maker("care:client_detail"),
        progress_url=_url_maker("measures:progress"),
        alert_url=_url_maker("measures:alert_detail"),
        attention={a.value: str(a.label) for a in Attention},
        status={s.value: str(s.label) for s in Status},
        progress=_("Progress"),
        open_alert=_("Open the alert"),
        open_escalated=_("Open the escalated alert"),
        not_validated=_("not validated"),
        since=_("from %(first)s"),
        not_shared=_("Not shared"),
        no_scores=_("No scores yet"),
        none_shared=_("None shared"),
        none_set=_("None set or not shared"),
    )
    row: Any = _rows_module().row  # a macro: called with autoescape on, it returns Markup
    day = _day_maker()
    if cells is None:
        return [row(r, texts, day) for r in rows]
    return [row(r, texts, day, extra) for r, extra in zip(rows, cells, strict=True)]


def _rows_module() -> Any:
    """The rows partial's compiled module (Jinja2 keeps compiled templates; this is one lookup per page)."""
    return engines["jinja2"].env.get_template(ROWS_TEMPLATE).module  # type: ignore[attr-defined]
