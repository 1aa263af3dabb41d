"""The figures of bench/load.py: per-endpoint times and errors, the write check, and PostgreSQL's waits."""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.load import Ledger, WriteCheck

CHECKIN_P99_BAR_MS = 100.0  # issue #11: check-in API p99


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def report(ledger: Ledger, check: WriteCheck, *, users: int) -> str:
    """Return the run's figures as text (a Markdown table per endpoint)."""
    errors = sum(ledger.errors.values())
    lines = [
        f"{users} users for {ledger.elapsed:.0f} s: {ledger.requests} requests, "
        f"{ledger.requests / max(ledger.elapsed, 1e-9):.1f} requests/s, {errors} errors; "
        f"the load generator used {ledger.cpu:.0f} s of CPU ({100 * ledger.cpu / max(ledger.elapsed, 1e-9):.0f}% of a core)",
        f"the application server used {ledger.server_cpu:.0f} s of CPU "
        f"({100 * ledger.server_cpu / max(ledger.elapsed, 1e-9):.0f}% of a core), "
        f"{1000 * ledger.server_cpu / max(ledger.requests, 1):.0f} ms per request (PostgreSQL's not counted)",
        "",
        "| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    errors_by_endpoint: Counter[str] = Counter()
    for label, count in ledger.errors.items():
        errors_by_endpoint[label.rsplit(": ", 1)[0]] += count
    for endpoint in sorted(set(ledger.times) | set(errors_by_endpoint)):
        t = ledger.times.get(endpoint) or [math.nan]
        lines.append(
            f"| {endpoint} | {len(ledger.times.get(endpoint, []))} | {percentile(t, 50):.0f} | {percentile(t, 95):.0f} "
            f"| {percentile(t, 99):.0f} | {max(t):.0f} | {errors_by_endpoint[endpoint]} |"
        )
    checkins = ledger.times.get("POST /api/v1/selfcare/checkins") or [math.nan]
    bar = "met" if percentile(checkins, 99) <= CHECKIN_P99_BAR_MS else "NOT met"
    lines += [
        "",
        f"check-in p99 {percentile(checkins, 99):.0f} ms (bar {CHECKIN_P99_BAR_MS:.0f} ms: {bar})",
        "writes acknowledged: " + ", ".join(f"{k} {v}" for k, v in check.acknowledged.items()),
        f"lost {len(check.lost)}, duplicated {len(check.duplicated)}, unexpected {len(check.unexpected)}",
    ]
    lines += [f"  lost: {x}" for x in check.lost[:10]] + [f"  duplicated: {x}" for x in check.duplicated[:10]]
    lines += [f"  unexpected: {x}" for x in check.unexpected[:10]]
    lines += [f"  error: {x}" for x in ledger.error_samples[:10]]
    return "\n".join(lines)


_WAITS = """SELECT state, coalesce(wait_event_type || ' ' || wait_event, 'running') FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'"""


@contextlib.contextmanager
def waits_sampled(database_url: str) -> Iterator[Counter[str]]:
    """On PostgreSQL, count what the server's busy sessions are doing, 20 times a second, while the block runs."""
    seen: Counter[str] = Counter()
    stop = threading.Event()

    def sample() -> None:
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
            while not stop.wait(0.05):
                seen["(samples)"] += 1
                seen.update(f"{state}: {event}" for state, event in db.execute(_WAITS).fetchall())

    thread = threading.Thread(target=sample, daemon=True)
    if database_url.startswith("postgres"):
        thread.start()
    try:
        yield seen
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=5)


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user and system) used so far by process ``root`` and its living descendants (Linux)."""
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, seconds)
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    children: dict[int, list[int]] = {}
    for pid, (parent, _seconds) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0.0))[1]
        todo.extend(children.get(pid, []))
    return total
