"""The caseload rows' markup is pinned, so a change of how rows are built (for example into a template) changes no
byte of it."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

import pytest
from django.utils import translation

from alongside.care.models import ClientProfile
from alongside.measures.caseload import Attention, ClientMeasures, InstrumentSummary, OpenAlert, Status
from alongside.measures.caseload_display import caseload_lines

AT = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Row:
    client: ClientProfile
    measures: ClientMeasures
    last_checkin: dt.date | None
    adherence_pct: int | None


def _summary(code: str, first: float | None, latest: float | None, **extra: object) -> InstrumentSummary:
    values: dict[str, object] = {
        "first_at": AT - dt.timedelta(weeks=8),
        "latest_at": AT,
        "latest_severity": "moderate",
        "latest_caseness": True,
        "repeated": True,
    }
    values.update(extra)
    return InstrumentSummary(code, first, latest=latest, **values)  # type: ignore[arg-type]


def _client(number: int, name: str) -> ClientProfile:
    return ClientProfile(user_id=uuid.UUID(int=number), preferred_name=name)


def _rows() -> list[Row]:
    alert = OpenAlert(uuid.UUID(int=900), "phq9", [9], AT, escalated=False)
    escalated = OpenAlert(uuid.UUID(int=901), "phq9", [9], AT, escalated=True)
    measures = [
        ClientMeasures(
            shared=True,
            summaries={"phq9": _summary("phq9", 8, 14), "gad7": _summary("gad7", 5, 5, latest_severity="")},
            alerts=[alert, escalated],
            status=Status.RELIABLE_DETERIORATION,
            attention=Attention.CRITICAL_ALERT,
            reason="Item 9 <answered> & more",
        ),
        ClientMeasures(shared=False, attention=Attention.OVERDUE, reason="Questionnaire due since 1 March"),
        ClientMeasures(shared=True, status=Status.NO_SCORES),
        ClientMeasures(
            shared=True,
            summaries={
                "who5": _summary("who5", 40, 72.5, latest_at=AT - dt.timedelta(days=3)),
                "own": _summary("own", 3, None, name="Our <own> scale", validated=False, latest_severity=""),
                "pcl5": _summary("pcl5", 50, 31, repeated=False),
            },
            status=Status.RELIABLE_IMPROVEMENT,
            attention=Attention.NOT_IMPROVING,
            reason="Not improving {0} %s",
        ),
        ClientMeasures(
            shared=True,
            summaries={"phq9": _summary("phq9", 18, 4.5, latest_severity="minimal", latest_caseness=False)},
            status=Status.RECOVERY,
        ),
    ]
    names = ["Ann <b>& Co</b>", "Bo \"quoted\" 'single'", "Fresh {0} {}", "Dee", "Eve"]
    days = [dt.date(2026, 2, 27), None, dt.date(2026, 2, 27), dt.date(2025, 12, 31), None]
    adherence = [80, None, 0, 100, None]
    return [
        Row(_client(index + 1, name), m, day, pct)
        for index, (name, m, day, pct) in enumerate(zip(names, measures, days, adherence, strict=True))
    ]


PINNED = {
    "en": "ddca74af3fbdcc7e5ad69531153cb5c576650fac79f33003ad2906da6121ba1f",
    "es": "8316b6baa3f9561edc278ee3ad7fdbb043c1b5c9c39545cdea6c0fd6c60e2946",
}


@pytest.mark.parametrize("language", sorted(PINNED))
def test_caseload_rows_markup_is_pinned(language: str) -> None:
    """Every kind of caseload row renders to exactly the pinned markup (English and Spanish)."""
    with translation.override(language):
        markup = "".join(caseload_lines(_rows()))
    assert hashlib.sha256(markup.encode()).hexdigest() == PINNED[language]


def test_caseload_rows_are_printed_by_an_autoescaping_template() -> None:
    """Each row is markup returned by the Jinja2 rows partial (autoescape on), not a string marked safe by hand."""
    from django.template import engines
    from markupsafe import Markup

    from alongside.measures.caseload_display import ROWS_TEMPLATE

    template = engines["jinja2"].env.get_template(ROWS_TEMPLATE)  # type: ignore[attr-defined]
    assert template.environment.autoescape is True
    lines = caseload_lines(_rows()[:2])
    assert all(isinstance(line, Markup) for line in lines)
    assert "Ann &lt;b&gt;&amp; Co&lt;/b&gt;" in lines[0]


def test_jinja2_partials_escape_as_django_does() -> None:
    """A Jinja2 partial prints a value byte for byte as Django's escape does, quotes included; markup is kept."""
    from django.template import engines
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    hostile = "<a href=\"x\" title='y'>&amp; {0} %s</a>"
    template = engines["jinja2"].from_string("{{ value }}|{{ kept }}|{{ number }}")
    printed = template.render({"value": hostile, "kept": mark_safe("<br>"), "number": 7})
    assert printed == f"{escape(hostile)}|<br>|7"


def test_registered_column_cells_are_printed_escaped_at_the_end_of_each_row() -> None:
    """Values of columns other apps register become cells, escaped, at the end of their own row only (where
    dashboards put them before)."""
    rows = _rows()[:2]
    lines = caseload_lines(rows, cells=[["<i>1,200 steps</i>", 3], ["", None]])
    assert lines[0].endswith("%</td>\n<td>&lt;i&gt;1,200 steps&lt;/i&gt;</td><td>3</td></tr>\n")
    assert lines[1].endswith("</span></td>\n<td></td><td>None</td></tr>\n")
    assert "".join(caseload_lines(rows)) == "".join(caseload_lines(rows, cells=[[], []]))
