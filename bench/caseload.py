"""Time the caseload page for 200 clients with one month and with two years of scores, check-ins and homework.

    uv run python bench/caseload.py [--clients 200] [--runs 60] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names another one),
fills it with synthetic data by bulk creation (weekly PHQ-9 and GAD-7 scores, a check-in on most days, homework:
a breathing tool three times a week and, every other month, a daily thought record, with their tasks and the
practice logs that completed them), and requests /practice/clients/ through Django's test client
as the clinician, signed in with their second factor. The two histories are two practices in the same database,
requested alternately (one request of each in turn), since their ratio is the figure. Prints the median and 95th percentile of wall-clock and of
CPU time, the number of queries per request, and the ratio between the two histories. A shared machine runs
at different speeds in phases lasting seconds to minutes, so a fixed piece of pure-Python work is timed around
every request: the bench prints how much slower than its fast speed the machine ran, and the page's times
scaled to that fast speed ("steady"), beside the raw ones. Timings are printed, never asserted. Templates load as in every profile (demo included): Django's
cached loader, the default when no loaders are configured, so each template is compiled once per process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parent.parent / "src"
WEEKS_SHORT = 4  # one month
WEEKS_LONG = 104  # two years


def _configure(database_url: str | None, workdir: Path) -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    # No setup_test_environment(): its instrumented template rendering would inflate the timings.
    call_command("migrate", verbosity=0, interactive=False)


def _build_people(clients: int, label: str = "") -> tuple[Any, list[Any]]:
    from django.utils import timezone

    from alongside.accounts.models import TotpDevice, User, UserKind
    from alongside.care.models import CareTeamMember, ClientProfile, ClientStatus, Membership, Practice, Role
    from alongside.consent.models import Scope, ScopeGrant

    practice = Practice.objects.create(name=f"Bench Practice{label}")
    clinician = User.objects.create_user(
        f"clinician{label}@bench.test", None, name="Bench Clinician", kind=UserKind.STAFF
    )
    Membership.objects.create(user=clinician, practice=practice, role=Role.CLINICIAN)
    TotpDevice.objects.create(user=clinician, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())  # type: ignore[misc]
    users = User.objects.bulk_create(
        [User(email=f"client{i}{label}@bench.test", kind=UserKind.CLIENT, password="!") for i in range(clients)]
    )
    profiles = []
    for index, user in enumerate(users):  # one at a time: each name is sealed with the client's own key
        profiles.append(
            ClientProfile.objects.create(  # type: ignore[misc]
                user=user, practice=practice, preferred_name=f"Client {index:03d}", status=ClientStatus.ACTIVE
            )
        )
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(client=p, clinician=clinician, is_primary=True) for p in profiles]
    )
    # Nine in ten share questionnaires; most share their mood check-ins and their exercises (homework adherence).
    ScopeGrant.objects.bulk_create(
        [ScopeGrant(client=p, scope=Scope.MEASURES, granted=index % 10 != 0) for index, p in enumerate(profiles)]
        + [ScopeGrant(client=p, scope=Scope.MOOD, granted=index % 7 != 0) for index, p in enumerate(profiles)]
        + [ScopeGrant(client=p, scope=Scope.EXERCISES, granted=index % 8 != 0) for index, p in enumerate(profiles)]
    )
    return clinician, profiles


def _add_checkins(profiles: list[Any], *, first_day: int, last_day: int, now: dt.datetime, seed: int) -> int:
    """Add a mood check-in on most days first_day..last_day before today; return check-ins added.

    The encrypted fields (emotions, activities, note) stay empty, as a check-in of a mood alone stores them.
    """
    from alongside.selfcare.models import CheckIn

    rng = random.Random(seed)
    today = now.date()
    rows = []
    for profile in profiles:
        for day in range(last_day, first_day - 1, -1):
            if rng.random() < 0.15:  # a day without a check-in
                continue
            local = today - dt.timedelta(days=day)
            at = dt.datetime.combine(local, dt.time(20, rng.randint(0, 59)), dt.UTC)
            rows.append(
                CheckIn(
                    id=uuid.uuid4(),
                    client=profile,
                    at=at,
                    local_date=local,
                    mood=rng.randint(0, 10),
                    idempotency_key=uuid.uuid4().hex,
                    created_at=at,
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _add_homework(
    clinician: Any, profiles: list[Any], *, first_block: int, last_block: int, now: dt.datetime, seed: int
) -> tuple[int, int]:
    """Add four-week blocks of homework first_block..last_block before now (block 0 is current); return counts.

    Each block: box breathing three times a week and, in even blocks, a daily thought record. Past tasks are
    done about two times in three (breathing by a linked practice log, the thought record marked done in the
    app), missed otherwise; tasks whose window is still open are due. Clients also practise other tools
    unassigned, which adherence reads and must skip.
    """
    from alongside.selfcare.models import (
        Assignment,
        AssignmentKind,
        Frequency,
        HomeworkTask,
        PracticeKind,
        PracticeLog,
        TaskStatus,
    )
    from alongside.selfcare.services.homework import API_COMPLETION, expected_dates, task_window

    rng = random.Random(seed)
    today = now.date()
    assignments: list[Assignment] = []
    tasks: list[HomeworkTask] = []
    logs: list[PracticeLog] = []
    for profile in profiles:
        for block in range(last_block, first_block - 1, -1):
            start = today - dt.timedelta(days=28 * block + 27)
            end = today - dt.timedelta(days=28 * block)
            current = block == 0
            plans = [(AssignmentKind.TOOL, PracticeKind.BREATHING_BOX, Frequency.PER_WEEK, 3)]
            if block % 2 == 0:
                plans.append((AssignmentKind.EXERCISE, "thought_record", Frequency.DAILY, None))
            for kind, target, frequency, times in plans:
                created = dt.datetime.combine(start, dt.time(10), dt.UTC)
                assignment = Assignment(  # type: ignore[misc]
                    id=uuid.uuid4(),
                    client=profile,
                    created_by=clinician,
                    kind=kind,
                    target=target,
                    frequency=frequency,
                    times_per_week=times,
                    starts_on=start,
                    ends_on=None if current else end,
                    ended_at=None if current else dt.datetime.combine(end, dt.time(18), dt.UTC),
                    created_at=created,
                )
                assignments.append(assignment)
                last = end + dt.timedelta(days=6 - end.weekday()) if current else end
                for due in expected_dates(assignment, start=start, end=last):
                    window_end = task_window(assignment, due)[1]
                    task = HomeworkTask(
                        id=uuid.uuid4(),
                        assignment=assignment,
                        client=profile,
                        due_on=due,
                        scheduled_at=dt.datetime.combine(due, dt.time(8), dt.UTC),
                    )
                    if window_end >= today:
                        task.status = TaskStatus.DUE
                    elif rng.random() < 0.65:
                        at = dt.datetime.combine(due, dt.time(19, rng.randint(0, 59)), dt.UTC)
                        task.status, task.completed_at = TaskStatus.COMPLETED, at
                        if kind == AssignmentKind.TOOL:
                            log = PracticeLog(
                                id=uuid.uuid4(),
                                client=profile,
                                kind=target,
                                at=at,
                                done=True,
                                duration_seconds=240,
                                assignment=assignment,
                                idempotency_key=uuid.uuid4().hex,
                                created_at=at,
                            )
                            logs.append(log)
                            task.completion_type, task.completion_id = "selfcare.practicelog", str(log.pk)
                        else:
                            task.completion_type, task.completion_id = API_COMPLETION, uuid.uuid4().hex
                    else:
                        task.status = TaskStatus.EXPIRED
                        task.expired_at = dt.datetime.combine(window_end + dt.timedelta(days=1), dt.time(1), dt.UTC)
                    tasks.append(task)
            for day in range(28 * block, 28 * block + 28):  # unassigned practice, about twice a week
                if rng.random() < 0.3:
                    at = dt.datetime.combine(today - dt.timedelta(days=day), dt.time(7), dt.UTC)
                    logs.append(
                        PracticeLog(
                            id=uuid.uuid4(),
                            client=profile,
                            kind=PracticeKind.GROUNDING,
                            at=at,
                            done=True,
                            idempotency_key=uuid.uuid4().hex,
                            created_at=at,
                        )
                    )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    PracticeLog.objects.bulk_create(logs, batch_size=2000)
    HomeworkTask.objects.bulk_create(tasks, batch_size=2000)
    return len(assignments), len(tasks)


def _add_weeks(profiles: list[Any], *, first_week: int, last_week: int, now: dt.datetime, seed: int) -> int:
    """Add weekly PHQ-9 and GAD-7 scores for weeks first_week..last_week before now, each answering a request
    that is now completed; return scores added."""
    from alongside.measures.models import MeasureRequest, MeasureResponse, MeasureScore, RequestStatus, ResponseStatus

    rng = random.Random(seed)
    responses: list[MeasureResponse] = []
    scores: list[MeasureScore] = []
    requests: list[MeasureRequest] = []
    for profile in profiles:
        start_phq, start_gad = rng.randint(8, 24), rng.randint(6, 19)
        slope = rng.choice([-0.15, -0.08, 0.0, 0.05])
        for week in range(last_week, first_week - 1, -1):
            at = now - dt.timedelta(weeks=week, hours=rng.randint(0, 48))
            elapsed = WEEKS_LONG - week
            for code, start, top, cut in (("phq9", start_phq, 27, 10), ("gad7", start_gad, 21, 8)):
                total = max(0, min(top, round(start + slope * elapsed + rng.gauss(0, 2))))
                response = MeasureResponse(  # type: ignore[misc]
                    id=uuid.uuid4(),
                    client=profile,
                    instrument=code,
                    idempotency_key=uuid.uuid4().hex,
                    status=ResponseStatus.SUBMITTED,
                    answers={},
                    started_at=at,
                    updated_at=at,
                    submitted_at=at,
                )
                responses.append(response)
                due = at - dt.timedelta(hours=rng.randint(1, 30))
                requests.append(
                    MeasureRequest(
                        client=profile,
                        instrument=code,
                        due_at=due,
                        expires_at=due + dt.timedelta(days=7),
                        scheduled_at=due,
                        status=RequestStatus.COMPLETED,
                        completed_at=at,
                    )
                )
                scores.append(
                    MeasureScore(
                        response=response,
                        client=profile,
                        instrument=code,
                        scored_at=at,
                        total=total,
                        severity="",
                        caseness=total >= cut,
                    )
                )
    MeasureResponse.objects.bulk_create(responses, batch_size=2000)
    MeasureScore.objects.bulk_create(scores, batch_size=2000)
    MeasureRequest.objects.bulk_create(requests, batch_size=2000)
    from alongside.measures.services import score_summaries_rebuild

    score_summaries_rebuild(client_ids=[p.pk for p in profiles])  # as an import would; the page reads these
    return len(scores)


def _add_requests_and_alerts(profiles: list[Any], now: dt.datetime) -> None:
    from alongside.measures.models import MeasureRequest, MeasureScore
    from alongside.safety.models import CriticalAlert

    requests = []
    for index, profile in enumerate(profiles):
        due = now - dt.timedelta(days=1 + index % 6)
        requests.append(
            MeasureRequest(client=profile, instrument="phq9", due_at=due, expires_at=due + dt.timedelta(days=7))
        )
    MeasureRequest.objects.bulk_create(requests)
    latest = MeasureScore.objects.filter(client__in=profiles[::25], instrument="phq9").order_by(
        "client_id", "-scored_at"
    )
    seen: set[Any] = set()
    alerts = []
    for score in latest:
        if score.client_id not in seen:
            seen.add(score.client_id)
            alerts.append(CriticalAlert(client_id=score.client_id, response_id=score.pk, instrument="phq9", items=[9]))
    CriticalAlert.objects.bulk_create(alerts)


def _signed_in_client(user: Any) -> Any:
    from django.test import Client

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    client = Client()
    client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    session = client.session
    session[SESSION_MFA_OK] = True
    session[SESSION_AUTH_AT] = time.time()
    session[SESSION_SEEN_AT] = time.time()
    session.save()
    return client


def _reference_work() -> None:
    """A fixed piece of pure-Python work (dicts, strings, sorting, JSON), a few milliseconds long.

    Timed beside every request: on a shared machine its time tracks how fast the machine runs at that moment
    (on the 2-core development container the same work takes from about 1x to 1.6x its fastest time, in phases).
    """
    rows = [
        {"id": i, "name": f"client-{i:04d}", "score": (i * 7) % 27, "tags": ["a", "b"][: i % 3]} for i in range(1200)
    ]
    rows.sort(key=lambda row: (row["score"], row["name"]))
    json.dumps(rows, sort_keys=True)


def _settle_database() -> None:
    """On PostgreSQL, VACUUM ANALYZE after a bulk load, as autovacuum does soon after one in service: fresh
    statistics for the planner and a visibility map for index-only scans. SQLite needs nothing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _time_alternating(webs: dict[str, Any], runs: int) -> dict[str, Timings]:
    """Time ``runs`` requests of each history's caseload, alternating request by request (ABBA order).

    Each history has its own clinician and practice in the same database: one request of one, then one of the
    other, so the machine's drifting speed falls on both alike and their ratio is stable between runs.
    """
    from django.db import connection

    from alongside.runtime import settle

    settle()  # as a server process does once it has started (alongside.asgi)
    out: dict[str, Timings] = {}
    for label, web in webs.items():
        for _ in range(3):  # warm up (the first request after sign-in also refreshes the session)
            web.get("/practice/clients/")
        queries: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *rest, q=queries: q.append(sql) or execute(sql, *rest)):
            response = web.get("/practice/clients/")
        if response.status_code != 200:
            raise SystemExit(f"the caseload ({label}) answered {response.status_code}")
        out[label] = Timings(queries=len(queries))

    def reference() -> float:
        started = time.perf_counter()
        _reference_work()
        return (time.perf_counter() - started) * 1000

    labels = list(webs)
    before = reference()
    for run in range(runs):
        for label in labels if run % 2 == 0 else reversed(labels):
            started, started_cpu = time.perf_counter(), time.process_time()
            webs[label].get("/practice/clients/")
            out[label].wall.append((time.perf_counter() - started) * 1000)
            out[label].cpu.append((time.process_time() - started_cpu) * 1000)
            after = reference()
            out[label].reference.append((before + after) / 2)
            before = after
    return out


def _time_selector_alternating(users: dict[str, Any], runs: int) -> dict[str, list[float]]:
    """Time the caseload's reads alone for each history, alternating call by call."""
    from alongside.dashboards.caseload import caseload_for

    timings: dict[str, list[float]] = {label: [] for label in users}
    labels = list(users)
    for run in range(runs):
        for label in labels if run % 2 == 0 else reversed(labels):
            started = time.perf_counter()
            caseload_for(user=users[label])
            timings[label].append((time.perf_counter() - started) * 1000)
    return timings


@dataclass
class Timings:
    """Milliseconds per request (wall-clock and CPU), the reference work around each, queries per request."""

    queries: int
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)

    def steady(self, fastest_reference: float) -> list[float]:
        """Each request's time scaled to the machine's fast speed (``fastest_reference``: the reference work then)."""
        return [wall * fastest_reference / ref for wall, ref in zip(self.wall, self.reference, strict=True)]


def _print_counts(label: str) -> None:
    from alongside.measures.models import MeasureRequest, MeasureScore
    from alongside.selfcare.models import Assignment, CheckIn, HomeworkTask, PracticeLog

    counts = {
        "scores": MeasureScore.objects.count(),
        "requests": MeasureRequest.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "assignments": Assignment.objects.count(),
        "homework tasks": HomeworkTask.objects.count(),
        "practice logs": PracticeLog.objects.count(),
    }
    print(f"{label}: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-bench-") as tmp:
        _configure(args.database_url, Path(tmp))
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        started = time.perf_counter()
        # Two practices in one database: the same caseload with one month of history and with two years.
        short_clinician, short_profiles = _build_people(args.clients, "-month")
        short_scores = _add_weeks(short_profiles, first_week=0, last_week=WEEKS_SHORT - 1, now=now, seed=1)
        _add_checkins(short_profiles, first_day=0, last_day=7 * WEEKS_SHORT - 1, now=now, seed=3)
        _add_homework(short_clinician, short_profiles, first_block=0, last_block=0, now=now, seed=4)
        _add_requests_and_alerts(short_profiles, now)
        clinician, profiles = _build_people(args.clients)
        long_scores = _add_weeks(profiles, first_week=0, last_week=WEEKS_LONG - 1, now=now, seed=1)
        _add_checkins(profiles, first_day=0, last_day=7 * WEEKS_LONG - 1, now=now, seed=3)
        _add_homework(clinician, profiles, first_block=0, last_block=WEEKS_LONG // 4 - 1, now=now, seed=4)
        _add_requests_and_alerts(profiles, now)
        print(
            f"database: {connection.vendor}; {args.clients} clients per history; built in {time.perf_counter() - started:.1f} s"
        )
        _print_counts("both histories")
        _settle_database()
        webs = {"1 month": _signed_in_client(short_clinician), "2 years": _signed_in_client(clinician)}
        timed = _time_alternating(webs, args.runs)
        reads = _time_selector_alternating({"1 month": short_clinician, "2 years": clinician}, args.runs)
        results = {
            "1 month": (timed["1 month"], short_scores, reads["1 month"]),
            "2 years": (timed["2 years"], long_scores, reads["2 years"]),
        }
        short_timings, long_timings = timed["1 month"], timed["2 years"]

        # The machine's fast speed: the 5th percentile of every reference time in the run (not the single fastest).
        fastest = _percentile([r for t, _scores, _reads in results.values() for r in t.reference], 0.05)
        print(f"\ncaseload page, {args.runs} requests each, the two histories alternated request by request")
        print(
            f"{'history':<10}{'scores':>9}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}"
            f"{'reads p50':>11}{'ref x':>7}{'steady p50':>12}{'steady p95':>12}"
        )
        for label, (t, scores, reads) in results.items():
            steady = t.steady(fastest)
            print(
                f"{label:<10}{scores:>9}{t.queries:>9}{statistics.median(t.wall):>9.1f}{_percentile(t.wall, 0.95):>9.1f}"
                f"{statistics.median(t.cpu):>9.1f}{_percentile(t.cpu, 0.95):>9.1f}{statistics.median(reads):>11.1f}"
                f"{statistics.median(t.reference) / fastest:>7.2f}{statistics.median(steady):>12.1f}"
                f"{_percentile(steady, 0.95):>12.1f}"
            )
        print("(cpu: this process's CPU time per request; reads: caseload_for alone, without rendering the page;")
        print(f" ref x: the reference work's median time over its fast time in this run ({fastest:.2f} ms, 5th")
        print(" percentile), how much slower the machine ran than when fast; steady: each request scaled by the")
        print(" reference work timed around it, an estimate of the page on this machine when it runs fast)")
        p50_ratio = statistics.median(long_timings.wall) / statistics.median(short_timings.wall)
        p95_ratio = _percentile(long_timings.wall, 0.95) / _percentile(short_timings.wall, 0.95)
        print(f"\nratio 2 years / 1 month: p50 {p50_ratio:.2f}, p95 {p95_ratio:.2f}")


if __name__ == "__main__":
    main()
