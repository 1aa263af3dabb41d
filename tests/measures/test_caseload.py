"""The caseload says who needs attention today and why, reads scores only where shared, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify
from alongside.care.selectors import access_log_rows
from alongside.consent.services import scopes_set
from alongside.core.formatting import fmt_date
from alongside.dashboards.caseload import caseload_for
from alongside.measures.caseload import Attention, InstrumentSummary, Status, status_of
from alongside.measures.caseload_display import caseload_lines
from alongside.measures.models import MeasureAuditAction
from tests import factories
from tests.measures.support_staff import add_alert, add_history, add_overdue_request

NOW = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)


def summary(code: str, first: float, latest: float, *, repeated: bool = True, weeks: int = 8) -> InstrumentSummary:
    caseness = {"phq9": latest >= 10, "gad7": latest >= 8, "core10": latest >= 11, "who5": latest <= 50}.get(code)
    return InstrumentSummary(
        code=code,
        first=first,
        first_at=NOW - dt.timedelta(weeks=weeks),
        latest=latest,
        latest_at=NOW,
        latest_severity="",
        latest_caseness=caseness,
        repeated=repeated,
    )


def paired(phq: tuple[int, int], gad: tuple[int, int]) -> dict[str, InstrumentSummary]:
    return {"phq9": summary("phq9", *phq), "gad7": summary("gad7", *gad)}


@pytest.mark.parametrize(
    ("phq", "gad", "expected"),
    [
        ((20, 14), (10, 10), Status.RELIABLE_IMPROVEMENT),  # PHQ-9 falls by exactly 6; still at caseness
        ((20, 15), (10, 7), Status.NO_RELIABLE_CHANGE),  # falls of 5 and 3: below 6 and 4; PHQ-9 still at caseness
        ((12, 9), (8, 7), Status.RECOVERY),  # caseness at start, not at the end, without reliable change
        ((5, 11), (5, 5), Status.RELIABLE_DETERIORATION),  # PHQ-9 rises by exactly 6
        ((5, 10), (5, 8), Status.NO_RELIABLE_CHANGE),  # rises of 5 and 3
        ((5, 5), (3, 7), Status.RELIABLE_DETERIORATION),  # GAD-7 rises by exactly 4
        ((9, 3), (7, 2), Status.RELIABLE_IMPROVEMENT),  # not at caseness at start: no recovery, still improvement
        ((20, 10), (5, 9), Status.NO_RELIABLE_CHANGE),  # one improves and the other deteriorates reliably
        ((2, 8), (9, 7), Status.RELIABLE_DETERIORATION),  # recovered on caseness, but PHQ-9 rose by 6: safety first
    ],
)
def test_paired_status_follows_nhs_talking_therapies(phq, gad, expected) -> None:
    """With PHQ-9 and GAD-7 the status is the paired outcome, deterioration first, at the exact boundaries."""
    assert status_of(paired(phq, gad)) == expected


@pytest.mark.parametrize(
    ("code", "first", "latest", "expected"),
    [
        ("core10", 20, 14, Status.RELIABLE_IMPROVEMENT),  # CORE-10 reliable change 6, still at caseness (>= 11)
        ("core10", 20, 15, Status.NO_RELIABLE_CHANGE),
        ("core10", 14, 10, Status.RECOVERY),  # below the clinical cut-off at the end
        ("core10", 8, 14, Status.RELIABLE_DETERIORATION),
        ("phq9", 20, 14, Status.RELIABLE_IMPROVEMENT),  # PHQ-9 alone: per-instrument reliable change
        ("phq9", 20, 15, Status.NO_RELIABLE_CHANGE),
    ],
)
def test_single_instrument_status_uses_its_reliable_change(code, first, latest, expected) -> None:
    """Without both PHQ-9 and GAD-7, each instrument's own reliable change value decides."""
    assert status_of({code: summary(code, first, latest)}) == expected


def test_status_without_enough_scores() -> None:
    """No scores, and a single (baseline) score, have their own statuses."""
    assert status_of({}) == Status.NO_SCORES
    assert status_of({"phq9": summary("phq9", 12, 12, repeated=False)}) == Status.BASELINE_ONLY


def _caseload_client(world, name: str, *, shares: bool = True):
    scopes = ("measures",) if shares else ()
    return factories.client(world.practice, clinicians=(world.alice,), name=name, scopes=scopes)


@pytest.mark.django_db
def test_caseload_orders_clients_by_attention_reason(world, staff_client) -> None:
    """Open alerts first, then reliable deterioration, not improving, overdue questionnaires, then the rest."""
    rest = _caseload_client(world, "Rest")
    add_history(rest, "phq9", [15, 8])
    overdue = _caseload_client(world, "Overdue")
    add_overdue_request(overdue)
    stuck = _caseload_client(world, "Stuck")
    add_history(stuck, "phq9", [16, 15, 15, 14], every_days=21)  # 9 weeks, no reliable change, at caseness
    worse = _caseload_client(world, "Worse")
    add_history(worse, "phq9", [8, 14])
    alerted = _caseload_client(world, "Alerted", shares=False)  # alerts reach the team whatever is shared
    add_alert(alerted, recipients=(world.alice,))

    load = caseload_for(user=world.alice)
    names = [row.client.preferred_name for row in load.rows]
    assert names[:5] == ["Alerted", "Worse", "Stuck", "Overdue", "Rest"], names
    reasons = {row.client.preferred_name: row.measures for row in load.rows}
    assert reasons["Alerted"].attention == Attention.CRITICAL_ALERT
    assert "PHQ-9" in reasons["Alerted"].reason
    assert "9" in reasons["Alerted"].reason
    assert reasons["Worse"].attention == Attention.DETERIORATION
    assert "PHQ-9 from 8 to 14" in reasons["Worse"].reason
    assert reasons["Stuck"].attention == Attention.NOT_IMPROVING
    assert reasons["Overdue"].attention == Attention.OVERDUE
    assert reasons["Rest"].status == Status.RECOVERY

    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert body.index("Alerted") < body.index("Worse") < body.index("Stuck") < body.index("Overdue")
    assert "Reliable deterioration" in body
    assert "Not improving" in body


@pytest.mark.django_db
def test_overdue_is_the_oldest_open_request_past_two_days_and_only_when_shared(world) -> None:
    """Overdue from the oldest pending request due at least two days ago; nothing for answered, recent or unshared."""
    from alongside.measures.caseload import OVERDUE_AFTER
    from alongside.measures.models import RequestStatus

    now = timezone.now()
    two = _caseload_client(world, "Two")
    older, newer = add_overdue_request(two, days_ago=9), add_overdue_request(two, days_ago=4)
    edge = _caseload_client(world, "Edge")
    on_the_limit = add_overdue_request(edge, days_ago=0)
    on_the_limit.due_at = now - OVERDUE_AFTER
    on_the_limit.save(update_fields=["due_at"])
    recent = _caseload_client(world, "Recent")
    add_overdue_request(recent, days_ago=1)
    answered = _caseload_client(world, "Answered")
    done = add_overdue_request(answered, days_ago=9)
    done.status, done.completed_at = RequestStatus.COMPLETED, now
    done.save(update_fields=["status", "completed_at"])
    private = _caseload_client(world, "Private", shares=False)
    add_overdue_request(private, days_ago=9)

    rows = {row.client.preferred_name: row.measures for row in caseload_for(user=world.alice).rows}
    assert rows["Two"].overdue_since == older.due_at != newer.due_at
    assert rows["Two"].attention == Attention.OVERDUE
    assert "overdue for 9 days" in rows["Two"].reason
    assert rows["Edge"].overdue_since == on_the_limit.due_at
    for name in ("Recent", "Answered", "Private"):
        assert rows[name].overdue_since is None, name
        assert rows[name].attention == Attention.NONE, name


@pytest.mark.django_db
def test_caseload_sorts_and_filters_with_query_parameters(world, staff_client) -> None:
    """?show= keeps the matching clients and ?sort= orders them, with plain links and a GET form (no JS)."""
    low = _caseload_client(world, "Low")
    add_history(low, "phq9", [6, 4])
    high = _caseload_client(world, "High")
    add_history(high, "phq9", [12, 20])
    web = staff_client(world.alice)
    body = web.get(reverse("care:caseload"), {"sort": "phq9"}).content.decode()
    assert body.index("High") < body.index("Low")
    body = web.get(reverse("care:caseload"), {"sort": "name"}).content.decode()
    assert body.index(">High<") < body.index(">Low<") < body.index(">Sam<")
    body = web.get(reverse("care:caseload"), {"show": "deterioration"}).content.decode()
    assert ">High<" in body
    assert ">Low<" not in body
    assert ">Sam<" not in body
    body = web.get(reverse("care:caseload"), {"show": "nonsense", "sort": "nonsense"}).content.decode()
    assert ">Low<" in body
    assert ">Sam<" in body
    assert '<label for="caseload-sort">' in body
    assert '<label for="caseload-show">' in body


@pytest.mark.django_db
def test_revoked_scope_hides_scores_on_the_caseload(world, staff_client) -> None:
    """A client who stops sharing questionnaires shows 'Not shared'; their scores are not read or shown."""
    add_history(world.sam, "phq9", [21, 23])
    web = staff_client(world.alice)
    assert "23" in web.get(reverse("care:caseload")).content.decode()
    scopes_set(client=world.sam, scopes={"measures": False}, actor=world.sam.user)
    with CaptureQueriesContext(connection) as queries:
        body = web.get(reverse("care:caseload")).content.decode()
    assert "Not shared" in body
    assert ">23<" not in body
    assert "from 21" not in body
    assert not any("measures_measurescore" in q["sql"] for q in queries.captured_queries)
    row = caseload_for(user=world.alice).rows[0]
    assert row.measures.status == Status.NOT_SHARED
    assert not row.measures.summaries


def _count_caseload_queries(web) -> int:
    web.get(reverse("care:caseload"))  # a session's first request stamps it (and reads the zone); count a later one
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("care:caseload"))
    assert response.status_code == 200
    return len(queries)


def _populate(world, count: int, *, scores_each: int, start: int = 0) -> None:
    for index in range(start, start + count):
        client = _caseload_client(world, f"Client {index}")
        add_history(client, "phq9", [12 + (i % 5) for i in range(scores_each)], every_days=7)
        add_history(client, "gad7", [9 + (i % 4) for i in range(scores_each)], every_days=7)
        if index % 3 == 0:
            add_overdue_request(client)
        if index % 4 == 0:
            add_alert(client)


@pytest.mark.django_db
def test_caseload_query_count_is_the_same_for_5_and_25_clients(world, staff_client) -> None:
    """Twenty more clients, with scores, alerts and overdue requests, cost no extra query."""
    web = staff_client(world.alice)
    _populate(world, 5, scores_each=3)
    few = _count_caseload_queries(web)
    _populate(world, 20, scores_each=3, start=5)
    many = _count_caseload_queries(web)
    assert "Client 24" in web.get(reverse("care:caseload")).content.decode()
    assert few == many


@pytest.mark.django_db
def test_caseload_query_count_is_the_same_for_short_and_long_histories(world, staff_client) -> None:
    """Two years of weekly scores cost the same number of queries as three."""
    web = staff_client(world.alice)
    _populate(world, 5, scores_each=3)
    short = _count_caseload_queries(web)
    for row in caseload_for(user=world.alice).rows:
        add_history(row.client, "phq9", [14] * 100, every_days=7)
    long = _count_caseload_queries(web)
    assert short == long


def _add_selfcare(clinician, client, *, days: int, offset: int = 0) -> None:
    """Check-ins on most of ``days`` days and a daily homework task each day (half done by a linked practice)."""
    from alongside.selfcare.models import Assignment, CheckIn, HomeworkTask, PracticeLog, TaskStatus

    today = dt.date.today()
    first = today - dt.timedelta(days=offset + days - 1)
    assignment = Assignment.objects.create(
        client=client, created_by=clinician, kind="tool", target="breathing_box", frequency="daily", starts_on=first
    )
    checkins, tasks, logs = [], [], []
    for back in range(offset, offset + days):
        day = today - dt.timedelta(days=back)
        at = dt.datetime.combine(day, dt.time(12), dt.UTC)
        if back % 5:
            checkins.append(
                CheckIn(client=client, at=at, local_date=day, mood=5, idempotency_key=f"{client.pk}-{back}")
            )
        task = HomeworkTask(assignment=assignment, client=client, due_on=day, status=TaskStatus.EXPIRED)
        if back < 2:  # yesterday's and today's tasks are still open; yesterday's was done, its link failed
            task.status = TaskStatus.DUE
            if back == 1:
                logs.append(PracticeLog(client=client, kind="breathing_box", at=at, idempotency_key=f"u{back}"))
        elif back % 2:
            log = PracticeLog(
                client=client, kind="breathing_box", at=at, assignment=assignment, idempotency_key=str(back)
            )
            logs.append(log)
            task.status, task.completed_at = TaskStatus.COMPLETED, at
            task.completion_type, task.completion_id = "selfcare.practicelog", str(log.pk)
        tasks.append(task)
    CheckIn.objects.bulk_create(checkins)
    PracticeLog.objects.bulk_create(logs)
    HomeworkTask.objects.bulk_create(tasks)


@pytest.mark.django_db
def test_caseload_query_count_is_the_same_with_a_long_selfcare_history(world, staff_client) -> None:
    """Two years of daily check-ins and homework cost the same queries, and the same figures, as one month."""
    web = staff_client(world.alice)
    clients = [
        factories.client(
            world.practice, clinicians=(world.alice,), name=f"Self {i}", scopes=("measures", "mood", "exercises")
        )
        for i in range(3)
    ]
    for client in clients:
        _add_selfcare(world.alice, client, days=28)
    short = _count_caseload_queries(web)
    before = {row.client.pk: (row.last_checkin, row.adherence_pct) for row in caseload_for(user=world.alice).rows}
    for client in clients:
        _add_selfcare(world.alice, client, days=700, offset=29)  # before the four weeks shown
    long = _count_caseload_queries(web)
    after = {row.client.pk: (row.last_checkin, row.adherence_pct) for row in caseload_for(user=world.alice).rows}
    assert short == long
    assert before == after
    assert all(after[c.pk][0] == dt.date.today() - dt.timedelta(days=1) for c in clients)
    assert all(after[c.pk][1] is not None for c in clients)
    with CaptureQueriesContext(connection) as queries:
        caseload_for(user=world.alice)
    # Sharing with the last check-ins; completed and missed tasks counted; open tasks whose window may have
    # closed. No record table is read: the writes and the tick keep task statuses exact.
    assert sum("selfcare_" in q["sql"] for q in queries.captured_queries) == 3


# The caseload's own reads: membership; the care team, with who shares questionnaires, mood and exercises, the
# oldest overdue request and the last check-in; open alerts, score summaries, homework (tasks done or missed, and
# tasks still open whose window may have closed); then the audit events of everyone shown: a savepoint, the chain
# head, one INSERT, its release (and PostgreSQL's advisory lock on the chain). The practice's own questionnaires are
# read only when a score or alert names one (tests/measures/test_custom_staff_views.py).
# The page adds the session, the signed-in user, the view's membership check and the staff header's counters,
# which other apps own. Registered attention reasons add theirs: the risk app's reads its stored warnings (one query);
# the records app's plan-review reminder reads the current plans (one query; their reviews only when a plan exists).
CASELOAD_QUERIES = 12


@pytest.mark.django_db
def test_caseload_query_count_is_pinned(world, django_assert_num_queries) -> None:
    """Reading and printing the caseload takes a fixed, known number of queries: a new one must be a decision."""
    _populate(world, 6, scores_each=2)
    # The same on PostgreSQL: the audit chain's advisory lock is taken in the head read's round trip (ada92fe).
    with django_assert_num_queries(CASELOAD_QUERIES):
        load = caseload_for(user=world.alice)
    with django_assert_num_queries(0):  # names are already open, links reversed once: nothing per row
        lines = caseload_lines(load.rows)
    assert len(lines) == 7


@pytest.mark.django_db
def test_caseload_rows_print_names_links_scores_and_reasons(world, staff_client) -> None:
    """Each row links to the record and progress, shows the latest scores with change, the reason and its alert."""
    from alongside.selfcare.services import checkin_create

    worse = _caseload_client(world, "Ann <b>& Co</b>")
    add_history(worse, "phq9", [8, 14])
    add_history(worse, "gad7", [5, 5])
    alert = add_alert(_caseload_client(world, "Alerted", shares=False))
    _caseload_client(world, "Fresh {0} {}")  # shares, no scores yet; braces are text, never a format field
    scopes_set(client=world.sam, scopes={"mood": True}, actor=world.sam.user)
    checkin = checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="caseload-1", mood=6)

    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()

    assert "Ann &lt;b&gt;&amp; Co&lt;/b&gt;" in body
    assert "<b>& Co</b>" not in body
    assert "Fresh {0} {}</a>" in body
    assert f'href="{reverse("care:client_detail", args=[worse.pk])}">Ann' in body
    assert f'href="{reverse("measures:progress", args=[worse.pk])}">Progress</a>' in body
    assert f'data-client="{worse.pk}"' in body
    assert "<li>PHQ-9 <strong>14</strong> (+6 from 8)</li>" in body
    assert "<li>GAD-7 <strong>5</strong> (0 from 5)</li>" in body
    assert '<strong class="reason reason-1">Reliable deterioration</strong>' in body
    assert "Reliably worse since baseline: PHQ-9 from 8 to 14." in body
    assert f'<a href="{reverse("measures:alert_detail", args=[alert.pk])}">Open the alert</a>' in body
    assert '<strong class="reason reason-0">Open critical alert</strong>' in body
    alerted_row = body[body.index(">Alerted<") : body.index("</tr>", body.index(">Alerted<"))]
    assert '<span class="muted">Not shared</span>' in alerted_row
    fresh_row = body[body.index(">Fresh {0} {}<") : body.index("</tr>", body.index(">Fresh {0} {}<"))]
    assert '<span class="muted">No scores yet</span>' in fresh_row
    assert "<td>No scores yet</td>" in fresh_row  # the status column
    assert '<span class="muted">None shared</span>' in fresh_row
    assert '<span class="muted">None set or not shared</span>' in fresh_row
    sam_row = body[body.index(">Sam<") : body.index("</tr>", body.index(">Sam<"))]
    assert f"<td>{fmt_date(checkin.local_date)}</td>" in sam_row


@pytest.mark.django_db
def test_caseload_audits_each_client_shown_in_an_intact_chain(world, staff_client) -> None:
    """Every client on the page gets their own event (so their access log shows it), and the chain verifies."""
    shown = [_caseload_client(world, f"Shown {i}") for i in range(3)]
    add_history(shown[0], "phq9", [10, 12])
    web = staff_client(world.alice)
    before = AuditEvent.objects.count()
    web.get(reverse("care:caseload"))
    web.get(reverse("care:caseload"))

    events = AuditEvent.objects.filter(seq__gt=before, actor_id=world.alice.pk)
    for client in [world.sam, *shown]:
        assert events.filter(client_id=client.pk).count() == 2
    assert set(events.filter(client_id=shown[0].pk).values_list("action", flat=True)) == {
        MeasureAuditAction.SCORES_VIEWED
    }
    assert set(events.filter(client_id=shown[1].pk).values_list("action", flat=True)) == {AuditAction.CLIENT_LISTED}
    assert all(e.object_id == str(e.client_id) and e.detail == {} for e in events)
    report = verify()
    assert (report.ok, report.checked) == (True, AuditEvent.objects.count())
    assert any(row.action == AuditAction.CLIENT_LISTED for row in access_log_rows(client=shown[1]))


@pytest.mark.django_db
def test_caseload_reasons_follow_the_active_language(world) -> None:
    """Reason sentences are translated once per language and still follow the clinician's language."""
    from django.utils import translation

    add_overdue_request(_caseload_client(world, "Late"), days_ago=5)
    with translation.override("es"):
        spanish = {r.client.preferred_name: r.measures.reason for r in caseload_for(user=world.alice).rows}
    english = {r.client.preferred_name: r.measures.reason for r in caseload_for(user=world.alice).rows}
    assert spanish["Late"] == "Hay un cuestionario atrasado desde hace 5 días."
    assert english["Late"] == "A questionnaire has been overdue for 5 days."


@pytest.mark.django_db
def test_caseload_alert_and_score_reads_take_the_clients_already_read(world) -> None:
    """The open alerts and the score summaries are read for the team's clients by the ids the caseload's client
    query returned, without nesting the care-team access subqueries in them again (issue #11); what they show is
    unchanged (the other caseload tests)."""
    _populate(world, 4, scores_each=2)
    with CaptureQueriesContext(connection) as queries:
        load = caseload_for(user=world.alice)
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and ('FROM "measures_criticalalert"' in q["sql"] or 'FROM "measures_measurescoresummary"' in q["sql"])
    ]
    assert len(reads) == 2
    assert not any("care_careteammember" in sql or "care_membership" in sql for sql in reads)
    assert any(row.measures.alerts for row in load.rows)
    assert any(row.measures.summaries for row in load.rows)
