"""API load side by side with a bare Django view: closed-loop rounds, then an open-loop run (issue #19).

    uv run python bench/api_load.py                          # PostgreSQL (throwaway) + Redis, 2 workers
    uv run python bench/api_load.py --sqlite                 # the same on a SQLite file
    uv run python bench/api_load.py --seconds 20 --rounds 2 --open-seconds 60
    uv run python bench/api_load.py --database-url postgres://user@localhost/alongside_bench   # an empty database

Seeds clients with personal access tokens (the practice of bench/load.py), starts ``alongside serve --workers N``
with Redis, and the bare view of ``bench/bare_app.py`` under uvicorn with the same options and worker count.

**Closed loop.** ``--clients`` clients send requests back to back, no think time, for ``--seconds`` per round,
one endpoint per round: the bare view, a check-in POST, ``GET /api/v1/me``, the check-in list (a page of 50).
The rounds alternate (bare, check-in, bare, /me, bare, list, ...) ``--rounds`` times, so each endpoint is
compared with the bare view measured next to it on a machine whose speed drifts. It prints, per round,
requests/s, p50/p95/p99, the ratio to the neighbouring bare rounds, POST p99 over GET p99 (3x at most means
no write queue), and the CPU used by the servers and by the load generator (a saturated generator shows).

**Open loop.** ``--clients`` users each wait a random think time (exponential, mean ``--think`` s), then do one
thing: check in, read ``/me``, list their check-ins, or read today's homework. Per-endpoint p50/p95/p99.

Background tasks (the risk refresh each check-in asks for) go through the database queue to an ``alongside worker``
beside the server, as in production; ``--tasks inline`` runs them inside the request instead.

Then every acknowledged check-in is looked up in the database: lost, duplicated or unexpected rows are
counted (as in bench/load.py). ``--py-spy DIR`` records every serving process with py-spy during each
closed-loop round (``bench/api_profile.py``; ``bench/stacks.py`` sums the files). Timings are printed, never asserted. ``--pin`` pins the generator to the last
core (and nothing else): on a two-core machine that also takes a core from the servers, so it is off by
default.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench import api_profile, load  # noqa: E402
from bench.load_report import percentile, process_tree_cpu  # noqa: E402

# What each busy PostgreSQL session waits for, and for a lock wait, what the session holding it is running.
_WAITS = """SELECT a.state, coalesce(a.wait_event_type || ' ' || a.wait_event, 'running'),
        left(regexp_replace(a.query, '\\s+', ' ', 'g'), 60),
        (SELECT left(regexp_replace(b.query, '\\s+', ' ', 'g'), 60) || ' [' || b.state || ']'
           FROM pg_stat_activity b WHERE b.pid = (pg_blocking_pids(a.pid))[1] LIMIT 1)
    FROM pg_stat_activity a
    WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.state <> 'idle'"""


@contextlib.contextmanager
def waits_sampled(database_url: str) -> Iterator[Counter[str]]:
    """On PostgreSQL, count what the busy sessions wait for (and on whom), 20 times a second, while the block runs."""
    seen: Counter[str] = Counter()
    stop = threading.Event()

    def sample() -> None:
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
            while not stop.wait(0.05):
                seen["(samples)"] += 1
                for state, event, query, blocker in db.execute(_WAITS).fetchall():
                    what = f"{state}: {event}" + (f" | {query} <- blocked by {blocker}" if blocker else "")
                    seen[what] += 1

    thread = threading.Thread(target=sample, daemon=True)
    if database_url.startswith("postgres"):
        thread.start()
    try:
        yield seen
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=5)


CHECKIN = "POST /api/v1/selfcare/checkins"
ME = "GET /api/v1/me"
LIST = "GET /api/v1/selfcare/checkins"
HOMEWORK = "GET /api/v1/selfcare/homework/today"
BARE = "GET /bare/ (bare Django)"
ROUND_ORDER = (CHECKIN, ME, LIST)  # each preceded by a bare round
SLUGS = {BARE: "bare", CHECKIN: "checkin", ME: "me", LIST: "list"}  # py-spy file names


@dataclass
class Tally:
    """Times (ms) per endpoint and errors of one round or run."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    generator_cpu: float = 0.0
    server_cpu: float = 0.0

    def add(self, endpoint: str, ms: float) -> None:
        self.times.setdefault(endpoint, []).append(ms)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


@contextlib.contextmanager
def bare_server(workdir: Path, *, workers: int) -> Iterator[load.Served]:
    """Serve bench/bare_app.py with uvicorn on a free loopback port, with ``alongside serve``'s options."""
    from tests.messaging.support_servers import Server, _wait_for_port, free_port, processes

    with processes(workdir / "bare") as group:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        argv = [
            sys.executable, "-m", "uvicorn", "bench.bare_app:application", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--proxy-headers",
            "--forwarded-allow-ips", "127.0.0.1", "--no-server-header", "--log-level", "warning",
        ]  # fmt: skip
        process, log = group._spawn("bare-uvicorn", argv, env=env)
        server = Server("bare-uvicorn", port, process, log)
        group.servers.append(server)
        _wait_for_port(port, process, log, "the bare uvicorn")
        yield load.Served(server.http_url, process.pid)


def _checkin_body(rng: random.Random, key: str) -> dict[str, Any]:
    return {
        "mood": rng.randint(0, 10),
        "sleep_quality": rng.randint(0, 10),
        "activities": ["work"],
        "idempotency_key": key,
    }


class Caller:
    """One client's connection: sends one request of a kind, records its time, and the writes acknowledged."""

    def __init__(self, http: Any, actor: load.ClientActor, tally: Tally, ledger: load.Ledger, rng: random.Random):
        self.http, self.actor, self.tally, self.ledger, self.rng = http, actor, tally, ledger, rng
        self.headers = {"Authorization": f"Bearer {actor.token}"}

    async def send(self, endpoint: str) -> None:
        body, key = None, ""
        if endpoint == CHECKIN:
            key = load._key("ci", self.actor.name, self.rng)
            body = _checkin_body(self.rng, key)
            self.ledger.sent["checkin"].add(key)
        method, path = endpoint.split(" ")[:2]
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, json=body, headers=self.headers)
        except Exception as error:  # any failure to get an answer is an error of the run
            self.tally.error(f"{endpoint}: {type(error).__name__}")
            return
        self.tally.add(endpoint, (time.perf_counter() - started) * 1000)
        if response.status_code // 100 != 2:
            self.tally.error(f"{endpoint}: {response.status_code}")
        elif endpoint == CHECKIN:
            self.ledger.acked["checkin"][key] = response.json()["id"]


async def _with_callers(
    urls: dict[str, str],
    cast: load.Cast,
    tally: Tally,
    ledger: load.Ledger,
    work: Callable[[Caller, str], Awaitable[None]],
) -> None:
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        callers = []
        for n, actor in enumerate(cast.clients):
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0, limits=limits))
            callers.append(Caller(http, actor, tally, ledger, random.Random(n)))
        await asyncio.gather(*(work(c, urls["app"]) for c in callers))


def _absolute(endpoint: str, base: str) -> str:
    method, path = endpoint.split(" ")[:2]
    return f"{method} {base}{path}"


def closed_round(
    endpoint: str,
    urls: dict[str, str],
    cast: load.Cast,
    seconds: float,
    ledger: load.Ledger,
    servers: list[load.Served],
) -> Tally:
    """Every client sends ``endpoint`` back to back for ``seconds``."""
    tally = Tally()
    base = urls["bare"] if endpoint == BARE else urls["app"]

    async def loop(caller: Caller, _app: str) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            await caller.send(endpoint)
        # times are recorded under the endpoint's own name

    async def main() -> None:
        await _with_callers(urls, cast, tally, ledger, loop)

    def server_cpu() -> float:
        return sum(s.cpu() + s.task_worker_cpu() for s in servers)

    cpu0, server0, started = time.process_time(), server_cpu(), time.perf_counter()
    _run_with_base(main, base)
    tally.elapsed = time.perf_counter() - started
    tally.generator_cpu = time.process_time() - cpu0
    tally.server_cpu = server_cpu() - server0  # with the task worker's
    return tally


_BASE: list[str] = [""]


def _run_with_base(main: Callable[[], Awaitable[None]], base: str) -> None:
    """Run ``main`` with every caller's requests going to ``base``."""
    _BASE[0] = base
    asyncio.run(main())


def _patch_base() -> None:
    """Make relative paths go to the current base URL (the app or the bare server)."""
    import httpx

    original = httpx.AsyncClient.request

    async def request(self: Any, method: str, url: str, **kwargs: Any) -> Any:
        return await original(self, method, _BASE[0] + url if url.startswith("/") else url, **kwargs)

    httpx.AsyncClient.request = request  # type: ignore[method-assign]


def open_run(urls: dict[str, str], cast: load.Cast, seconds: float, think: float, ledger: load.Ledger) -> Tally:
    """Each client waits an exponential think time (mean ``think`` s), then sends one request of the mix."""
    tally = Tally()
    mix = (CHECKIN, CHECKIN, ME, LIST, HOMEWORK)

    async def loop(caller: Caller, _app: str) -> None:
        until = time.perf_counter() + seconds
        await asyncio.sleep(caller.rng.uniform(0, think))
        while time.perf_counter() < until:
            await caller.send(caller.rng.choice(mix))
            await asyncio.sleep(min(caller.rng.expovariate(1 / think), max(0.0, until - time.perf_counter())))

    async def main() -> None:
        await _with_callers(urls, cast, tally, ledger, loop)

    cpu0, started = time.process_time(), time.perf_counter()
    _run_with_base(main, urls["app"])
    tally.elapsed, tally.generator_cpu = time.perf_counter() - started, time.process_time() - cpu0
    return tally


def _line(name: str, times: list[float], elapsed: float, errors: int) -> str:
    return (
        f"| {name} | {len(times)} | {len(times) / max(elapsed, 1e-9):.1f} | {statistics.median(times):.1f} | "
        f"{percentile(times, 95):.1f} | {percentile(times, 99):.1f} | {errors} |"
    )


def closed_report(rounds: list[tuple[str, Tally]], clients: int) -> str:
    lines = [
        f"Closed loop, {clients} clients, no think time:",
        "",
        "| round | requests | per s | p50 ms | p95 ms | p99 ms | errors | vs bare (throughput) | server CPU | generator CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rates: dict[str, list[float]] = {}
    p99s: dict[str, list[float]] = {}
    for index, (endpoint, tally) in enumerate(rounds):
        times = tally.times.get(endpoint, [0.0])
        rate = len(times) / max(tally.elapsed, 1e-9)
        rates.setdefault(endpoint, []).append(rate)
        p99s.setdefault(endpoint, []).append(percentile(times, 99))
        ratio = ""
        if endpoint != BARE:
            near = [
                len(t.times.get(BARE, [])) / max(t.elapsed, 1e-9)
                for e, t in rounds[max(0, index - 1) : index + 2]
                if e == BARE
            ]
            ratio = f"{rate / statistics.mean(near):.2f}" if near else ""
        row = _line(endpoint, times, tally.elapsed, sum(tally.errors.values()))
        lines.append(
            f"{row} {ratio} | {100 * tally.server_cpu / max(tally.elapsed, 1e-9):.0f}% | "
            f"{100 * tally.generator_cpu / max(tally.elapsed, 1e-9):.0f}% |"
        )
    bare = statistics.mean(rates.get(BARE, [float("nan")]))
    lines.append("")
    for endpoint in ROUND_ORDER:
        if endpoint in rates:
            lines.append(
                f"{endpoint}: {statistics.mean(rates[endpoint]):.1f}/s, {statistics.mean(rates[endpoint]) / bare:.0%} of bare"
            )
    if CHECKIN in p99s and ME in p99s:
        ratio = max(p99s[CHECKIN]) / max(max(p99s[ME]), 1e-9)
        lines.append(f"check-in POST p99 / GET /me p99: {ratio:.2f} (3 at most: no write queue)")
    return "\n".join(lines)


def open_report(tally: Tally, clients: int, think: float) -> str:
    lines = [
        f"Open loop, {clients} users, exponential think time of mean {think:g} s, {tally.elapsed:.0f} s; "
        f"generator CPU {100 * tally.generator_cpu / max(tally.elapsed, 1e-9):.0f}% of a core:",
        "",
        "| endpoint | requests | per s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for endpoint, times in sorted(tally.times.items()):
        errors = sum(n for what, n in tally.errors.items() if what.startswith(endpoint + ":"))
        lines.append(_line(endpoint, times, tally.elapsed, errors))
    worst = max((percentile(t, 99) for t in tally.times.values()), default=0.0)
    lines.append("")
    lines += [f"error: {what} x{n}" for what, n in sorted(tally.errors.items())]
    lines.append(f"worst p99 {worst:.1f} ms: the 100 ms bar is {'met' if worst <= 100 else 'NOT met'}")
    return "\n".join(lines)


def _roles(name: str, app: load.Served, bare: load.Served) -> dict[str, int]:
    """The processes py-spy records in a round of ``name``: role -> root pid."""
    if name == BARE:
        return {"bare": bare.pid}
    return {"app": app.pid, **({"tasks": app.task_worker_pid} if app.task_worker_pid else {})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each closed-loop round")
    parser.add_argument("--rounds", type=int, default=2, help="closed-loop rounds of each endpoint")
    parser.add_argument("--open-seconds", type=float, default=60.0, help="length of the open-loop run (0: none)")
    parser.add_argument("--think", type=float, default=2.0, help="open loop: mean think time, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--database-url", help="an empty database (default: a throwaway PostgreSQL cluster)")
    parser.add_argument("--pin", action="store_true", help="pin the load generator to the last core")
    parser.add_argument("--py-spy", type=Path, metavar="DIR", help="record each serving process with py-spy per round")
    parser.add_argument("--py-spy-gil", action="store_true", help="py-spy: only the thread holding the GIL")
    parser.add_argument(
        "--tasks",
        choices=["worker", "inline"],
        default="worker",
        help="background tasks (a check-in's risk refresh) through the database queue and `alongside worker`, as in "
        "production (default; the worker's CPU is counted with the server's), or inside the request",
    )
    parser.add_argument(
        "--refresh-delay",
        type=int,
        default=5,
        help="seconds a check-in's risk refresh waits in the queue (ALONGSIDE_RISK_REFRESH_DELAY_SECONDS; the "
        "production default 5, which the servers' test profile would otherwise set to 0)",
    )
    args = parser.parse_args(argv)
    os.environ["ALONGSIDE_RISK_REFRESH_DELAY_SECONDS"] = str(args.refresh_delay)
    from tests.messaging import support_servers
    from tests.with_postgres import postgres_cluster

    support_servers.START_TIMEOUT = max(support_servers.START_TIMEOUT, 600.0)  # start-up imports can take minutes
    _patch_base()
    with tempfile.TemporaryDirectory(prefix="alongside-api-load-") as tmp, contextlib.ExitStack() as stack:
        workdir = Path(tmp)
        if args.sqlite:
            database_url = f"sqlite:///{workdir / 'api-load.sqlite3'}"
        else:
            database_url = args.database_url or stack.enter_context(postgres_cluster())
        load._setup_django(database_url, workdir)
        cast = load.seed_practice(users=args.clients + max(1, args.clients // (load.CLINICIAN_SHARE - 1)))
        cast = load.Cast(cast.clients[: args.clients], cast.clinicians)
        print(f"{len(cast.clients)} clients, {database_url.split(':')[0]}, {args.workers} workers; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)  # fmt: skip
        app = stack.enter_context(
            load.serve(workdir, database_url, workers=args.workers, task_worker=args.tasks == "worker")
        )
        bare = stack.enter_context(bare_server(workdir, workers=args.workers))
        if args.pin and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
        urls = {"app": app.url, "bare": bare.url}
        ledger = load.Ledger()
        for endpoint in (BARE, *ROUND_ORDER):  # warm up: each worker imports and compiles (not counted)
            closed_round(endpoint, urls, cast, 2.0, load.Ledger(), [])
        rounds: list[tuple[str, Tally]] = []
        postmaster = api_profile.postgres_root(database_url)
        for _ in range(args.rounds):
            for endpoint in ROUND_ORDER:
                for name in (BARE, endpoint):
                    servers = [bare] if name == BARE else [app]
                    label = f"{len(rounds) + 1:02d}-{SLUGS[name]}"
                    with (
                        waits_sampled(database_url if name != BARE else "") as waits,
                        api_profile.recorded(args.py_spy, label, _roles(name, app, bare), args.seconds,
                                             gil=args.py_spy_gil) as spied,
                    ):  # fmt: skip
                        database0 = process_tree_cpu(postmaster) if postmaster else 0.0
                        rounds.append((name, closed_round(name, urls, cast, args.seconds, ledger, servers)))
                    database = (process_tree_cpu(postmaster) - database0) / rounds[-1][1].elapsed if postmaster else 0
                    print(f"  {name}: {len(rounds[-1][1].times.get(name, []))} requests; PostgreSQL used "
                          f"{100 * database:.0f}% of a core", flush=True)  # fmt: skip
                    if spied.files:
                        print(f"    py-spy: {len(spied.files)} files, {100 * spied.cpu / args.seconds:.0f}% of a core; "
                              f"{spied.describe(args.seconds)}", flush=True)  # fmt: skip
                    samples = max(1, waits.pop("(samples)", 0))
                    for what, n in waits.most_common(8):  # PostgreSQL sessions per moment, by what they do
                        print(f"    {n / samples:5.2f}  {what}", flush=True)
        print(closed_report(rounds, len(cast.clients)))
        for name, tally in rounds:
            for what, n in sorted(tally.errors.items()):
                print(f"error in a {name} round: {what} x{n}")
        if args.open_seconds > 0:
            tally = open_run(urls, cast, args.open_seconds, args.think, ledger)
            print()
            print(open_report(tally, len(cast.clients), args.think))
        check = load.check_writes(ledger)
        print()
        print(
            f"check-ins acknowledged {check.acknowledged.get('checkin', 0)}: lost {len(check.lost)}, "
            f"duplicated {len(check.duplicated)}, unexpected {len(check.unexpected)}; load average now "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        chain_ok = audit_chain_report()
        errors = sum(sum(t.errors.values()) for _n, t in rounds)
        return 0 if check.ok and chain_ok and not errors else 1


def audit_chain_report(settle: float = 3.0) -> bool:
    """Let the worker's chainer link what the last writers left unlinked, then verify the whole audit chain."""
    from alongside.audit.verify import verify

    time.sleep(settle)
    report = verify(checkpoint_files=[])
    print(
        f"audit chain: {report.checked} events verified, {report.unlinked} still unlinked after {settle:.0f} s, "
        f"{'intact' if report.ok else 'NOT intact: ' + '; '.join(p.message for p in report.problems)}"
    )
    return report.ok and report.unlinked == 0


if __name__ == "__main__":
    sys.exit(main())
