"""Time the caseload page for 200 clients with one month, then two years, of weekly PHQ-9 and GAD-7 scores.

    uv run python bench/caseload.py [--clients 200] [--runs 30] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names another one),
fills it with synthetic data by bulk creation, and requests /practice/clients/ through Django's test client
as the clinician, signed in with their second factor. Prints the median and 95th percentile of wall-clock and of
CPU time (steadier when others share the machine), the number of queries per request, and the ratio between the
two histories. Timings are printed, never asserted. Templates load as in every profile (demo included): Django's
cached loader, the default when no loaders are configured, so each template is compiled once per process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
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


def _build_people(clients: int) -> tuple[Any, list[Any]]:
    from django.utils import timezone

    from alongside.accounts.models import TotpDevice, User, UserKind
    from alongside.care.models import CareTeamMember, ClientProfile, ClientStatus, Membership, Practice, Role
    from alongside.consent.models import Scope, ScopeGrant

    practice = Practice.objects.create(name="Bench Practice")
    clinician = User.objects.create_user("clinician@bench.test", None, name="Bench Clinician", kind=UserKind.STAFF)
    Membership.objects.create(user=clinician, practice=practice, role=Role.CLINICIAN)
    TotpDevice.objects.create(user=clinician, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())  # type: ignore[misc]
    users = User.objects.bulk_create(
        [User(email=f"client{i}@bench.test", kind=UserKind.CLIENT, password="!") for i in range(clients)]
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
    # Nine in ten share questionnaires.
    ScopeGrant.objects.bulk_create(
        [ScopeGrant(client=p, scope=Scope.MEASURES, granted=index % 10 != 0) for index, p in enumerate(profiles)]
    )
    return clinician, profiles


def _add_weeks(profiles: list[Any], *, first_week: int, last_week: int, now: dt.datetime, seed: int) -> int:
    """Add weekly PHQ-9 and GAD-7 scores for weeks first_week..last_week before now; return scores added."""
    from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus

    rng = random.Random(seed)
    responses: list[MeasureResponse] = []
    scores: list[MeasureScore] = []
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
    from alongside.measures.services import score_summaries_rebuild

    score_summaries_rebuild(client_ids=[p.pk for p in profiles])  # as an import would; the page reads these
    return len(scores)


def _add_requests_and_alerts(profiles: list[Any], now: dt.datetime) -> None:
    from alongside.measures.models import CriticalAlert, MeasureRequest, MeasureScore

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


def _time(web: Any, runs: int) -> tuple[list[float], list[float], int]:
    """Return wall-clock and CPU milliseconds per request, and the queries of one request."""
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    for _ in range(3):  # warm up (the first request after sign-in also refreshes the session)
        web.get("/practice/clients/")
    with connection.execute_wrapper(count):
        response = web.get("/practice/clients/")
    if response.status_code != 200:
        raise SystemExit(f"the caseload answered {response.status_code}")
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        web.get("/practice/clients/")
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return timings, cpu, len(queries)


def _time_selector(user: Any, runs: int) -> list[float]:
    """Time the caseload's reads alone (queries, classification, audit), without rendering."""
    from alongside.care.selectors import caseload_for

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        caseload_for(user=user)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-bench-") as tmp:
        _configure(args.database_url, Path(tmp))
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        started = time.perf_counter()
        clinician, profiles = _build_people(args.clients)
        short_scores = _add_weeks(profiles, first_week=0, last_week=WEEKS_SHORT - 1, now=now, seed=1)
        _add_requests_and_alerts(profiles, now)
        print(f"database: {connection.vendor}; {args.clients} clients; built in {time.perf_counter() - started:.1f} s")
        web = _signed_in_client(clinician)

        results = {}
        short, short_cpu, short_queries = _time(web, args.runs)
        results["1 month"] = (short, short_cpu, short_queries, short_scores, _time_selector(clinician, args.runs))
        started = time.perf_counter()
        older = _add_weeks(profiles, first_week=WEEKS_SHORT, last_week=WEEKS_LONG - 1, now=now, seed=2)
        long_scores = short_scores + older
        print(f"added 23 more months of scores in {time.perf_counter() - started:.1f} s")
        long, long_cpu, long_queries = _time(web, args.runs)
        results["2 years"] = (long, long_cpu, long_queries, long_scores, _time_selector(clinician, args.runs))

        print(f"\ncaseload page, {args.runs} requests each")
        print(
            f"{'history':<10}{'scores':>9}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}{'reads p50':>11}"
        )
        for label, (timings, cpu, queries, scores, reads) in results.items():
            p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
            cpu50, cpu95 = statistics.median(cpu), _percentile(cpu, 0.95)
            print(
                f"{label:<10}{scores:>9}{queries:>9}{p50:>9.1f}{p95:>9.1f}{cpu50:>9.1f}{cpu95:>9.1f}"
                f"{statistics.median(reads):>11.1f}"
            )
        print("(cpu: this process's CPU time per request, steadier than wall-clock time on a shared machine;")
        print(" reads: caseload_for alone, without rendering the page)")
        p50_ratio = statistics.median(long) / statistics.median(short)
        p95_ratio = _percentile(long, 0.95) / _percentile(short, 0.95)
        print(f"\nratio 2 years / 1 month: p50 {p50_ratio:.2f}, p95 {p95_ratio:.2f}")


if __name__ == "__main__":
    main()
