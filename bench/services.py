"""Time what @service adds to a write: the same audited write with and without the decorator.

    uv run python bench/services.py                 # SQLite in a temporary directory
    uv run python bench/services.py --calls 2000

Each call saves one row and records one audit event in a top-level transaction. The two forms alternate
call by call, so a slow phase of the machine hits both alike. Prints the median and 95th percentile of one
call (this process's CPU time) for each form and the median difference. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from audit_record import _setup


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.db import transaction

        from alongside.accounts.models import LoginThrottle, ThrottleScope
        from alongside.audit.log import record
        from alongside.audit.models import AuditAction
        from alongside.core.services import service

        def plain(*, key: str) -> None:
            with transaction.atomic():
                LoginThrottle.objects.create(key=key, scope=ThrottleScope.MAIL)
                record(AuditAction.PRACTICE_CREATED, actor=None, detail={"bench": True})

        @service
        def decorated(*, key: str) -> None:
            LoginThrottle.objects.create(key=key, scope=ThrottleScope.MAIL)
            record(AuditAction.PRACTICE_CREATED, actor=None, detail={"bench": True})

        forms: dict[str, Callable[..., None]] = {"transaction.atomic": plain, "@service": decorated}
        cpu: dict[str, list[float]] = {name: [] for name in forms}
        for n in range(args.calls):
            for name, form in forms.items():
                start = time.process_time()
                form(key=f"{name}-{n}")
                cpu[name].append(time.process_time() - start)
        for name, values in cpu.items():
            print(f"{name:20} {_ms(values)}")
        added = statistics.median(cpu["@service"]) - statistics.median(cpu["transaction.atomic"])
        print(f"added by @service: {added * 1000:.3f} ms per call (median difference)")


if __name__ == "__main__":
    main()
