"""Profile single requests: a check-in POST, ``/me``, the check-in list, the caseload and the session brief.

    uv run python bench/profile_api.py [--runs 200] [--checkins 400] [--limit 25] [--sort cumulative]
    uv run python -m tests.with_postgres -- sh -c 'uv run python bench/profile_api.py --database-url "$DATABASE_URL"'
    uv run python bench/profile_api.py --compare /tmp/before --only selfcare --runs 400   # two trees side by side

Builds a throwaway database (SQLite in a temporary directory unless ``--database-url`` names an empty one),
a practice with one clinician and eight clients on the caseload sharing everything, ``--checkins`` check-ins
for the profiled client, then sends each request ``--runs`` times through Django's test client (all the
middleware, a personal access token for the API, a signed-in session for the pages). For each it prints the
queries per request and this process's CPU per request (median), then the cProfile of those requests.
Nothing is asserted.

Background tasks are enqueued in the database as in production (``--tasks queue``, the default): a check-in pays
for enqueuing its risk refresh, not for running it; ``--tasks inline`` runs them in the request (the test profile).

``--compare TREE`` measures another checkout of the project (for example ``git worktree add /tmp/before <commit>``)
against this one, side by side: each tree seeds its own database in a child process, and the parent has them send
``--batch`` requests in turn (the order swapped every round) until each has sent ``--runs``, so both see the same
machine load. It prints each tree's queries and CPU per request (median and 90th percentile, measured in the child).
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


def _setup(database_url: str | None, workdir: Path, tasks: str = "queue") -> None:
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_TASKS_BACKEND"] = "database" if tasks == "queue" else "immediate"
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
        "GET /api/v1/selfcare/homework/today": lambda n: api.get("/api/v1/selfcare/homework/today"),
        "GET /practice/clients/ (caseload)": lambda n: web.get("/practice/clients/"),
        "GET /sessions/clients/{id}/brief/": lambda n: web.get(f"/sessions/clients/{client_id}/brief/"),
    }


def _worker(args: argparse.Namespace) -> None:
    """Serve ``--compare``: seed, then answer each stdin line ``name<TAB>count`` with one JSON line of timings."""
    import json

    if args.tree:  # another checkout: its code and its test factories, ahead of this one's
        tree = Path(args.tree).resolve()
        sys.path[:0] = [str(tree / "src"), str(tree)]
    with tempfile.TemporaryDirectory(prefix="alongside-profile-api-") as tmp:
        _setup(args.database_url, Path(tmp), args.tasks)
        from django.db import connection

        from alongside.runtime import settle

        seeded = _seed(args.checkins)
        settle()
        requests = _requests(seeded)
        warmed: set[str] = set()
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            name, _tab, count = line.rstrip("\n").partition("\t")
            send = requests[name]
            if name not in warmed:
                for n in range(5):
                    response = send(n)
                    assert response.status_code // 100 == 2, (name, response.status_code, response.content[:300])
                warmed.add(name)
            queries: list[str] = []
            with connection.execute_wrapper(
                lambda execute, sql, *rest, q=queries: q.append(sql) or execute(sql, *rest)
            ):
                send(-1)
            cpu = []
            for n in range(int(count)):
                c0 = time.process_time()
                send(n)
                cpu.append((time.process_time() - c0) * 1000)
            print(json.dumps({"queries": len(queries), "cpu": cpu}), flush=True)


def _compare(args: argparse.Namespace) -> None:
    """Run this tree and ``args.compare`` side by side, alternating batches of requests (see the docstring)."""
    import json
    import subprocess

    def start(tree: str | None) -> subprocess.Popen[str]:
        argv = [sys.executable, __file__, "--worker", "--checkins", str(args.checkins), "--tasks", args.tasks]
        argv += ["--tree", tree] if tree else []
        argv += ["--database-url", args.database_url] if args.database_url else []
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        while not (line := child.stdout.readline()).startswith('{"ready"'):
            if not line:
                raise SystemExit(f"the {tree or 'current'} tree's worker stopped before it was ready")
        return child

    sides = {"before": start(str(Path(args.compare).resolve())), "after": start(None)}
    names = [n for n in _REQUEST_NAMES if _chosen(args.only, n)]
    results: dict[tuple[str, str], dict[str, Any]] = {}
    load = os.getloadavg()
    for name in names:
        for round_no in range(max(1, args.runs // args.batch)):
            order = ("before", "after") if round_no % 2 == 0 else ("after", "before")
            for side in order:
                child = sides[side]
                assert child.stdin is not None
                assert child.stdout is not None
                child.stdin.write(f"{name}\t{args.batch}\n")
                child.stdin.flush()
                answer = json.loads(child.stdout.readline())
                got = results.setdefault((name, side), {"queries": answer["queries"], "cpu": []})
                got["cpu"] += answer["cpu"]
    for child in sides.values():
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    print(f"\nSide by side, {args.runs} requests each in batches of {args.batch}, alternated; tasks {args.tasks}; "
          f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    print(f"{'request':40} {'queries':>15} {'CPU ms median':>20} {'CPU ms p90':>20}")
    for name in names:
        before, after = results[(name, "before")], results[(name, "after")]
        b50, a50 = statistics.median(before["cpu"]), statistics.median(after["cpu"])
        b90, a90 = (statistics.quantiles(s["cpu"], n=10)[-1] for s in (before, after))
        print(
            f"{name:40} {before['queries']:>6} -> {after['queries']:<6} {b50:8.2f} -> {a50:<8.2f} {b90:8.2f} -> {a90:<8.2f}"
        )


def _chosen(only: str, name: str) -> bool:
    """``--only``: every request when empty, else those containing one of its comma-separated parts (a part that
    is a request's whole name chooses that request only)."""
    parts = [p for p in only.split(",") if p]
    return not parts or any(p == name or (p not in _REQUEST_NAMES and p in name) for p in parts)


_REQUEST_NAMES = (
    "POST /api/v1/selfcare/checkins",
    "POST /api/v1/messages/{client} (client)",
    "GET /api/v1/messages/{client} (client)",
    "POST responses + submit (GAD-7)",
    "GET /api/v1/measures/due",
    "GET /api/v1/me",
    "GET /api/v1/selfcare/checkins",
    "GET /api/v1/selfcare/homework/today",
    "GET /practice/clients/ (caseload)",
    "GET /sessions/clients/{id}/brief/",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--checkins", type=int, default=400, help="check-ins the profiled client already has")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument(
        "--only", default="", help="profile only endpoints containing this text (several: comma-separated)"
    )
    parser.add_argument("--show-queries", action="store_true", help="print each request's queries")
    parser.add_argument("--no-profile", action="store_true", help="print the summary only")
    parser.add_argument("--tasks", choices=("queue", "inline"), default="queue", help="background tasks (see above)")
    parser.add_argument("--compare", metavar="TREE", help="measure another checkout side by side with this one")
    parser.add_argument("--batch", type=int, default=20, help="--compare: requests per turn")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _worker(args)
    if args.compare:
        return _compare(args)
    with tempfile.TemporaryDirectory(prefix="alongside-profile-api-") as tmp:
        _setup(args.database_url, Path(tmp), args.tasks)
        from django.db import connection

        from alongside.runtime import settle

        seeded = _seed(args.checkins)
        settle()
        summary = []
        for name, send in _requests(seeded).items():
            if not _chosen(args.only, name):
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
