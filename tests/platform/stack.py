"""Real processes for the fault and backup drills: a PostgreSQL cluster we can stop, a Redis, an SMTP sink,
`alongside serve` and `alongside worker`. Everything listens on 127.0.0.1 and is stopped by its owner.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.with_postgres import DATABASE, ROLE, _demote, find_pg_bin, free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def wait_for(condition: Callable[[], Any], *, timeout: float = 30.0, what: str = "a condition") -> Any:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """A private PostgreSQL cluster that a test may stop, restart and dump."""

    def __init__(self, base: Path) -> None:
        self.bin = find_pg_bin()
        self.base = base
        self.data = base / "data"
        self.log = base / "server.log"
        self.port = free_port()
        self.run_as = None
        if os.geteuid() == 0:
            import pwd

            self.run_as = pwd.getpwnam(os.environ.get("ALONGSIDE_PG_USER", "postgres"))
            os.chown(base, self.run_as.pw_uid, self.run_as.pw_gid)
        base.chmod(0o700)
        self.env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
        self.env.pop("PGDATA", None)
        self.pg("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--no-instructions")
        self.start()
        self.pg("createdb", *self.conn_args(), DATABASE)

    @property
    def url(self) -> str:
        return f"postgres://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"

    def conn_args(self) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE]

    def pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.base,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            **_demote(self.run_as),  # type: ignore[arg-type]
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.base}"
        options += " -c max_connections=60 -c shared_buffers=32MB"
        self.pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop", check=False)

    def psql(self, sql: str, database: str = DATABASE) -> str:
        result = self.pg(
            "psql", *self.conn_args(), "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, check=False
        )
        assert result.returncode == 0, f"psql failed: {sql}\n{result.stderr}"
        return result.stdout.strip()


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    base = Path(tempfile.mkdtemp(prefix="alongside-drill-pg-"))
    made: Cluster | None = None
    try:
        made = Cluster(base)
        yield made
    finally:
        if made is not None:
            made.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


def app_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an Alongside process in the demo profile on the given database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        ALONGSIDE_PROFILE="demo",
        DATABASE_URL=database_url,
        ALONGSIDE_VAR_DIR=str(var_dir),
        ALONGSIDE_TASKS_BACKEND="database",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def alongside(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run an `alongside` command to completion; return its output (fail with it on error)."""
    result = subprocess.run(
        [PYTHON, "-m", "alongside.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"alongside {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def seed(env: dict[str, str]) -> dict[str, str]:
    """Migrate and seed the drill's people; return their ids, tokens and a session cookie."""
    alongside("migrate", "--no-input", "-v", "0", env=env)
    result = subprocess.run(
        [PYTHON, "-m", "tests.platform.drill_seed"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


class Process:
    """A long-running child (server or worker), its output kept in a file; killed by its owner."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._out.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._out.close()


def serve(env: dict[str, str], log: Path) -> tuple[Process, str]:
    port = free_port()
    server = Process([PYTHON, "-m", "alongside.cli", "serve", "--port", str(port)], env=env, log=log)
    wait_for(lambda: port_open(port) or server.proc.poll() is not None, timeout=60, what="the server")
    assert server.proc.poll() is None, server.output()
    return server, f"http://127.0.0.1:{port}"


def worker(env: dict[str, str], log: Path, *extra: str) -> Process:
    args = [
        PYTHON,
        "-m",
        "alongside.cli",
        "worker",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--ticks-every",
        "0",
        *extra,
    ]
    return Process(args, env=env, log=log)


def _lower(headers: Any) -> dict[str, str]:
    """Headers by lower-case name; a repeated header (Set-Cookie) keeps every value, joined with ", "."""
    joined: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


@dataclass
class Answer:
    """A status, headers by lower-case name, and the body."""

    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str,
    url: str,
    *,
    token: str = "",
    cookie: str = "",
    payload: Any = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request; an HTTP error status is an answer, not an exception."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if cookie:
        request.add_header("Cookie", cookie)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return Answer(response.status, _lower(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, _lower(error.headers), error.read().decode())


@dataclass
class SmtpSink:
    """A minimal SMTP server that keeps every message it accepts; it can be down (not started), or hang
    after the DATA of a message containing ``hang_on`` (the sender then waits for a reply: kill it)."""

    port: int = field(default_factory=free_port)
    messages: list[str] = field(default_factory=list)
    hang_on: str = ""
    hung: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> None:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 sink ready\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        lines = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(chunk.decode(errors="replace"))
                        text = "".join(lines)
                        sink.messages.append(text)
                        if sink.hang_on and sink.hang_on in text:
                            sink.hung.set()
                            sink.release.wait(60)
                            return
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    elif verb in (b"EHLO", b"HELO"):
                        self.wfile.write(b"250 sink\r\n")
                    else:
                        self.wfile.write(b"250 ok\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def message_ids(self) -> list[str]:
        found = []
        for text in self.messages:
            for line in text.splitlines():
                if line.lower().startswith("message-id:"):
                    found.append(line.split(":", 1)[1].strip())
        return found

    def env(self) -> dict[str, str]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}


class Redis:
    """A throwaway redis-server without persistence, stoppable and restartable on its port."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.base = base
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen([*args, "--dir", str(self.base)], stdout=subprocess.DEVNULL)
        wait_for(lambda: port_open(self.port), what="redis")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None
