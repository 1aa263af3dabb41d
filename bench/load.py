"""Load: 50 people using Alongside at once against `alongside serve --workers 2`, with lost-write accounting.

    uv run python bench/load.py [--users 50] [--seconds 600] [--database-url postgres://...]

Without --database-url a throwaway PostgreSQL cluster is started (tests/with_postgres.py); a private
redis-server is always started (REDIS_URL: the Channels layer and the cache shared by the workers).
The bench seeds a small practice with the test factories: one clinician per five users, the rest
clients, each client on one clinician's caseload and sharing everything, plus a few quiet clients
so caseloads are not tiny. Background tasks (emails, risk refreshes) go through the database queue to an
`alongside worker` process started beside the server, as in production (``--tasks inline`` runs them inside
the request instead, as the test profile does). Clients use the JSON API with personal access tokens made by
``token_create``; clinicians read their caseload and a client's brief as web pages (a signed-in
session with the second factor verified, as a browser would hold) and use the API with tokens.

Each simulated person loops: wait a random think time, then do one thing. A client checks in (and
sometimes retries it with the same idempotency key, as a phone on a bad network does), lists their
check-ins, answers a questionnaire (start, one answer, submit the rest), sends a message, or reads
their thread. A clinician opens the caseload, a client's brief, their open alerts, a client's
check-ins, or the thread with a client and replies.

It prints throughput, p50/p95/p99 and errors per endpoint, then counts writes in the database: every
write answered 2xx must exist with the id the server returned (else *lost*), a retried key must return
the first id and nothing may exist twice (else *duplicated*), and no row may exist for a key never sent.
On PostgreSQL it also prints what the server's busy sessions were doing (sampled from pg_stat_activity).
Timings are printed, never asserted; `tests/platform/test_load.py` runs 60 seconds of it and asserts on
errors and writes. Message rate limits are raised (ALONGSIDE_MESSAGES_PER_*): the simulated people
write far faster than real ones.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.load_report import percentile, process_tree_cpu, report, waits_sampled  # noqa: E402,F401  (re-exported)

CLINICIAN_SHARE = 5  # one clinician per this many simulated people
QUIET_CLIENTS_PER_CLINICIAN = 6  # on the caseload, never active during the run
NO_LIMITS = {"ALONGSIDE_MESSAGES_PER_MINUTE": "1000000", "ALONGSIDE_MESSAGES_PER_HOUR": "1000000"}
PHQ9_ITEMS = [f"phq9-{n}" for n in range(1, 10)]
GAD7_ITEMS = [f"gad7-{n}" for n in range(1, 8)]
KEY_PREFIX = "load-"


# --- The practice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientActor:
    name: str
    client_id: str
    user_id: str
    token: str


@dataclass(frozen=True)
class ClinicianActor:
    name: str
    user_id: str
    token: str
    session: str
    client_ids: tuple[str, ...]  # active clients on the caseload (the quiet ones are not listed)


@dataclass(frozen=True)
class Cast:
    clients: list[ClientActor]
    clinicians: list[ClinicianActor]


def seed_practice(*, users: int) -> Cast:
    """Create a practice for ``users`` simulated people (Django set up, database migrated)."""
    from tests import factories
    from tests.messaging.support_servers import sign_in

    scopes = ("mood", "measures", "exercises", "messages")
    home = factories.practice("Loadtest Practice")
    n_clinicians = max(1, users // CLINICIAN_SHARE)
    staff = [factories.staff(home) for _ in range(n_clinicians)]
    clients: list[ClientActor] = []
    caseloads: dict[int, list[str]] = defaultdict(list)
    for number in range(users - n_clinicians):
        owner = number % n_clinicians
        profile = factories.client(home, clinicians=(staff[owner],), name=f"Client {number}", scopes=scopes)
        token = _token(profile.user)
        clients.append(ClientActor(f"client-{number}", str(profile.pk), str(profile.user_id), token))
        caseloads[owner].append(str(profile.pk))
    for owner, clinician in enumerate(staff):
        for quiet in range(QUIET_CLIENTS_PER_CLINICIAN):
            factories.client(home, clinicians=(clinician,), name=f"Quiet {owner}-{quiet}", scopes=scopes)
    clinicians = [
        ClinicianActor(
            f"clinician-{owner}",
            str(user.pk),
            _token(user),
            sign_in(user),
            tuple(caseloads[owner]) or tuple(c.client_id for c in clients[:1]),
        )
        for owner, user in enumerate(staff)
    ]
    return Cast(clients, clinicians)


def _token(user: Any) -> str:
    """A personal access token for ``user``, allowed to write where tokens have a scope."""
    import inspect

    from alongside.accounts import models, tokens

    if "scope" in inspect.signature(tokens.token_create).parameters:
        scope = getattr(getattr(models, "TokenScope", None), "WRITE", "write")
        return str(tokens.token_create(actor=user, name="load bench", scope=scope).plain)
    return str(tokens.token_create(actor=user, name="load bench").plain)


# --- Servers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    url: str
    pid: int
    task_worker_pid: int | None = None  # `alongside worker`, when tasks go through the database queue

    def cpu(self) -> float:
        """CPU seconds used so far by the server and its worker processes."""
        return process_tree_cpu(self.pid)

    def task_worker_cpu(self) -> float:
        """CPU seconds used so far by the task worker (0 without one)."""
        return process_tree_cpu(self.task_worker_pid) if self.task_worker_pid else 0.0


@contextlib.contextmanager
def serve(workdir: Path, database_url: str, *, workers: int = 2, task_worker: bool = False) -> Iterator[Served]:
    """Start a private redis-server and `alongside serve --workers N` on loopback; yield its URL and pid.

    With ``task_worker``, background tasks go through the database queue and `alongside worker` runs them
    beside the server, as in production; without, they run inside the request that enqueues them (the test
    profile's immediate backend). Everything stops on the way out (SIGTERM, then SIGKILL), also on failure.
    """
    from tests.messaging.support_servers import Server, _wait_for_port, free_port, processes

    with processes(workdir) as group:
        redis = group.start_redis()
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_VERSION")}
        env.update(
            {
                "ALONGSIDE_PROFILE": "test",  # the fixed throwaway secrets the bench process shares
                "DJANGO_SETTINGS_MODULE": "alongside.settings",
                "DATABASE_URL": database_url,
                "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                "ALONGSIDE_VAR_DIR": str(workdir / "var"),
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")])),
                **NO_LIMITS,
            }
        )
        argv = [sys.executable, "-m", "alongside.cli", "serve", "--port", str(port), "--workers", str(workers)]
        task_worker_pid = None
        if task_worker:
            env["ALONGSIDE_TASKS_BACKEND"] = "database"
            worker, _log = group._spawn("alongside-worker", [sys.executable, "-m", "alongside.cli", "worker"], env=env)
            task_worker_pid = worker.pid
        process, log = group._spawn("alongside-serve", argv, env=env)
        server = Server("alongside-serve", port, process, log)
        group.servers.append(server)
        _wait_for_port(port, process, log, "alongside serve")
        yield Served(server.http_url, process.pid, task_worker_pid)


# --- What happened --------------------------------------------------------------------------


@dataclass
class Ledger:
    """Requests and their times per endpoint, errors, and every write the server acknowledged."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # endpoint -> ms
    errors: Counter[str] = field(default_factory=Counter)  # "endpoint: status or exception" -> count
    error_samples: list[str] = field(default_factory=list)
    sent: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # kind -> keys sent
    acked: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # kind -> key -> id
    replay_mismatches: list[str] = field(default_factory=list)  # a retried key answered with another id
    started: float = 0.0
    elapsed: float = 0.0
    cpu: float = 0.0  # seconds of CPU this process (the load generator) used, on the server's cores
    server_cpu: float = 0.0  # seconds of CPU the application server's processes used (not PostgreSQL's)

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.times.values())


class Session:
    """One simulated person's HTTP connection to the server, recording every request in the ledger."""

    def __init__(self, http: Any, ledger: Ledger, headers: dict[str, str]) -> None:
        self.http = http
        self.ledger = ledger
        self.headers = headers

    async def call(self, endpoint: str, method: str, path: str, body: Any = None) -> Any:
        """Send one request; return the decoded body of a 2xx answer, None otherwise (counted as an error)."""
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, json=body, headers=self.headers)
        except Exception as error:  # any failure to get an answer is an error of the run
            self._error(endpoint, type(error).__name__, repr(error))
            return None
        self.ledger.times[endpoint].append((time.perf_counter() - started) * 1000)
        if response.status_code // 100 != 2:
            self._error(endpoint, str(response.status_code), response.text[:300])
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    def _error(self, endpoint: str, what: str, detail: str) -> None:
        self.ledger.errors[f"{endpoint}: {what}"] += 1
        if len(self.ledger.error_samples) < 20:
            self.ledger.error_samples.append(f"{endpoint}: {what} {detail}")


def _key(kind: str, who: str, rng: random.Random) -> str:
    return f"{KEY_PREFIX}{kind}-{who}-{rng.getrandbits(48):012x}"


# --- What people do -------------------------------------------------------------------------


async def _client_checkin(s: Session, me: ClientActor, rng: random.Random) -> None:
    key = _key("ci", me.name, rng)
    body = {
        "mood": rng.randint(0, 10),
        "sleep_quality": rng.randint(0, 10),
        "sleep_hours": f"{rng.uniform(3, 10):.1f}",
        "activities": rng.sample(["exercise", "outdoors", "friends", "work", "chores"], 2),
        "idempotency_key": key,
    }
    if rng.random() < 0.3:
        body["note"] = "A day like another."
    s.ledger.sent["checkin"].add(key)
    saved = await s.call("POST /api/v1/selfcare/checkins", "POST", "/api/v1/selfcare/checkins", body)
    if saved is None:
        return
    s.ledger.acked["checkin"][key] = saved["id"]
    if rng.random() < 0.1:  # the phone did not see the answer and sends it again
        again = await s.call("POST /api/v1/selfcare/checkins (retry)", "POST", "/api/v1/selfcare/checkins", body)
        if again is not None and again["id"] != saved["id"]:
            s.ledger.replay_mismatches.append(f"checkin {key}: {saved['id']} then {again['id']}")


async def _client_questionnaire(s: Session, me: ClientActor, rng: random.Random) -> None:
    await s.call("GET /api/v1/measures/due", "GET", "/api/v1/measures/due")
    instrument, items = rng.choice([("phq9", PHQ9_ITEMS), ("gad7", GAD7_ITEMS)])
    key = _key("qn", me.name, rng)
    s.ledger.sent["response"].add(key)
    started = await s.call(
        "POST /api/v1/measures/responses", "POST", "/api/v1/measures/responses",
        {"instrument": instrument, "idempotency_key": key},
    )  # fmt: skip
    if started is None:
        return
    rid = started["id"]
    answers = {item: (0 if item == "phq9-9" else rng.randint(0, 3)) for item in items}
    first = items[0]
    path = f"/api/v1/measures/responses/{rid}/answers/{first}"
    if (
        await s.call("PUT /api/v1/measures/responses/{id}/answers/{item}", "PUT", path, {"value": answers[first]})
        is None
    ):
        return
    submit = f"/api/v1/measures/responses/{rid}/submit"
    done = await s.call(
        "POST /api/v1/measures/responses/{id}/submit", "POST", submit, {"idempotency_key": key, "answers": answers}
    )
    if done is not None:
        s.ledger.acked["response"][key] = rid


async def _send_message(s: Session, who: str, client_id: str, rng: random.Random, endpoint: str) -> None:
    key = _key("msg", who, rng)
    s.ledger.sent["message"].add(key)
    body = {"body": f"Message {key[-6:]} from {who}.", "idempotency_key": key}
    sent = await s.call(endpoint, "POST", f"/api/v1/messages/{client_id}", body)
    if sent is not None:
        s.ledger.acked["message"][key] = sent["id"]


async def client_turn(s: Session, me: ClientActor, rng: random.Random) -> None:
    """One thing a client does."""
    roll = rng.random()
    if roll < 0.35:
        await _client_checkin(s, me, rng)
    elif roll < 0.45:
        await s.call("GET /api/v1/selfcare/checkins", "GET", "/api/v1/selfcare/checkins?limit=30")
    elif roll < 0.60:
        await _client_questionnaire(s, me, rng)
    elif roll < 0.82:
        await _send_message(s, me.name, me.client_id, rng, "POST /api/v1/messages/{client} (client)")
    else:
        await s.call("GET /api/v1/messages/{client}", "GET", f"/api/v1/messages/{me.client_id}")


async def clinician_turn(web: Session, api: Session, me: ClinicianActor, rng: random.Random) -> None:
    """One thing a clinician does."""
    roll = rng.random()
    client_id = rng.choice(me.client_ids)
    if roll < 0.30:
        await web.call("GET /practice/clients/ (caseload)", "GET", "/practice/clients/")
    elif roll < 0.55:
        await web.call("GET /sessions/clients/{client}/brief/", "GET", f"/sessions/clients/{client_id}/brief/")
    elif roll < 0.65:
        await api.call("GET /api/v1/alerts", "GET", "/api/v1/alerts")
    elif roll < 0.80:
        await api.call("GET /api/v1/clients/{client}/checkins", "GET", f"/api/v1/clients/{client_id}/checkins?limit=30")
    else:
        await api.call("GET /api/v1/messages/{client}", "GET", f"/api/v1/messages/{client_id}")
        await _send_message(api, me.name, client_id, rng, "POST /api/v1/messages/{client} (clinician)")


async def _person(
    base_url: str, ledger: Ledger, actor: Any, until: float, think: tuple[float, float], seed: int
) -> None:
    import httpx

    rng = random.Random(seed)
    timeout = httpx.Timeout(30.0)
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=timeout))
        bearer = {"Authorization": f"Bearer {actor.token}"}
        api = Session(http, ledger, bearer)
        web = Session(http, ledger, {"Cookie": f"sessionid={getattr(actor, 'session', '')}"})
        await asyncio.sleep(rng.uniform(0, think[1]))  # people do not all start in the same millisecond
        while time.perf_counter() < until:
            if isinstance(actor, ClinicianActor):
                await clinician_turn(web, api, actor, rng)
            else:
                await client_turn(api, actor, rng)
            await asyncio.sleep(rng.uniform(*think))


async def _warm_up(base_url: str, cast: Cast) -> None:
    """Let each worker import and compile before timing (not counted)."""
    import httpx

    clinician, client = cast.clinicians[0], cast.clients[0]
    for _ in range(4):  # new connections land on either worker
        async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as http:
            web = Session(http, Ledger(), {"Cookie": f"sessionid={clinician.session}"})
            api = Session(http, Ledger(), {"Authorization": f"Bearer {client.token}"})
            await web.call("warm", "GET", "/practice/clients/")
            await web.call("warm", "GET", f"/sessions/clients/{clinician.client_ids[0]}/brief/")
            await api.call("warm", "GET", "/api/v1/selfcare/checkins")


def run_load(base_url: str, cast: Cast, *, seconds: float, think: tuple[float, float] = (0.5, 2.5)) -> Ledger:
    """Run every person of ``cast`` against ``base_url`` for ``seconds``; return the ledger."""

    async def main() -> Ledger:
        await _warm_up(base_url, cast)
        ledger = Ledger()
        ledger.started, cpu = time.perf_counter(), time.process_time()
        until = ledger.started + seconds
        people: list[Any] = [*cast.clients, *cast.clinicians]
        await asyncio.gather(*(_person(base_url, ledger, p, until, think, n) for n, p in enumerate(people)))
        ledger.elapsed, ledger.cpu = time.perf_counter() - ledger.started, time.process_time() - cpu
        return ledger

    return asyncio.run(main())


# --- Counting writes ------------------------------------------------------------------------


@dataclass
class WriteCheck:
    acknowledged: dict[str, int]
    lost: list[str]
    duplicated: list[str]
    unexpected: list[str]  # rows for keys the bench never sent

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unexpected)


def _rows(kind: str) -> list[tuple[str, str]]:
    """(idempotency key, id) of every row of ``kind`` the bench may have written (a response: its score)."""
    from alongside.measures.models import MeasureScore
    from alongside.messaging.models import Message
    from alongside.selfcare.models import CheckIn

    if kind == "checkin":
        found = CheckIn.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list("idempotency_key", "pk")
    elif kind == "message":
        found = Message.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list("idempotency_key", "pk")
    else:
        found = MeasureScore.objects.filter(response__idempotency_key__startswith=KEY_PREFIX).values_list(
            "response__idempotency_key", "response_id"
        )
    return [(key, str(pk)) for key, pk in found]


def check_writes(ledger: Ledger) -> WriteCheck:
    """Compare the acknowledged writes with the database (Django set up on the same database)."""
    check = WriteCheck({}, [], list(ledger.replay_mismatches), [])
    for kind in ("checkin", "response", "message"):
        acked = ledger.acked.get(kind, {})
        check.acknowledged[kind] = len(acked)
        stored: dict[str, list[str]] = defaultdict(list)
        for key, pk in _rows(kind):
            stored[key].append(pk)
        for key, pk in acked.items():
            if pk not in stored.get(key, []):
                check.lost.append(f"{kind} {key} ({pk})")
        for key, pks in stored.items():
            if len(pks) > 1:
                check.duplicated.append(f"{kind} {key}: {len(pks)} rows")
            if key not in ledger.sent.get(kind, set()):
                check.unexpected.append(f"{kind} {key}")
    return check


def _setup_django(database_url: str, workdir: Path) -> None:
    os.environ["ALONGSIDE_PROFILE"] = "test"
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir / "var")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="an empty database (default: a throwaway PostgreSQL cluster)")
    parser.add_argument(
        "--tasks",
        choices=["worker", "inline"],
        default="worker",
        help="background tasks through the database queue and `alongside worker` (as in production; default), "
        "or inline in the request that enqueues them",
    )
    args = parser.parse_args(argv)
    from tests.with_postgres import postgres_cluster

    with tempfile.TemporaryDirectory(prefix="alongside-load-") as tmp, contextlib.ExitStack() as stack:
        workdir = Path(tmp)
        database_url = args.database_url or stack.enter_context(postgres_cluster())
        _setup_django(database_url, workdir)
        cast = seed_practice(users=args.users)
        print(f"seeded {len(cast.clients)} clients and {len(cast.clinicians)} clinicians", flush=True)
        with (
            serve(workdir, database_url, workers=args.workers, task_worker=args.tasks == "worker") as served,
            waits_sampled(database_url) as waits,
        ):
            cpu, worker_cpu = served.cpu(), served.task_worker_cpu()
            ledger = run_load(served.url, cast, seconds=args.seconds)
            ledger.server_cpu = served.cpu() - cpu  # the warm-up included: a few requests
            worker_cpu = served.task_worker_cpu() - worker_cpu
        if args.tasks == "worker":
            print(
                f"the task worker used {worker_cpu:.0f} s of CPU ({100 * worker_cpu / max(ledger.elapsed, 1e-9):.0f}% of a core)"
            )
        check = check_writes(ledger)
        print(report(ledger, check, users=args.users))
        samples = max(1, waits.pop("(samples)", 0))
        print("PostgreSQL sessions per moment, by what they do:")
        print("\n".join(f"  {n / samples:5.2f}  {what}" for what, n in waits.most_common(6)))
        if ledger.errors:
            from tests.messaging.support_servers import _tail

            print("end of the server's log:\n" + _tail(workdir / "alongside-serve.log", 60))
    return 0 if check.ok and not ledger.errors else 1


if __name__ == "__main__":
    sys.exit(main())
