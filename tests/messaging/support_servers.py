"""Real servers for multi-process messaging tests and benchmarks: redis-server and uvicorn subprocesses.

Every process listens on 127.0.0.1 only, writes its output to a log file in a temporary folder,
and is stopped by :meth:`Processes.stop` (also when a test fails). On Linux each one also gets
SIGTERM if the process that started it dies, so an interrupted run leaves nothing behind.

Also here: building the people a thread needs (:func:`seed_thread`), signing them in with a
session cookie, and a small WebSocket client for the thread protocol (see
``alongside.messaging.consumers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 60.0  # seconds; the development machine is shared and can be slow to import Django
# Environment a server must not inherit from the test process.
_DROP_ENV = ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL", "ALONGSIDE_VAR_DIR")


class ServerError(RuntimeError):
    """A server could not be started; the message says why and shows the end of its log."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Loaded here, not in the child: between fork and exec the child may only make plain calls.
try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6", use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # not glibc: servers are still stopped by Processes.stop()
    _LIBC = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{what} exited with code {process.returncode} before listening:\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise ServerError(f"{what} did not listen on 127.0.0.1:{port} within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


@dataclass
class Processes:
    """The servers one test or benchmark started, in a temporary folder of its own."""

    workdir: Path
    servers: list[Server] = field(default_factory=list)
    pending: list[Server] = field(default_factory=list)  # spawned app servers not yet known to listen

    def _spawn(self, name: str, argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[Any, Path]:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(argv),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        return process, log

    def start_redis(self) -> Server:
        """Start a private redis-server on a free loopback port, without persistence."""
        if not Path(REDIS_SERVER).exists() and shutil.which("redis-server") is None:
            raise ServerError(
                "redis-server is not installed; the multi-process messaging test needs a real one. "
                "Install it with `sudo apt-get install redis-server` (CI does, in .ci/run)."
            )
        binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else str(shutil.which("redis-server"))
        for attempt in range(3):
            port = free_port()
            argv = [
                binary,
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.workdir),
                "--protected-mode", "yes",
            ]  # fmt: skip
            process, log = self._spawn(f"redis-{attempt}", argv)
            server = Server("redis", port, process, log)
            self.servers.append(server)
            try:
                _wait_for_port(port, process, log, "redis-server")
                return server
            except ServerError:
                if process.poll() is None or attempt == 2:
                    raise  # a port taken in between makes it exit; anything else is a real failure
        raise AssertionError("unreachable")

    def start_apps(
        self, names: Sequence[str], *, database_url: str, redis_url: str = "", extra_env: dict[str, str] | None = None
    ) -> list[Server]:
        """Start app servers (see :meth:`spawn_apps`) and return them once they all listen."""
        self.spawn_apps(names, database_url=database_url, redis_url=redis_url, extra_env=extra_env)
        return self.wait_for_apps()

    def spawn_apps(
        self, names: Sequence[str], *, database_url: str, redis_url: str = "", extra_env: dict[str, str] | None = None
    ) -> list[Server]:
        """Spawn ``uvicorn alongside.asgi:application`` once per name, each on a free loopback port.

        The servers run the test profile (its fixed throwaway secrets, so sessions and encrypted
        fields written here can be read there) against ``database_url``; with ``redis_url`` they
        share a Redis channel layer and cache, without it each has its own in-memory layer.
        """
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update(
            {
                "ALONGSIDE_PROFILE": "test",
                "DJANGO_SETTINGS_MODULE": "alongside.settings",
                "DATABASE_URL": database_url,
                "ALONGSIDE_VAR_DIR": str(self.workdir / "var"),
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")])),
            }
        )
        if redis_url:
            env["REDIS_URL"] = redis_url
        env.update(extra_env or {})
        started = []
        for name in names:
            port = free_port()
            argv = [
                sys.executable, "-m", "uvicorn", "alongside.asgi:application",
                "--host", "127.0.0.1",
                "--port", str(port),
                "--log-level", "warning",
                "--no-server-header",
            ]  # fmt: skip
            process, log = self._spawn(name, argv, env=env)
            server = Server(name, port, process, log)
            self.servers.append(server)
            self.pending.append(server)
            started.append(server)
        return started

    def wait_for_apps(self) -> list[Server]:
        """Wait until every spawned app server listens; return them in the order they were spawned."""
        ready, self.pending = self.pending, []
        for server in ready:
            _wait_for_port(server.port, server.process, server.log, f"uvicorn ({server.name})")
        return ready

    def stop(self) -> None:
        """Stop every server: SIGTERM, then SIGKILL after five seconds."""
        for server in self.servers:
            if server.process.poll() is None:
                server.process.terminate()
        deadline = time.monotonic() + 5
        for server in self.servers:
            try:
                server.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)
        self.servers.clear()


@contextlib.contextmanager
def processes(workdir: Path) -> Iterator[Processes]:
    """Yield a :class:`Processes` whose servers are all stopped on the way out."""
    workdir.mkdir(parents=True, exist_ok=True)
    group = Processes(workdir)
    try:
        yield group
    finally:
        group.stop()


# --- People and sessions (run with Django set up against the shared database) --------------


@dataclass(frozen=True)
class Person:
    user_id: str
    session: str  # value of the session cookie


@dataclass(frozen=True)
class ThreadPeople:
    """Sam (a client who shares messages), Alice (Sam's clinician) and Robin (another client of the practice)."""

    client_id: str  # Sam's ClientProfile id: the thread is ws/messages/<client_id>/
    outsider_client_id: str  # Robin's own thread
    client: Person
    clinician: Person
    outsider: Person


def sign_in(user: Any) -> str:
    """Create a signed-in session for ``user`` (staff with their second factor verified); return its key."""
    from django.test import Client

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    browser = Client()
    browser.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    session = browser.session
    session[SESSION_MFA_OK] = True
    session[SESSION_AUTH_AT] = time.time()
    session[SESSION_SEEN_AT] = time.time()
    session.save()
    return str(session.session_key)


def seed_thread() -> ThreadPeople:
    """Create a practice, Alice the clinician, Sam her client (sharing messages) and Robin, with sessions."""
    from tests import factories

    home = factories.practice("Loopback Practice")
    alice = factories.staff(home)
    sam = factories.client(home, clinicians=(alice,), name="Sam", scopes=("messages",))
    robin = factories.client(home, name="Robin", scopes=("messages",))
    return ThreadPeople(
        client_id=str(sam.pk),
        outsider_client_id=str(robin.pk),
        client=Person(str(sam.user_id), sign_in(sam.user)),
        clinician=Person(str(alice.pk), sign_in(alice)),
        outsider=Person(str(robin.user_id), sign_in(robin.user)),
    )


def sqlite_copy(path: Path) -> str:
    """Copy the current SQLite database (e.g. pytest's in-memory test database) to ``path``; return its URL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return f"sqlite:///{path}"


def database_url_for_servers(workdir: Path) -> str:
    """Return a database URL other processes can open and that holds what this process committed.

    On PostgreSQL that is the (test) database itself. SQLite test databases live in memory,
    so the committed state is copied to a file in ``workdir`` (WAL mode once a server opens it).
    """
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return sqlite_copy(workdir / "shared.sqlite3")
    if connection.vendor == "postgresql":
        from urllib.parse import quote

        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or ""
        if host.startswith("/"):  # a socket folder
            return f"postgres://{auth}/{settings['NAME']}?host={quote(host, safe='')}"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{settings['NAME']}"
    raise ServerError(f"Cannot share a {connection.vendor} database with server processes.")


# --- A WebSocket client for the thread protocol ------------------------------------------


class ThreadSocket:
    """One open thread page: ``ws/messages/<client_id>/`` on one server, signed in by session cookie."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, server: Server, *, client_id: str, session: str) -> ThreadSocket:
        from websockets.asyncio.client import connect

        connection = await connect(
            f"{server.ws_url}/ws/messages/{client_id}/",
            origin=server.http_url,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"sessionid={session}"},
            open_timeout=20,
            max_size=2**20,
        )
        return cls(connection)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(frame))

    async def receive(self, timeout: float = 10.0) -> dict[str, Any]:
        """Return the next frame, or raise TimeoutError."""
        raw = await asyncio.wait_for(self.connection.recv(), timeout)
        frame: dict[str, Any] = json.loads(raw)
        return frame

    async def receive_type(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        """Return the next frame of type ``kind``, skipping others (e.g. "read" receipts)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.receive(max(0.01, deadline - time.monotonic()))
            if frame.get("type") == kind:
                return frame

    async def nothing_within(self, seconds: float) -> list[dict[str, Any]]:
        """Return every frame that arrives within ``seconds`` (an empty list is the usual hope)."""
        frames = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                frames.append(await self.receive(left))
            except TimeoutError:
                break
        return frames

    async def close(self) -> None:
        await self.connection.close()


async def refused(server: Server, *, client_id: str, session: str) -> int | None:
    """Try to open a thread socket; return the HTTP status of a refused handshake, None if it opened."""
    from websockets.exceptions import InvalidStatus

    try:
        socket_ = await ThreadSocket.open(server, client_id=client_id, session=session)
    except InvalidStatus as error:
        return int(error.response.status_code)
    await socket_.close()
    return None
