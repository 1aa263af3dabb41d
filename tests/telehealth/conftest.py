"""Fixtures of the telehealth tests: a real coturn on 127.0.0.1."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time

import pytest

from tests.messaging.support_servers import free_port

TURNSERVER = "/usr/bin/turnserver"


@pytest.fixture
def coturn(tmp_path):
    """A coturn TURN server on 127.0.0.1 with a fresh shared secret (coturn's TURN REST scheme)."""
    if not shutil.which(TURNSERVER):
        pytest.skip("coturn is not installed (apt-get install coturn; CI does in .ci/run)")
    port, secret = free_port(), secrets.token_hex(16)
    low = 49152 + (port % 1000) * 10
    argv = [
        TURNSERVER, "-n", "--no-cli", "--no-tls", "--no-dtls", "--simple-log", "--log-file", "stdout",
        "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", str(port),
        "--min-port", str(low), "--max-port", str(low + 9),
        "--use-auth-secret", "--static-auth-secret", secret, "--realm", "alongside.test",
        "--allow-loopback-peers", "--no-stun-backward-compatibility", "--pidfile", str(tmp_path / "turn.pid"),
        "--userdb", str(tmp_path / "turndb"),
    ]  # fmt: skip
    log = (tmp_path / "turn.log").open("wb")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    time.sleep(0.5)  # coturn opens its UDP listener at once; there is no TCP port to poll without TLS off
    try:
        assert process.poll() is None, (tmp_path / "turn.log").read_text()
        yield port, secret, tmp_path / "turn.log"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
