"""Run a command against a throwaway PostgreSQL cluster.

Usage::

    uv run python -m tests.with_postgres -- pytest -m "not browser"

When ``DATABASE_URL`` is already set the command simply runs against it. Otherwise
this starts a private cluster with ``initdb``/``pg_ctl`` in a temporary folder,
listening on 127.0.0.1 on a free port (and a socket in the same folder), creates a
database, runs the command with ``DATABASE_URL`` pointing at it, and stops and removes
the cluster afterwards, also when the command fails or is interrupted.

PostgreSQL refuses to run as root; when we are root the cluster runs as the
``postgres`` OS user (override with ``ALONGSIDE_PG_USER``) and the folder is handed
to that user. The database role is a superuser, so pytest-django can create and
drop its test database and tests can disable the audit trigger when they need to.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROLE = "alongside"
DATABASE = "alongside"
SEARCH_DIRS = ("/usr/lib/postgresql",)


class LauncherError(Exception):
    """The cluster could not be started; the message says why."""


def find_pg_bin() -> Path:
    """Return the folder holding initdb and pg_ctl (PG_BIN, PATH, or Debian's layout)."""
    explicit = os.environ.get("PG_BIN")
    if explicit:
        return Path(explicit)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    for root in SEARCH_DIRS:
        versions = sorted(Path(root).glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name), reverse=True)
        if versions:
            return versions[0].parent
    raise LauncherError(
        "initdb was not found. Install PostgreSQL (apt-get install postgresql), put its bin folder "
        "on PATH or in PG_BIN, or set DATABASE_URL to an existing server."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _demote(user: pwd.struct_passwd | None) -> dict[str, object]:
    """Keyword arguments for subprocess.run that run the child as ``user`` (if any)."""
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a throwaway cluster; yield its DATABASE_URL; stop and remove it on exit."""
    pg_bin = find_pg_bin()
    run_as: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        name = os.environ.get("ALONGSIDE_PG_USER", "postgres")
        try:
            run_as = pwd.getpwnam(name)
        except KeyError:
            raise LauncherError(
                f"Running as root, but there is no {name!r} OS user to run PostgreSQL as "
                "(PostgreSQL refuses root). Install the postgresql package or set ALONGSIDE_PG_USER."
            ) from None
    base = Path(tempfile.mkdtemp(prefix="alongside-pg-"))
    data = base / "data"
    log = base / "server.log"
    if run_as is not None:
        os.chown(base, run_as.pw_uid, run_as.pw_gid)
    base.chmod(0o700)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
    env.pop("PGDATA", None)
    port = free_port()
    started = False

    def pg(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pg_bin / args[0]), *args[1:]],
            cwd=base,
            env=env,
            check=check,
            capture_output=True,
            text=True,
            **_demote(run_as),  # type: ignore[arg-type]
        )

    try:
        try:
            pg("initdb", "-D", str(data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--no-instructions")
        except subprocess.CalledProcessError as exc:
            raise LauncherError(f"initdb failed:\n{exc.stdout}{exc.stderr}") from None
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
            # A throwaway cluster: durability buys nothing, speed does.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            # The load test's server opens a connection per request in flight: 50 people at once, plus tests.
            "-c max_connections=120 -c shared_buffers=64MB"
        )
        result = pg("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start", check=False)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise LauncherError(f"pg_ctl start failed:\n{result.stdout}{result.stderr}\n{tail}")
        started = True
        created = pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", ROLE, DATABASE, check=False)
        if created.returncode != 0:
            raise LauncherError(f"createdb failed:\n{created.stdout}{created.stderr}")
        yield f"postgres://{ROLE}@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)


def run(command: Sequence[str]) -> int:
    """Run ``command`` with DATABASE_URL set, forwarding interrupts; return its exit code."""
    if not command:
        raise LauncherError("Give the command to run after `--`, e.g. `-- pytest -m 'not browser'`.")
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(list(command))
    with postgres_cluster() as url:
        print(f"with_postgres: throwaway cluster at {url}", file=sys.stderr, flush=True)
        child = subprocess.Popen(list(command), env={**os.environ, "DATABASE_URL": url})
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def forward(signum: int, _frame: object) -> None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

        for sig in previous:
            signal.signal(sig, forward)
        try:
            while True:
                try:
                    return child.wait()
                except KeyboardInterrupt:
                    continue
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if child.poll() is None:
                child.kill()
                child.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--":
        args = args[1:]
    started = time.monotonic()
    try:
        code = run(args)
    except LauncherError as exc:
        print(f"with_postgres: {exc}", file=sys.stderr)
        return 2
    print(f"with_postgres: finished in {time.monotonic() - started:.1f}s (exit {code})", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
