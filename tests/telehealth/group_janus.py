"""A real Janus (Debian's package) on 127.0.0.1 for the group tests: a throwaway config folder, free ports.

Only what a group call needs is loaded: the VideoRoom plugin and the HTTP (for the server) and WebSocket
(for browsers) transports; every other plugin, transport, event handler and logger is disabled so Janus
starts in well under a second. Token auth is on in its signed-token mode, as in production.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.messaging.support_servers import free_port

JANUS = "/usr/bin/janus"
LIBS = Path("/usr/lib/x86_64-linux-gnu/janus")


@dataclass(frozen=True)
class Janus:
    http_url: str
    ws_url: str
    token_secret: str
    admin_key: str
    log: Path


def _others(folder: str, keep: set[str]) -> str:
    names = sorted(p.name for p in (LIBS / folder).glob("*.so"))
    return ",".join(n for n in names if n not in keep)


def _write_configs(folder: Path, http: int, ws: int, token_secret: str, admin_key: str) -> None:
    rtp = 20000 + (http % 2000) * 10
    (folder / "janus.jcfg").write_text(
        f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{LIBS / "plugins"}"
  transports_folder = "{LIBS / "transports"}"
  events_folder = "{LIBS / "events"}"
  loggers_folder = "{LIBS / "loggers"}"
  debug_level = 4
  token_auth = true
  token_auth_secret = "{token_secret}"
  session_timeout = 60
}}
media: {{ rtp_port_range = "{rtp}-{rtp + 199}" }}
nat: {{ ice_ignore_list = "vmnet" }}
plugins: {{ disable = "{_others("plugins", {"libjanus_videoroom.so"})}" }}
transports: {{ disable = "{_others("transports", {"libjanus_http.so", "libjanus_websockets.so"})}" }}
events: {{ broadcast = false disable = "{_others("events", set())}" }}
loggers: {{ disable = "{_others("loggers", set())}" }}
"""
    )
    (folder / "janus.transport.http.jcfg").write_text(
        f'general: {{ json = "plain" base_path = "/janus" http = true port = {http} ip = "127.0.0.1" https = false }}\n'
        "admin: { admin_http = false admin_https = false }\n"
    )
    (folder / "janus.transport.websockets.jcfg").write_text(
        f'general: {{ json = "plain" ws = true ws_port = {ws} ws_ip = "127.0.0.1" wss = false }}\n'
        "admin: { admin_ws = false admin_wss = false }\n"
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text(f'general: {{ admin_key = "{admin_key}" }}\n')


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"Janus did not listen on {port}: {log.read_text()}")


@contextlib.contextmanager
def janus_server(folder: Path) -> Iterator[Janus]:
    """Start Janus with a fresh config folder under ``folder``; stop it afterwards."""
    if not shutil.which(JANUS):
        pytest.skip("Janus is not installed (apt-get install janus; CI does in .ci/run)")
    folder.mkdir(parents=True, exist_ok=True)
    http, ws = free_port(), free_port()
    token_secret, admin_key = secrets.token_hex(16), secrets.token_hex(16)
    _write_configs(folder, http, ws, token_secret, admin_key)
    log = folder / "janus.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [JANUS, "-F", str(folder), "-C", str(folder / "janus.jcfg"), "--disable-colors"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_for(http, process, log)
            _wait_for(ws, process, log)
            yield Janus(f"http://127.0.0.1:{http}/janus", f"ws://127.0.0.1:{ws}", token_secret, admin_key, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def use_janus(settings, server: Janus) -> None:
    """Point Alongside's settings at ``server``."""
    settings.TELEHEALTH_JANUS_URL = server.http_url
    settings.TELEHEALTH_JANUS_PUBLIC_URL = server.ws_url
    settings.TELEHEALTH_JANUS_TOKEN_SECRET = server.token_secret
    settings.TELEHEALTH_JANUS_ADMIN_KEY = server.admin_key


def main(argv: list[str]) -> None:
    """Run a throwaway Janus for trying a group call by hand (README): the tests' config, until Ctrl-C.

    Writes the settings Alongside needs to ``<folder>/env`` (shell syntax) and prints them.
    """
    import signal

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop Janus on kill as on Ctrl-C
    folder = Path(argv[1] if len(argv) > 1 else "/tmp/alongside-janus")
    with janus_server(folder) as server:
        lines = [
            f"TELEHEALTH_JANUS_URL={server.http_url}",
            f"TELEHEALTH_JANUS_PUBLIC_URL={server.ws_url}",
            f"TELEHEALTH_JANUS_TOKEN_SECRET={server.token_secret}",
            f"TELEHEALTH_JANUS_ADMIN_KEY={server.admin_key}",
        ]
        (folder / "env").write_text("\n".join(lines) + "\n")
        print("\n".join(lines), f"\nWritten to {folder / 'env'}; Janus runs until Ctrl-C.", sep="\n", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    import sys

    main(sys.argv)
