"""Time `record_many` on its own: one caseload-sized batch (200 events by one clinician) at a time.

    uv run python bench/audit_record.py                 # SQLite in a temporary directory
    uv run python bench/audit_record.py --batches 400 --size 200

Prints the median and 95th percentile of one batch, wall clock and this process's CPU time.
Timings are printed, never asserted. Checkpoints are written to the temporary directory, as in service.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path


def _setup(workdir: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("ALONGSIDE_AUDIT_CHECKPOINT_FILE", str(workdir / "audit-checkpoints.jsonl"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--size", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.db import transaction

        from alongside.accounts.models import User
        from alongside.audit.log import Entry, record_many
        from alongside.audit.models import AuditAction

        actor = User.objects.create(email="bench@example.test", name="Bench")
        clients = [User(pk=uuid.uuid4()) for _ in range(args.size)]
        entries = [Entry(AuditAction.CLIENT_LISTED, obj=c, client_id=c.pk) for c in clients]
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(args.batches):
            start, start_cpu = time.perf_counter(), time.process_time()
            with transaction.atomic():
                record_many(entries, actor=actor)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"record_many, {args.size} events per batch, {args.batches} batches")
        print(f"  wall: {_ms(times)}")
        print(f"  cpu:  {_ms(cpu)}")


if __name__ == "__main__":
    main()
