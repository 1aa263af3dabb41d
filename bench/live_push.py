"""What the live-push task costs on top of a direct channel-layer send, per push, in one process.

    uv run --frozen python bench/live_push.py [--pushes 3000] [--rounds 5]

Every live push is the task ``alongside.notify.live.push_live`` on the "live" backend (Django's
immediate backend by default). This times, with the in-memory channel layer and a listener in the
group, three ways of sending the same one-event push, interleaved round by round:

- ``direct``: ``async_to_sync(layer.group_send)`` (what the code did before the task);
- ``task``: ``push_live.enqueue(...)`` on the immediate backend (what it does now, after commit);
- ``live_push``: ``live_push([...])`` outside a transaction (JSON check, on_commit, enqueue).

Prints CPU and wall time per push (median of the rounds). No database is touched. Timings are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    os.environ.pop("REDIS_URL", None)
    os.environ["ALONGSIDE_LIVE_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=3000, help="pushes per way per round (default 3000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()
    _setup()

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from alongside.notify.live import live_push, push_live

    layer = get_channel_layer()
    group = "thread.bench"
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    event = {"type": "thread.message", "seq": 1}

    def direct() -> None:
        async_to_sync(layer.group_send)(group, event)

    def task() -> None:
        push_live.enqueue([[group, event]])

    def through_live_push() -> None:
        live_push([(group, event)])

    ways = {"direct": direct, "task": task, "live_push": through_live_push}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    wall: dict[str, list[float]] = {name: [] for name in ways}
    for _round in range(args.rounds):
        for name, send in ways.items():
            async_to_sync(layer.flush)()
            async_to_sync(layer.group_add)(group, channel)
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(args.pushes):
                send()
            cpu[name].append((time.process_time() - c0) / args.pushes * 1e6)
            wall[name].append((time.perf_counter() - w0) / args.pushes * 1e6)
    load = os.getloadavg()[0]
    print(f"{args.rounds} rounds x {args.pushes} pushes per way, in-memory layer, load average {load:.1f}")
    print("| way | CPU per push (us), median of rounds | wall per push (us), median of rounds |")
    print("| --- | ---: | ---: |")
    for name in ways:
        print(f"| {name} | {statistics.median(cpu[name]):.1f} | {statistics.median(wall[name]):.1f} |")


if __name__ == "__main__":
    main()
