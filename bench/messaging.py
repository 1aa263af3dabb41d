"""Time live message delivery between two server processes over Redis, against one process in memory.

    uv run python bench/messaging.py [--rate 20] [--seconds 15] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names another,
empty one; migrations are applied) with a client, their clinician and signed-in sessions. Then:

1. Redis: a private redis-server and two uvicorn processes (A and B) with REDIS_URL. The client's
   thread page is open on A, the clinician's on B.
2. In memory: one uvicorn process without REDIS_URL, both pages open on it (the demo set-up).

In each, the client sends --rate messages a second for --seconds seconds over the WebSocket, on a
fixed schedule (not waiting for replies), after a few warm-up messages that are not counted. For
every message it records the time from sending the frame to the "ack" on the sender's socket and
to the "message" frame on the clinician's socket (all clocks are this process's). Prints count,
p50, p95, p99 and max of each, and the ratios Redis / in memory. Timings are printed, never
asserted. The servers run with the per-sender message limits raised (ALONGSIDE_MESSAGES_PER_*).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5
QUALITY_BAR_P99_MS = 50.0  # PRODUCT.md: delivery between two server processes over Redis
NO_LIMITS = {"ALONGSIDE_MESSAGES_PER_MINUTE": "1000000", "ALONGSIDE_MESSAGES_PER_HOUR": "1000000"}


def _configure(database_url: str | None, workdir: Path) -> str:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")  # fixed throwaway secrets, shared with the servers
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return os.environ["DATABASE_URL"]


@dataclass
class Run:
    name: str
    sent: dict[str, float] = field(default_factory=dict)  # key -> when the frame was sent
    acked: dict[str, tuple[int, float]] = field(default_factory=dict)  # key -> (seq, when the ack arrived)
    delivered: dict[int, float] = field(default_factory=dict)  # seq -> when the clinician's page got it
    errors: list[str] = field(default_factory=list)

    def ack_ms(self) -> list[float]:
        return [(at - self.sent[key]) * 1000 for key, (_seq, at) in self.acked.items() if key in self.sent]

    def delivery_ms(self) -> list[float]:
        return [
            (self.delivered[seq] - self.sent[key]) * 1000
            for key, (seq, _at) in self.acked.items()
            if key in self.sent and seq in self.delivered
        ]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def _measure(
    sender_server: Any, receiver_server: Any, people: Any, run: Run, rate: float, seconds: float
) -> None:
    from tests.messaging.support_servers import ThreadSocket

    client = await ThreadSocket.open(sender_server, client_id=people.client_id, session=people.client.session)
    clinician = await ThreadSocket.open(receiver_server, client_id=people.client_id, session=people.clinician.session)
    total = WARM_UP + round(rate * seconds)

    async def read_acks() -> None:
        while len(run.acked) < total:
            frame = await client.receive(timeout=30)
            now = time.perf_counter()
            if frame["type"] == "ack":
                run.acked[frame["key"]] = (int(frame["seq"]), now)
            elif frame["type"] == "error":
                run.errors.append(str(frame.get("message")))

    async def read_deliveries() -> None:
        while True:
            frame = await clinician.receive(timeout=60)
            if frame["type"] == "message":
                run.delivered.setdefault(int(frame["seq"]), time.perf_counter())

    acks = asyncio.create_task(read_acks())
    deliveries = asyncio.create_task(read_deliveries())
    # Warm-up: each process imports, compiles and caches on its first messages.
    for number in range(WARM_UP):
        key = f"{run.name}-warm-{number:03d}"
        await client.send({"type": "send", "key": key, "body": f"Warm-up {number}"})
        while key not in run.acked:
            await asyncio.sleep(0.01)
    start = time.perf_counter()
    for number in range(total - WARM_UP):
        due = start + number / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        key = f"{run.name}-{number:05d}"
        run.sent[key] = time.perf_counter()
        await client.send({"type": "send", "key": key, "body": f"Benchmark message {number}"})
    try:
        await asyncio.wait_for(acks, timeout=60)
        deadline = time.perf_counter() + 30
        while any(seq not in run.delivered for seq, _at in run.acked.values()) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
    except TimeoutError:
        run.errors.append("timed out waiting for the last acks")
    deliveries.cancel()
    await client.close()
    await clinician.close()


async def _layer_only(redis_url: str, rate: float, seconds: float) -> tuple[list[float], list[float]]:
    """Time group_send -> receive on the channel layers alone (no app work): Redis across two layer
    instances, as two processes would have, and the in-memory layer within one."""
    from channels.layers import InMemoryChannelLayer
    from channels_redis.core import RedisChannelLayer

    host = {"address": redis_url, "socket_timeout": 10}
    results = []
    for sender, receiver in (
        (RedisChannelLayer(hosts=[host]), RedisChannelLayer(hosts=[host])),
        (layer := InMemoryChannelLayer(), layer),
    ):
        channel = await receiver.new_channel()
        await receiver.group_add("bench", channel)
        times: list[float] = []
        start = time.perf_counter()
        for number in range(round(rate * seconds)):
            await asyncio.sleep(max(0.0, start + number / rate - time.perf_counter()))
            sent = time.perf_counter()
            await sender.group_send("bench", {"type": "thread.message", "seq": number})
            await receiver.receive(channel)
            times.append((time.perf_counter() - sent) * 1000)
        await receiver.group_discard("bench", channel)
        for layer_ in {id(sender): sender, id(receiver): receiver}.values():
            if hasattr(layer_, "close_pools"):
                await layer_.close_pools()
        results.append(times)
    return results[0], results[1]


def _row(label: str, values: list[float]) -> str:
    if not values:
        return f"| {label} | 0 | - | - | - | - |"
    return (
        f"| {label} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} "
        f"| {percentile(values, 99):.1f} | {max(values):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second (default 20)")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long to send (default 15)")
    parser.add_argument("--database-url", default=None, help="an empty database to use instead of SQLite in a temp dir")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="alongside-bench-messaging-") as tmp:
        workdir = Path(tmp)
        print("Migrating a throwaway database ...", flush=True)
        database_url = _configure(args.database_url, workdir)
        from django.db import connections
        from tests.messaging.support_servers import processes, seed_thread

        people = seed_thread()
        connections.close_all()
        count = round(args.rate * args.seconds)
        print(f"Sending {count} messages at {args.rate:g}/s per set-up, after {WARM_UP} warm-up messages.", flush=True)

        redis_run, memory_run = Run("redis"), Run("memory")
        with processes(workdir / "redis-run") as group:
            redis = group.start_redis()
            a, b = group.start_apps(
                ["a", "b"],
                database_url=database_url,
                redis_url=f"redis://127.0.0.1:{redis.port}/0",
                extra_env=NO_LIMITS,
            )
            asyncio.run(_measure(a, b, people, redis_run, args.rate, args.seconds))
            layer_redis, layer_memory = asyncio.run(
                _layer_only(f"redis://127.0.0.1:{redis.port}/0", args.rate, min(args.seconds, 5.0))
            )
        with processes(workdir / "memory-run") as group:
            (solo,) = group.start_apps(["solo"], database_url=database_url, extra_env=NO_LIMITS)
            asyncio.run(_measure(solo, solo, people, memory_run, args.rate, args.seconds))

    print()
    print("| set-up and latency (ms) | count | p50 | p95 | p99 | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(_row("Redis, A -> B: delivered", redis_run.delivery_ms()))
    print(_row("Redis, A: ack", redis_run.ack_ms()))
    print(_row("In memory, one process: delivered", memory_run.delivery_ms()))
    print(_row("In memory, one process: ack", memory_run.ack_ms()))
    print(_row("Channel layer alone, Redis: group_send -> receive", layer_redis))
    print(_row("Channel layer alone, in memory", layer_memory))
    for run in (redis_run, memory_run):
        acked = [at for _seq, at in run.acked.values()]
        if run.sent and acked:
            sending = max(run.sent.values()) - min(run.sent.values())
            draining = max(acked) - min(run.sent.values())
            print(
                f"{run.name}: {len(run.sent)} sent over {sending:.1f} s; the last was acknowledged after {draining:.1f} s"
            )
        lost = len(run.sent) - len(run.delivery_ms())
        if lost or run.errors:
            print(f"{run.name}: {lost} of {len(run.sent)} not delivered; errors: {sorted(set(run.errors))[:5]}")
    redis_ms, memory_ms = redis_run.delivery_ms(), memory_run.delivery_ms()
    if redis_ms and memory_ms:
        p50 = percentile(redis_ms, 50) / percentile(memory_ms, 50)
        p99 = percentile(redis_ms, 99) / percentile(memory_ms, 99)
        print(f"\nRatio Redis / in memory (delivered): p50 {p50:.2f}, p99 {p99:.2f}")
        verdict = "met" if percentile(redis_ms, 99) < QUALITY_BAR_P99_MS else "NOT met"
        print(
            f"Quality bar (PRODUCT.md): p99 delivery between two processes over Redis under "
            f"{QUALITY_BAR_P99_MS:.0f} ms: {verdict} ({percentile(redis_ms, 99):.1f} ms)."
        )


if __name__ == "__main__":
    main()
