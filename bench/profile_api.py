"""Profile single requests: a check-in POST, ``/me``, the check-in list, the caseload and the session brief.

    uv run python bench/profile_api.py [--runs 200] [--checkins 400] [--limit 25] [--sort cumulative]
    uv run python -m tests.with_postgres -- sh -c 'uv run python bench/profile_api.py --database-url "$DATABASE_URL"'

Builds a throwaway database (SQLite in a temporary directory unless ``--database-url`` names an empty one),
a practice with one clinician and eight clients on the caseload sharing everything, ``--checkins`` check-ins
for the profiled client, then sends each request ``--runs`` times through Django's test client (all the
middleware, a personal access token for the API, a signed-in session for the pages). For each it prints the
queries per request and this process's CPU per request (median), then the cProfile of those requests.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def _setup(database_url: str | None, workdir: Path) -> None:
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'profile.sqlite3'}"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("ALONGSIDE_MESSAGES_PER_MINUTE", "1000000")  # the profile sends far faster than people
    os.environ.setdefault("ALONGSIDE_MESSAGES_PER_HOUR", "1000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _seed(checkins: int) -> dict[str, Any]:
    from django.test import Client
    from tests import factories
    from tests.messaging.support_servers import sign_in

    from alongside.accounts.tokens import token_create
    from alongside.selfcare.services import checkin_create

    scopes = ("mood", "measures", "exercises", "messages")
    home = factories.practice("Profile Practice")
    clinician = factories.staff(home)
    profiles = [factories.client(home, clinicians=(clinician,), name=f"Client {n}", scopes=scopes) for n in range(8)]
    client = profiles[0]
    for n in range(checkins):
        checkin_create(actor=client.user, client=client.user.pk, idempotency_key=f"seed-{n:06d}", mood=n % 11)
    client_token = token_create(actor=client.user, name="profile").plain
    web = Client()
    web.cookies["sessionid"] = sign_in(clinician)
    return {"client": client, "token": client_token, "web": web, "clinician": clinician}


def _requests(seeded: dict[str, Any]) -> dict[str, Callable[[int], Any]]:
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {seeded['token']}")
    web = seeded["web"]
    client_id = seeded["client"].pk

    def checkin(n: int) -> Any:
        body = {"mood": 5, "sleep_quality": 6, "activities": ["work"], "idempotency_key": f"prof-{time.time_ns()}-{n}"}
        return api.post("/api/v1/selfcare/checkins", body, content_type="application/json")

    def message(n: int) -> Any:
        body = {
            "body": f"Thanks for today, see you on Tuesday ({n}).",
            "idempotency_key": f"prof-msg-{time.time_ns()}-{n}",
        }
        return api.post(f"/api/v1/messages/{client_id}", body, content_type="application/json")

    def questionnaire(n: int) -> Any:
        key = f"prof-qn-{time.time_ns()}-{n}"
        started = api.post(
            "/api/v1/measures/responses",
            {"instrument": "gad7", "idempotency_key": key},
            content_type="application/json",
        )
        answers = {f"gad7-{i}": (i + n) % 4 for i in range(1, 8)}
        rid = started.json()["id"]
        body = {"idempotency_key": key, "answers": answers}
        return api.post(f"/api/v1/measures/responses/{rid}/submit", body, content_type="application/json")

    return {
        "POST /api/v1/selfcare/checkins": checkin,
        "POST /api/v1/messages/{client} (client)": message,
        "GET /api/v1/messages/{client} (client)": lambda n: api.get(f"/api/v1/messages/{client_id}"),
        "POST responses + submit (GAD-7)": questionnaire,
        "GET /api/v1/measures/due": lambda n: api.get("/api/v1/measures/due"),
        "GET /api/v1/me": lambda n: api.get("/api/v1/me"),
        "GET /api/v1/selfcare/checkins": lambda n: api.get("/api/v1/selfcare/checkins"),
        "GET /practice/clients/ (caseload)": lambda n: web.get("/practice/clients/"),
        "GET /sessions/clients/{id}/brief/": lambda n: web.get(f"/sessions/clients/{client_id}/brief/"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--checkins", type=int, default=400, help="check-ins the profiled client already has")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument("--only", default="", help="profile only endpoints containing this text")
    parser.add_argument("--show-queries", action="store_true", help="print each request's queries")
    parser.add_argument("--no-profile", action="store_true", help="print the summary only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-profile-api-") as tmp:
        _setup(args.database_url, Path(tmp))
        from django.db import connection

        from alongside.runtime import settle

        seeded = _seed(args.checkins)
        settle()
        summary = []
        for name, send in _requests(seeded).items():
            if args.only and args.only not in name:
                continue
            for n in range(5):  # warm up
                response = send(n)
                assert response.status_code // 100 == 2, (name, response.status_code, response.content[:300])
            queries: list[str] = []
            with connection.execute_wrapper(
                lambda execute, sql, *rest, q=queries: q.append(sql) or execute(sql, *rest)
            ):
                send(-1)
            if args.show_queries:
                print(f"\n----- {name}: {len(queries)} queries")
                for sql in queries:
                    print("   ", sql[:200])
            cpu: list[float] = []
            wall: list[float] = []
            profiler = cProfile.Profile()
            for n in range(args.runs):
                c0, w0 = time.process_time(), time.perf_counter()
                if not args.no_profile:
                    profiler.enable()
                send(n)
                if not args.no_profile:
                    profiler.disable()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
            summary.append((name, len(queries), statistics.median(cpu), statistics.median(wall)))
            if not args.no_profile:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.limit)
                print(f"\n===== {name} ({args.runs} requests, profiled) =====")
                print(out.getvalue())
        print(
            f"\n{connection.vendor}, {args.runs} requests each; CPU and wall clock medians (profiler on unless --no-profile)"
        )
        print(f"{'request':40} {'queries':>8} {'CPU ms':>8} {'wall ms':>8}")
        for name, count, cpu_ms, wall_ms in summary:
            print(f"{name:40} {count:8d} {cpu_ms:8.2f} {wall_ms:8.2f}")


if __name__ == "__main__":
    main()
