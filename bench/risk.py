"""Risk analytics at population scale: generator speed, DuckDB and Spark scoring, and one-client online scoring.

    uv run --frozen python bench/risk.py                       # 100,000 clients, DuckDB, Spark local[2] on 10,000
    uv run --frozen python bench/risk.py --clients 20000 --spark-clients 0
    uv run --frozen python bench/risk.py --data /tmp/pop       # reuse a generated population

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
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import pyarrow.parquet as pq

    from alongside.risk.engines import connect, open_extract
    from alongside.risk.modelling import load
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
        sub = Path(tmp.name) / "spark"
        generate(clients=args.spark_clients, seed=args.seed, out=sub)
        con_d = connect("duckdb")
        small = score_tables(con_d, open_extract(con_d, sub), not_model, drop_model).to_pyarrow()
        started = time.perf_counter()
        spark = connect("spark", master="local[2]")
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


if __name__ == "__main__":
    main()
