"""Profile the caseload page with cProfile, on the data of ``bench/caseload.py`` (two years of history).

    uv run python bench/profile_caseload.py [--clients 200] [--runs 10] [--sort tottime] [--limit 40]

Builds the same throwaway database as the bench, warms the page up, then profiles ``--runs`` requests through
Django's test client as the clinician and prints the heaviest functions. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import caseload as bench


def _time_queries(web: Any) -> None:
    """Print each query of one request, slowest first, with its duration and (SQLite) query plan."""
    from django.db import connection

    timed: list[tuple[float, str, Any]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql, params))

    with connection.execute_wrapper(timer):
        web.get("/practice/clients/")
    for ms, sql, params in sorted(timed, key=lambda t: -t[0]):
        print(f"{ms:7.2f} ms  {sql[:160]}")
        if connection.vendor == "sqlite" and sql.lstrip().upper().startswith("SELECT") and not isinstance(params, list):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                for row in cursor.fetchall():
                    print(f"             plan: {row[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sort", default="tottime", help="a pstats sort key: tottime, cumulative, ...")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="also time each query of one request, with its plan")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="build the database in this directory and reuse it on later runs (the data ages: rebuild for figures)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-profile-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        built = (workdir / "bench.sqlite3").exists()
        bench._configure(None, workdir)
        from django.utils import timezone

        from alongside.accounts.models import User

        if built:
            clinician = User.objects.get(email="clinician@bench.test")
        else:
            now = timezone.now()
            clinician, profiles = bench._build_people(args.clients)
            bench._add_weeks(profiles, first_week=0, last_week=bench.WEEKS_LONG - 1, now=now, seed=1)
            bench._add_checkins(profiles, first_day=0, last_day=7 * bench.WEEKS_LONG - 1, now=now, seed=3)
            bench._add_homework(
                clinician, profiles, first_block=0, last_block=bench.WEEKS_LONG // 4 - 1, now=now, seed=4
            )
            bench._add_requests_and_alerts(profiles, now)
        bench._print_counts("profiled")
        web = bench._signed_in_client(clinician)
        from alongside.runtime import settle

        settle()  # as a server process does once it has started
        for _ in range(3):
            web.get("/practice/clients/")
        if args.queries:
            _time_queries(web)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            web.get("/practice/clients/")
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
