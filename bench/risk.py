"""Risk analytics at population scale: generator speed, DuckDB and Spark scoring, and one-client online scoring.

    uv run --frozen python bench/risk.py                       # 100,000 clients, DuckDB, Spark local[2] on 10,000
    uv run --frozen python bench/risk.py --clients 20000 --spark-clients 0
    uv run --frozen python bench/risk.py --data /tmp/pop       # reuse a generated population
    uv run --frozen python bench/risk.py --online-db 200        # only the app's refresh task, database included

Prints timings and peak memory (this process's maximum resident set; the Spark JVM is a separate process and is
not counted). Nothing is asserted: figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--spark-clients", type=int, default=10_000, help="0 skips Spark")
    parser.add_argument(
        "--spark-conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting (repeatable)"
    )
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--online-db", type=int, default=0, metavar="RUNS", help="time only the refresh task, RUNS times, and stop"
    )
    args = parser.parse_args()
    if args.online_db:
        online_db(args.online_db)
        return

    import pyarrow.parquet as pq

    from alongside.risk.artifacts import load
    from alongside.risk.engines import connect, open_extract
    from alongside.risk.online import History, score
    from alongside.risk.pipeline import REFERENCE, compare, score_tables
    from alongside.risk.population import generate

    not_model, drop_model = load(REFERENCE / "not_on_track.json"), load(REFERENCE / "dropout.json")
    tmp = tempfile.TemporaryDirectory()
    data = args.data or Path(tmp.name) / "population"
    if args.data is None:
        written = generate(clients=args.clients, seed=args.seed, out=data)
        print(
            f"generator: {written.clients:,} clients, {written.total_rows:,} rows "
            f"(check-ins {written.rows['checkins']:,}) in {written.seconds:.1f} s = "
            f"{written.rows_per_second:,.0f} rows/s; peak RSS {peak_mb():,.0f} MB"
        )
    daily = args.clients * 365
    print(f"client-days covered: {daily:,}")

    started = time.perf_counter()
    con = connect("duckdb")
    duck = score_tables(con, open_extract(con, data), not_model, drop_model).to_pyarrow()
    seconds = time.perf_counter() - started
    flagged = sum(1 for f in duck["not_on_track"].to_pylist() if f)
    print(
        f"duckdb: features + scoring of {duck.num_rows:,} clients in {seconds:.1f} s; peak RSS {peak_mb():,.0f} MB; "
        f"{flagged:,} not on track"
    )

    if args.spark_clients:
        # The full population itself when the sizes match (the same run on both engines); else a smaller one.
        sub = data if args.spark_clients == args.clients else Path(tmp.name) / "spark"
        if sub != data:
            generate(clients=args.spark_clients, seed=args.seed, out=sub)
        con_d = connect("duckdb")
        small = score_tables(con_d, open_extract(con_d, sub), not_model, drop_model).to_pyarrow()
        started = time.perf_counter()
        conf = dict(item.split("=", 1) for item in args.spark_conf)
        spark = connect("spark", master="local[2]", conf=conf)
        ready = time.perf_counter() - started
        result = score_tables(spark, open_extract(spark, sub), not_model, drop_model).to_pyarrow()
        seconds = time.perf_counter() - started
        differ = compare(small, result.select(small.column_names), tolerance=1e-9)
        print(
            f"spark local[2]: {result.num_rows:,} clients in {seconds:.1f} s (of which session start {ready:.1f} s); "
            f"columns differing from DuckDB: {differ or 'none'}"
        )
        started = time.perf_counter()
        score_tables(con_d, open_extract(con_d, sub), not_model, drop_model).to_pyarrow()
        print(f"duckdb on the same {args.spark_clients:,} clients: {time.perf_counter() - started:.1f} s")

    # Online scoring of one client: the plain-Python scorer the app runs after a new score (database reads apart).
    checkins = pq.read_table(data / "checkins.parquet", filters=[("client_id", "<", "S0001000")]).to_pylist()
    histories: dict[str, History] = {}
    for row in checkins:
        histories.setdefault(row["client_id"], History()).checkins.append(row["day"])
    for name in ("sessions", "homework", "messages", "scores"):
        for row in pq.read_table(data / f"{name}.parquet", filters=[("client_id", "<", "S0001000")]).to_pylist():
            h = histories.setdefault(row["client_id"], History())
            if name == "sessions":
                h.sessions.append((row["day"], row["status"]))
            elif name == "homework":
                h.homework.append((row["day"], row["done"]))
            elif name == "messages" and row["sender"] == "client":
                h.client_messages.append(row["day"])
            elif name == "scores":
                h.scores.append((row["day"], row["session_number"], row["measure"], row["total"]))
    times = []
    for h in histories.values():
        t0 = time.perf_counter()
        score(h, 120, not_model, drop_model)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        f"online scoring of one client ({len(times)} clients, a year each): median {times[len(times) // 2]:.3f} ms, "
        f"p99 {times[int(len(times) * 0.99)]:.3f} ms, max {times[-1]:.3f} ms"
    )
    tmp.cleanup()


def online_db(runs: int) -> None:
    """Time the task a new score or check-in enqueues (five reads, scoring, one upsert), for one client with a
    year of history, on a throwaway SQLite database (or DATABASE_URL)."""
    import datetime as dt
    import random
    import uuid

    workdir = Path(tempfile.mkdtemp())
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["ALONGSIDE_TASKS_BACKEND"] = "database"  # as in production: the write only enqueues
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from alongside.accounts.models import User, UserKind
    from alongside.care.models import ClientProfile, ClientStatus, Practice
    from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus
    from alongside.risk.tasks import refresh_client
    from alongside.selfcare.models import CheckIn
    from alongside.sessions.models import Appointment, AppointmentStatus

    rng = random.Random(7)
    now = timezone.now()
    practice = Practice.objects.create(name="Bench Practice")
    clinician = User.objects.create_user("clinician@bench.test", None, kind=UserKind.STAFF)
    user = User.objects.create_user("client@bench.test", None, kind=UserKind.CLIENT)
    client = ClientProfile.objects.create(  # type: ignore[misc]
        user=user, practice=practice, preferred_name="C", status=ClientStatus.ACTIVE
    )
    days = [now - dt.timedelta(days=d) for d in range(365, 0, -1)]
    CheckIn.objects.bulk_create(
        [
            CheckIn(id=uuid.uuid4(), client=client, at=at, local_date=at.date(), mood=5, idempotency_key=f"b-{i}")
            for i, at in enumerate(days)
            if rng.random() < 0.8
        ]
    )
    visits = days[::14]
    Appointment.objects.bulk_create(
        [
            Appointment(client=client, clinician=clinician, starts_at=at, status=AppointmentStatus.ATTENDED)
            for at in visits
        ]
    )
    for i, at in enumerate(visits):
        response = MeasureResponse.objects.create(
            client=client,
            instrument="phq9",
            idempotency_key=f"bench-{i:04d}",
            status=ResponseStatus.SUBMITTED,
            submitted_at=at,
        )
        MeasureScore.objects.create(response=response, client=client, instrument="phq9", scored_at=at, total=14 - i / 3)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        refresh_client.call(str(client.pk))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    cpu.sort()
    print(
        f"refresh task, one client with a year of history ({CheckIn.objects.count()} check-ins, {len(visits)} sessions "
        f"and PHQ-9 scores), {runs} runs on {os.environ['DATABASE_URL'].split(':')[0]}: wall median "
        f"{times[len(times) // 2]:.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms; "
        f"CPU median {cpu[len(cpu) // 2]:.1f} ms, p95 {cpu[int(len(cpu) * 0.95)]:.1f} ms"
    )
    # What the writing request pays: enqueueing the refresh after its commit (one task row in the database).
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from alongside.risk.tasks import refresh_after_commit

    enqueue = []
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        with transaction.atomic():
            refresh_after_commit(client.pk)
        enqueue.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    wall = sorted(w for w, _c in enqueue)
    used = sorted(c for _w, c in enqueue)
    print(
        f"enqueue after commit (database task backend, {DBTaskResult.objects.count()} task rows), {runs} runs: wall median {wall[len(wall) // 2]:.2f} ms, "
        f"p95 {wall[int(len(wall) * 0.95)]:.2f} ms; CPU median {used[len(used) // 2]:.2f} ms"
    )


if __name__ == "__main__":
    main()
