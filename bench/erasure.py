"""Time erasing the richest clients of a synthetic practice, one transaction each.

    uv run python bench/erasure.py [--clients 42] [--days 730] [--erase 5] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names an empty one),
generates the demo's synthetic practice (``alongside.synth``) with the given number of clients and days of
history, then erases the clients with the most rows, richest first, through ``client_erase`` as the
practice admin. Prints, for each, the rows that pointed at them, the queries the erasure ran and its
wall-clock time. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parent.parent / "src"


def _configure(database_url: str | None, workdir: Path) -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _rows_of(profile: Any) -> int:
    from django.apps import apps

    from alongside.accounts.models import User
    from alongside.care.models import ClientProfile

    total = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in (User, ClientProfile):
                total += model._default_manager.filter(**{f"{field.name}_id": profile.pk}).count()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=42)
    parser.add_argument("--days", type=int, default=730, help="days of history")
    parser.add_argument("--erase", type=int, default=5, help="how many of the richest clients to erase")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _configure(args.database_url, Path(workdir))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from alongside.accounts.models import User
        from alongside.care.erasure import client_erase
        from alongside.care.models import ClientProfile
        from alongside.synth.config import SynthConfig
        from alongside.synth.generate import generate_practice

        config = SynthConfig(n_clients=args.clients, history_days=args.days, domain="bench-erasure.test")
        started = time.perf_counter()
        generate_practice(config)
        print(f"{connection.vendor}: {args.clients} clients, {args.days} days generated in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        admin = User.objects.get(email=config.admin_email)
        ranked = sorted(ClientProfile.objects.select_related("user"), key=_rows_of, reverse=True)
        times = []
        for profile in ranked[: args.erase]:
            rows = _rows_of(profile)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client_erase(actor=admin, client=profile, confirm_email=profile.user.email)
                elapsed = time.perf_counter() - started
            times.append(elapsed)
            print(f"  {rows:6d} rows  {len(queries):4d} queries  {elapsed * 1000:8.1f} ms")
        print(f"median {statistics.median(times) * 1000:.1f} ms over {len(times)} erasures")


if __name__ == "__main__":
    main()
