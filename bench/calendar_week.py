"""Time the clinician's calendar week with 40 weekly clients (issue #16: at most 100 ms server time, fixed queries).

    uv run python bench/calendar_week.py [--clients 40] [--groups 5] [--runs 60] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names another),
a clinician working Monday to Friday 08:00-19:00 with --clients clients, each with one session in
the measured week, two blocked hours, and --groups one-hour group sessions at 16:00 with three
clients and a staff guest each (the last run by a colleague, with the clinician as its guest), and requests /telehealth/schedule/ for that week through
Django's test client as the clinician (second factor done). Prints the median and 95th percentile
of wall-clock and CPU time per request and the number of queries per request, for the week with
and without the sessions. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parent.parent / "src"


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

    call_command("migrate", verbosity=0, interactive=False)


def _build(clients: int, groups: int) -> tuple[Any, dt.date]:
    from django.utils import timezone

    from alongside.accounts.models import TotpDevice, User, UserKind
    from alongside.care.models import CareTeamMember, ClientProfile, ClientStatus, Membership, Practice, Role
    from alongside.sessions.models import Appointment
    from alongside.telehealth.availability import at
    from alongside.telehealth.models import BlockedTime, WeeklyHours

    practice = Practice.objects.create(name="Bench Practice", time_zone="Europe/London")
    clinician = User.objects.create_user("clinician@bench.test", None, name="Bench", kind=UserKind.STAFF)
    Membership.objects.create(user=clinician, practice=practice, role=Role.CLINICIAN)
    TotpDevice.objects.create(user=clinician, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())  # type: ignore[misc]
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/London")
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(clinician=clinician, weekday=d, start=dt.time(8), end=dt.time(19), time_zone=str(zone))
            for d in range(5)
        ]
    )
    today = timezone.now().astimezone(zone).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    empty_monday = monday + dt.timedelta(days=7)
    profiles = []
    for index in range(clients):
        user = User.objects.create_user(f"client{index}@bench.test", None, kind=UserKind.CLIENT)
        profile = ClientProfile.objects.create(  # type: ignore[misc]
            user=user, practice=practice, preferred_name=f"Client {index:02d}", status=ClientStatus.ACTIVE
        )
        CareTeamMember.objects.create(client=profile, clinician=clinician, is_primary=True)
        profiles.append(profile)
    rows = []
    for index, profile in enumerate(profiles):  # 8 a day, 08:00 to 16:00, Monday to Friday
        day, hour = monday + dt.timedelta(days=index // 8 % 5), 8 + index % 8
        rows.append(Appointment(client=profile, clinician=clinician, starts_at=at(day, dt.time(hour), zone)))
    Appointment.objects.bulk_create(rows)
    for day in (monday, empty_monday):
        BlockedTime.objects.create(
            clinician=clinician, starts_at=at(day, dt.time(17), zone), ends_at=at(day, dt.time(19), zone)
        )
    _groups(practice, clinician, profiles, monday, groups, zone)
    return clinician, monday


def _groups(practice: Any, clinician: Any, profiles: list[Any], monday: dt.date, count: int, zone: Any) -> None:
    """``count`` one-hour groups at 16:00 on successive weekdays with three clients and a staff guest each.

    The first ``count - 1`` are run by the clinician with a colleague as staff guest; the last is run by
    the colleague with the clinician as staff guest, so the week lists groups of both kinds.
    """
    if count <= 0:
        return
    from django.utils import timezone

    from alongside.accounts.models import User, UserKind
    from alongside.care.models import Membership, Role
    from alongside.telehealth.availability import at
    from alongside.telehealth.group_models import GroupGuest, GroupMember, GroupSession

    colleague = User.objects.create_user("colleague@bench.test", None, name="Colleague", kind=UserKind.STAFF)
    Membership.objects.create(user=colleague, practice=practice, role=Role.CLINICIAN)
    for index in range(count):
        runs, guest = (clinician, colleague) if index < count - 1 else (colleague, clinician)
        group = GroupSession.objects.create(
            practice=practice,
            clinician=runs,
            title=f"Group {index}",
            starts_at=at(monday + dt.timedelta(days=index % 5), dt.time(16), zone),
            duration_minutes=60,
            created_at=timezone.now(),
        )
        chosen = profiles[index * 3 % len(profiles) :][:3] if profiles else []
        GroupMember.objects.bulk_create([GroupMember(group=group, client=p) for p in chosen])
        GroupGuest.objects.create(group=group, guest=guest)


def _browser(user: Any) -> Any:
    from django.test import Client

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    browser = Client()
    browser.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    session = browser.session
    session[SESSION_MFA_OK] = True
    session[SESSION_AUTH_AT] = session[SESSION_SEEN_AT] = time.time()
    session.save()
    return browser


def _time(browser: Any, path: str, runs: int) -> tuple[list[float], list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser.get(path)  # warm: templates compiled, caches filled
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = browser.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        browser.get(path)
    return walls, cpus, len(queries)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--groups", type=int, default=5, help="group sessions in the week (0: none)")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _configure(args.database_url, Path(workdir))
        clinician, monday = _build(args.clients, args.groups)
        browser = _browser(clinician)
        print(
            f"calendar week: {args.clients} clients, {args.groups} groups, {args.runs} requests per week,"
            f" load {os.getloadavg()[0]:.1f}"
        )
        for label, day in (("with sessions", monday), ("empty week", monday + dt.timedelta(days=7))):
            walls, cpus, queries = _time(browser, f"/telehealth/schedule/?date={day.isoformat()}", args.runs)
            print(
                f"  {label:14s} wall p50 {statistics.median(walls):6.1f} ms  p95 {_p95(walls):6.1f} ms"
                f"  cpu p50 {statistics.median(cpus):6.1f} ms  p95 {_p95(cpus):6.1f} ms  queries {queries}"
            )


if __name__ == "__main__":
    main()
