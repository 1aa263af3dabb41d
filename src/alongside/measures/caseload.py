"""Who needs attention today and why: measure summaries of a caseload in a fixed number of queries.

:func:`caseload_measures` reads, for any number of clients and any length of history, a fixed number of
queries: who shares questionnaires, open alerts, the first and latest score per instrument (index seeks per
client, never a scan of the history) and overdue requests. Scores and requests of clients who do not share MEASURES are never read.
The rest of the module is pure: the status of a client's change and the reason they need attention.
:mod:`alongside.measures.caseload_display` prepares the rows for printing; :mod:`.caseload_reasons` holds
the reason sentences.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.db import models
from django.db.models import Case, DateTimeField, Exists, OuterRef, QuerySet, Subquery, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from alongside.care.models import ClientProfile
from alongside.consent.models import Scope, ScopeGrant
from alongside.core.formatting import fmt_number
from alongside.measures import library
from alongside.measures.caseload_reasons import Reasons, reasons
from alongside.measures.library import Instrument
from alongside.measures.models import CustomInstrument, MeasureRequest, MeasureScoreSummary, RequestStatus
from alongside.safety.models import MESSAGE_ALERT_INSTRUMENT, AlertStatus, CriticalAlert

logger = logging.getLogger(__name__)

# A request still open this long after it fell due counts as overdue.
OVERDUE_AFTER = dt.timedelta(days=2)
# No reliable change this long after the first score, while still at caseness, is "not improving".
NOT_IMPROVING_AFTER = dt.timedelta(weeks=6)
PAIRED = ("phq9", "gad7")
Direction = Literal["improved", "deteriorated"] | None


class Status(models.TextChoices):
    """How a client's scores changed from the first (baseline) to the latest."""

    RELIABLE_DETERIORATION = "deterioration", gettext_lazy("Reliable deterioration")
    RECOVERY = "recovery", gettext_lazy("Recovery")
    RELIABLE_IMPROVEMENT = "improvement", gettext_lazy("Reliable improvement")
    NO_RELIABLE_CHANGE = "no_change", gettext_lazy("No reliable change")
    BASELINE_ONLY = "baseline", gettext_lazy("Baseline only")
    NO_SCORES = "no_scores", gettext_lazy("No scores yet")
    NOT_SHARED = "not_shared", gettext_lazy("Not shared")


class Attention(models.IntegerChoices):
    """Why a client is near the top of the caseload; lower comes first."""

    CRITICAL_ALERT = 0, gettext_lazy("Open critical alert")
    DETERIORATION = 1, gettext_lazy("Reliable deterioration")
    NOT_IMPROVING = 2, gettext_lazy("Not improving")
    OVERDUE = 3, gettext_lazy("Questionnaire overdue")
    NONE = 4, gettext_lazy("No action needed")


@dataclass(frozen=True)
class InstrumentSummary:
    """The first (baseline) and latest score of one instrument."""

    code: str
    first: float | None
    first_at: dt.datetime
    latest: float | None
    latest_at: dt.datetime
    latest_severity: str
    latest_caseness: bool | None
    repeated: bool  # more than one score, so there is a change to read
    name: str = ""  # set for a practice's own questionnaire, which the library does not know
    validated: bool = True

    @property
    def short_name(self) -> str:
        if self.name:
            return self.name
        try:
            return library.get(self.code).short_name
        except KeyError:
            return self.code

    @property
    def change(self) -> float | None:
        """Latest minus baseline; None with one score or no totals."""
        if not self.repeated or self.first is None or self.latest is None:
            return None
        return self.latest - self.first

    @property
    def reliable(self) -> Direction:
        """'improved', 'deteriorated' or None, from the instrument's reliable change value."""
        return reliable_direction(self.code, self.first, self.latest) if self.repeated else None


def reliable_direction(code: str, first: float | None, latest: float | None) -> Direction:
    """Return 'improved' or 'deteriorated' when the change from first to latest is reliable, else None."""
    if first is None or latest is None:
        return None
    try:
        instrument = library.get(code)
    except KeyError:
        return None
    value = instrument.reliable_change
    if value is None:
        return None
    fall = (first - latest) if not instrument.higher_is_better else (latest - first)
    if fall >= value:
        return "improved"
    if -fall >= value:
        return "deteriorated"
    return None


@dataclass(frozen=True)
class OpenAlert:
    id: uuid.UUID
    instrument: str
    items: list[int]
    created_at: dt.datetime
    escalated: bool
    name: str = ""  # set for a practice's own questionnaire


@dataclass(frozen=True)
class ClientMeasures:
    """What the caseload shows about one client's measures."""

    shared: bool
    summaries: dict[str, InstrumentSummary] = field(default_factory=dict)
    alerts: list[OpenAlert] = field(default_factory=list)
    overdue_since: dt.datetime | None = None
    status: Status = Status.NO_SCORES
    attention: Attention = Attention.NONE
    reason: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.attention != Attention.NONE

    @property
    def attention_label(self) -> str:
        return str(Attention(self.attention).label)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def headline(self) -> list[InstrumentSummary]:
        """PHQ-9 and GAD-7 when the client has either; otherwise every instrument, most recent first."""
        paired = [self.summaries[c] for c in PAIRED if c in self.summaries]
        if paired:
            return paired
        return sorted(self.summaries.values(), key=lambda s: s.latest_at, reverse=True)

    def latest_of(self, code: str) -> float | None:
        summary = self.summaries.get(code)
        return summary.latest if summary else None

    @property
    def worst_change(self) -> float:
        """The largest worsening across instruments (positive is worse), for sorting."""
        changes = []
        for summary in self.summaries.values():
            if summary.change is None:
                continue
            higher_is_better = _higher_is_better(summary.code)
            changes.append(-summary.change if higher_is_better else summary.change)
        return max(changes, default=float("-inf"))


def _higher_is_better(code: str) -> bool:
    try:
        return library.get(code).higher_is_better
    except KeyError:
        return False


def status_of(summaries: Mapping[str, InstrumentSummary]) -> Status:
    """Classify change since baseline: NHS Talking Therapies paired outcome for PHQ-9 with GAD-7, else per instrument.

    Deterioration comes first (a client can recover and reliably deteriorate on one measure at once).
    """
    if not summaries:
        return Status.NO_SCORES
    if not any(s.repeated for s in summaries.values()):
        return Status.BASELINE_ONLY
    phq9, gad7 = summaries.get("phq9"), summaries.get("gad7")
    if phq9 and gad7 and phq9.repeated and gad7.repeated and _whole(phq9, gad7):
        outcome = library.paired_outcome(
            int(phq9.first or 0), int(phq9.latest or 0), int(gad7.first or 0), int(gad7.latest or 0)
        )
        if outcome["reliable_deterioration"]:
            return Status.RELIABLE_DETERIORATION
        if outcome["recovery"]:
            return Status.RECOVERY
        if outcome["reliable_improvement"]:
            return Status.RELIABLE_IMPROVEMENT
        return Status.NO_RELIABLE_CHANGE
    repeated = [s for s in summaries.values() if s.repeated]
    directions = {s.reliable for s in repeated}
    if "deteriorated" in directions and "improved" not in directions:
        return Status.RELIABLE_DETERIORATION
    with_caseness = [s for s in repeated if s.latest_caseness is not None and _first_caseness(s) is not None]
    recovered = bool(with_caseness) and all(_first_caseness(s) and not s.latest_caseness for s in with_caseness)
    if recovered and "deteriorated" not in directions:
        return Status.RECOVERY
    if "improved" in directions and "deteriorated" not in directions:
        return Status.RELIABLE_IMPROVEMENT
    return Status.NO_RELIABLE_CHANGE


def _whole(*summaries: InstrumentSummary) -> bool:
    return all(
        s.first is not None and s.latest is not None and float(s.first).is_integer() and float(s.latest).is_integer()
        for s in summaries
    )


def _first_caseness(summary: InstrumentSummary) -> bool | None:
    try:
        instrument = library.get(summary.code)
    except KeyError:
        return None
    if instrument.caseness_value is None or summary.first is None:
        return None
    if instrument.caseness_operator == "<=":
        return summary.first <= instrument.caseness_value
    return summary.first >= instrument.caseness_value


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return fmt_number(value, 1)


def attention_of(measures: ClientMeasures, *, now: dt.datetime) -> tuple[Attention, str]:
    """Return why the client needs attention today, in order of urgency, with a sentence for the caseload."""
    return _attention(
        measures.alerts,
        measures.shared,
        measures.status,
        measures.summaries,
        measures.overdue_since,
        now=now,
        text=reasons(translation.get_language()),
    )


def _attention(
    alerts: list[OpenAlert],
    shared: bool,
    status: Status,
    summaries: Mapping[str, InstrumentSummary],
    overdue_since: dt.datetime | None,
    *,
    now: dt.datetime,
    text: Reasons,
) -> tuple[Attention, str]:
    if alerts:
        alert = alerts[0]
        if alert.instrument == MESSAGE_ALERT_INSTRUMENT:
            return Attention.CRITICAL_ALERT, text.message_alert
        items = ", ".join(str(n) for n in alert.items)
        name = alert.name or _short_name(alert.instrument)
        if items:
            return Attention.CRITICAL_ALERT, text.alert_items % {"instrument": name, "items": items}
        return Attention.CRITICAL_ALERT, text.alert % {"instrument": name}
    if not shared:
        return Attention.NONE, text.not_shared
    if status == Status.RELIABLE_DETERIORATION:
        worse = [s for s in summaries.values() if s.reliable == "deteriorated"]
        parts = [
            text.change % {"instrument": s.short_name, "first": _number(s.first), "latest": _number(s.latest)}
            for s in worse
        ]
        return Attention.DETERIORATION, text.worse % {"changes": "; ".join(parts)}
    if status == Status.NO_RELIABLE_CHANGE:
        repeated = [s for s in summaries.values() if s.repeated]
        still_case = any(s.latest_caseness for s in repeated)
        longest = max((s.latest_at - s.first_at for s in repeated), default=dt.timedelta(0))
        if still_case and longest >= NOT_IMPROVING_AFTER:
            return Attention.NOT_IMPROVING, text.not_improving % {"weeks": longest.days // 7}
    if overdue_since is not None:
        days = max((now - overdue_since).days, 0)
        return Attention.OVERDUE, text.overdue % {"days": days}
    return Attention.NONE, ""


def _short_name(code: str) -> str:
    try:
        return library.get(code).short_name
    except KeyError:
        return code


def caseload_columns(now: dt.datetime) -> dict[str, Any]:
    """Per-client columns for a query of clients: whether each shares questionnaires (MEASURES) and, if so,
    since when their oldest open request has been overdue (null when none is).

    The caseload adds them to the query that reads its clients and passes those clients to
    :func:`caseload_measures` as ``read``, saving the queries. Each is an index seek per client.
    """
    oldest_overdue = (
        MeasureRequest.objects.filter(
            client_id=OuterRef("pk"), status=RequestStatus.PENDING, due_at__lte=now - OVERDUE_AFTER
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return {
        "measures_shared": Exists(
            ScopeGrant.objects.filter(client_id=OuterRef("pk"), scope=Scope.MEASURES, granted=True)
        ),
        "measures_overdue_since": Case(
            When(measures_shared=True, then=Subquery(oldest_overdue)), default=None, output_field=DateTimeField()
        ),
    }


def caseload_measures(
    *,
    clients: QuerySet[ClientProfile],
    read: Iterable[ClientProfile] | None = None,
    now: dt.datetime | None = None,
) -> dict[uuid.UUID, ClientMeasures]:
    """Return what the caseload shows for each client, in two queries whatever the caseload or history (three
    when a client has answered one of their practice's own questionnaires, four without ``read``).

    ``clients`` is a queryset of clients whose care team the user is on (the caller checked). A caller that
    reads those clients anyway adds :func:`caseload_columns` to its query and passes the result as ``read``
    (with the same ``now``), saving a query. Alerts reach the team whatever the client shares (clinical
    safety); scores and requests are read only for clients sharing MEASURES. Every read is an index seek per
    client, never a scan of their history.
    """
    now = now or timezone.now()
    if read is None:
        read = clients.order_by().annotate(**caseload_columns(now)).only("pk", "practice_id")
    practice_of: dict[uuid.UUID, uuid.UUID] = {}
    shared: set[uuid.UUID] = set()
    overdue: dict[uuid.UUID, dt.datetime] = {}
    for client in read:
        practice_of[client.pk] = client.practice_id
        if getattr(client, "measures_shared"):  # noqa: B009  # an annotation
            shared.add(client.pk)
            since = getattr(client, "measures_overdue_since")  # noqa: B009
            if since is not None:
                overdue[client.pk] = since
    if not practice_of:
        return {}
    # By the ids just read from ``clients`` (the care team's), not that query nested again: compiling the access
    # subqueries twice more cost more than the page's alert and score reads themselves (issue #11).
    alert_rows = list(
        CriticalAlert.objects.filter(client_id__in=list(practice_of))
        .exclude(status=AlertStatus.ACKNOWLEDGED)
        .order_by("created_at")
        .values_list("id", "client_id", "instrument", "items", "created_at", "status")
    )
    summary_rows = _first_and_latest(shared) if shared else []
    # A practice's own questionnaire is named by the practice; read them only when a code is not the library's.
    library_codes = _library_codes()
    unknown = {row[1] for row in summary_rows if row[1] not in library_codes}
    unknown |= {row[2] for row in alert_rows if row[2] not in library_codes and row[2] != MESSAGE_ALERT_INSTRUMENT}
    custom = _custom_instruments(set(practice_of.values()), unknown) if unknown else {}
    alerts: dict[uuid.UUID, list[OpenAlert]] = {}
    for alert_id, client_id, code, items, created_at, status in alert_rows:
        own = custom.get((practice_of.get(client_id), code)) if custom else None
        alerts.setdefault(client_id, []).append(
            OpenAlert(
                id=alert_id,
                instrument=code,
                items=list(items or []),
                created_at=created_at,
                escalated=status == AlertStatus.ESCALATED,
                name=own.short_name if own else "",
            )
        )
    summaries = _summaries(summary_rows, practice_of, custom, library_codes)
    result: dict[uuid.UUID, ClientMeasures] = {}
    text = reasons(translation.get_language())
    for client_id in practice_of:
        is_shared = client_id in shared
        client_summaries = summaries.get(client_id, {}) if is_shared else {}
        client_alerts = alerts.get(client_id, [])
        since = overdue.get(client_id) if is_shared else None
        status = status_of(client_summaries) if is_shared else Status.NOT_SHARED
        attention, reason = _attention(client_alerts, is_shared, status, client_summaries, since, now=now, text=text)
        result[client_id] = ClientMeasures(
            shared=is_shared,
            summaries=client_summaries,
            alerts=client_alerts,
            overdue_since=since,
            status=status,
            attention=attention,
            reason=reason,
        )
    return result


@functools.cache
def _library_codes() -> frozenset[str]:
    return frozenset(i.code for i in library.all_instruments())


def _custom_instruments(
    practice_ids: set[uuid.UUID], codes: set[str]
) -> dict[tuple[uuid.UUID | None, str], Instrument]:
    """One query: the questionnaires with these codes that these practices imported, by (practice, code)."""
    out: dict[tuple[uuid.UUID | None, str], Instrument] = {}
    rows = CustomInstrument.objects.filter(practice_id__in=practice_ids, code__in=codes).values_list(
        "practice_id", "code", "questionnaire"
    )
    for practice_id, code, questionnaire in rows:
        try:
            instrument = library.custom_instrument_from_fhir(questionnaire)
        except library.AnswerError:
            logger.exception("measures: stored custom questionnaire %s no longer parses", code)
            continue
        out[(practice_id, code)] = replace(instrument, code=code)
    return out


_SUMMARY_COLUMNS = (
    "client_id", "instrument", "first_total", "first_at", "latest_total", "latest_at", "latest_severity",
    "latest_caseness",
)  # fmt: skip


def _first_and_latest(sharing: set[uuid.UUID]) -> list[tuple[Any, ...]]:
    """One query: the first and latest score of each instrument (the practices' own too) of ``sharing``, the
    team's clients found sharing MEASURES by the same read (:func:`caseload_columns`).

    Reads the per-client summaries that every new score updates, so the cost depends on the number of
    clients and instruments, never on how many scores each client has.
    """
    rows = MeasureScoreSummary.objects.filter(client_id__in=sorted(sharing)).values_list(*_SUMMARY_COLUMNS)
    return list(rows)


def _summaries(
    rows: list[tuple[Any, ...]],
    practice_of: Mapping[uuid.UUID, uuid.UUID],
    custom: Mapping[tuple[uuid.UUID | None, str], Instrument],
    library_codes: frozenset[str],
) -> dict[uuid.UUID, dict[str, InstrumentSummary]]:
    """Summaries by client and instrument, from the rows of :func:`_first_and_latest`."""
    out: dict[uuid.UUID, dict[str, InstrumentSummary]] = {}
    for client_id, code, first, first_at, latest, latest_at, severity, caseness in rows:
        own = custom.get((practice_of.get(client_id), code)) if custom else None
        if own is None and code not in library_codes:
            continue  # another practice's questionnaire with the same code
        out.setdefault(client_id, {})[code] = InstrumentSummary(
            code=code,
            first=first,
            first_at=first_at,
            latest=latest,
            latest_at=latest_at,
            latest_severity=severity or "",
            latest_caseness=caseness,
            repeated=latest_at != first_at,
            name=own.short_name if own else "",
            validated=own.validated if own else True,
        )
    return out
