"""Time the early-warnings page (/practice/risk/) and its flag-rate chart for one clinician's 200 clients.

    uv run python bench/flag_rate.py [--clients 200] [--weeks 26] [--runs 7] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory by default) with the caseload bench's builders:
weekly PHQ-9 and GAD-7 scores, a check-in on most days and homework, over ``--weeks`` weeks. It then runs the
daily refresh (`risks_refresh_all`, as the scheduled task does) and times, as the clinician: the whole page
through Django's test client, and `flag_rate` alone (the 12 weekly shares of the chart). Prints the median, min
and max of wall-clock and of this process's CPU time per view, the queries per view, and the daily refresh's
time. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from caseload import (  # the bench folder is on the path once the line above ran
    _add_checkins,
    _add_homework,
    _add_weeks,
    _build_people,
    _configure,
    _signed_in_client,
)


def _timed(work: Any, runs: int) -> tuple[list[float], list[float], int]:
    from django.db import connection

    executed = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1
        return execute(sql, params, many, context)

    wall, cpu = [], []
    with connection.execute_wrapper(count):
        work()  # warm: templates compiled, models loaded; counts the queries of one view
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu, executed[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-bench-") as tmp:
        _configure(args.database_url, Path(tmp))
        from django.db import connection
        from django.utils import timezone

        from alongside.risk.flag_rate import flag_rate
        from alongside.risk.services import risks_refresh_all

        now = timezone.now()
        built = time.perf_counter()
        clinician, profiles = _build_people(args.clients)
        _add_weeks(profiles, first_week=0, last_week=args.weeks - 1, now=now, seed=1)
        _add_checkins(profiles, first_day=0, last_day=7 * args.weeks - 1, now=now, seed=3)
        _add_homework(clinician, profiles, first_block=0, last_block=max(args.weeks // 4 - 1, 0), now=now, seed=4)
        print(f"database: {connection.vendor}; {args.clients} clients, {args.weeks} weeks of history;", end=" ")
        print(f"built in {time.perf_counter() - built:.1f} s")
        started = time.perf_counter()
        stored = risks_refresh_all(now=timezone.now())
        print(f"daily refresh (risks_refresh_all): {stored} clients in {time.perf_counter() - started:.1f} s")

        web = _signed_in_client(clinician)

        def page() -> None:
            response = web.get("/practice/risk/")
            assert response.status_code == 200, response.status_code

        def rate() -> None:
            flag_rate(user=clinician, now=timezone.now())

        print(f"\n{'view':<22}{'queries':>9}{'wall p50':>10}{'min':>8}{'max':>8}{'cpu p50':>10}{'min':>8}{'max':>8}")
        for label, work in (("page /practice/risk/", page), ("flag_rate alone", rate)):
            wall, cpu, queries = _timed(work, args.runs)
            print(
                f"{label:<22}{queries:>9}{statistics.median(wall):>10.1f}{min(wall):>8.1f}{max(wall):>8.1f}"
                f"{statistics.median(cpu):>10.1f}{min(cpu):>8.1f}{max(cpu):>8.1f}"
            )
        print(f"(milliseconds; {args.runs} runs each after one warm-up; cpu: this process's CPU time)")


if __name__ == "__main__":
    main()
