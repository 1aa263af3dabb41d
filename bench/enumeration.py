"""Time sign-up and password-reset answers for known and unknown email addresses (issue #11, finding 7).

    uv run python bench/enumeration.py [--requests 200] [--database-url sqlite:///...]

Builds a throwaway database (SQLite in a temporary directory unless --database-url names an empty one)
with ``--requests`` staff accounts, then posts the sign-up form and the password-reset form through
Django's test client, alternating a known address (each request a different account, so the reset
limit of three an hour never applies) and an unknown one. Emails wait in the outbox for a worker, as in
service (the database task backend; no worker runs here). Prints, per page and kind of address, the
median and 95th percentile wall-clock time, and the difference of the medians. Timings are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _configure(database_url: str | None, workdir: Path) -> None:
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("ALONGSIDE_PROFILE", "test")
    os.environ["ALONGSIDE_TASKS_BACKEND"] = "database"
    os.environ["ALONGSIDE_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _known(count: int) -> list[str]:
    from django.contrib.auth.hashers import make_password

    from alongside.accounts.models import User, UserKind

    digest = make_password("bench-password-never-used")
    users = [User(email=f"known{n}@bench.example", password=digest, kind=UserKind.STAFF) for n in range(count)]
    User.objects.bulk_create(users)
    return [u.email for u in users]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms"


def _time(post, known: list[str]) -> tuple[list[float], list[float]]:
    timings: dict[bool, list[float]] = {True: [], False: []}
    for n, email in enumerate(known):
        pair = [(True, email), (False, f"unknown{n}@bench.example")]
        for is_known, address in pair if n % 2 else pair[::-1]:  # alternate which goes first
            start = time.perf_counter()
            status = post(address)
            timings[is_known].append((time.perf_counter() - start) * 1000)
            assert status in (200, 302), status
    return timings[True], timings[False]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200, help="requests per page and kind of address")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _configure(args.database_url, Path(workdir))
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        known = _known(args.requests * 2)
        client = Client()

        def signup(email: str) -> int:
            form = {"name": "Bench", "practice_name": "Bench Practice", "email": email}
            return client.post("/accounts/signup/", form).status_code

        def reset(email: str) -> int:
            return client.post("/accounts/password/reset/", {"email": email}).status_code

        for label, post, emails in (("sign-up", signup, known[::2]), ("reset", reset, known[1::2])):
            post("warm-up@bench.example")
            with_account, without = _time(post, emails)
            gap = statistics.median(with_account) - statistics.median(without)
            print(f"{label:8} known   {_ms(with_account)}")
            print(f"{label:8} unknown {_ms(without)}")
            print(f"{label:8} difference of medians {gap:+.2f} ms")
        from alongside.notify.models import OutboundEmail

        print(f"emails waiting in the outbox: {OutboundEmail.objects.count()}")


if __name__ == "__main__":
    main()
