"""The TURN passwords Alongside hands out are the ones coturn accepts: valid until their expiry, never after."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from alongside.telehealth.ice import turn_credentials

UCLIENT = "/usr/bin/turnutils_uclient"


def _allocate(port: int, username: str, password: str) -> subprocess.CompletedProcess[str]:
    """Ask coturn for a relay allocation (and send one packet through it) with these credentials."""
    argv = [UCLIENT, "-y", "-n", "1", "-m", "1", "-l", "170", "-e", "127.0.0.1"]
    argv += ["-u", username, "-w", password, "-p", str(port), "127.0.0.1"]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(not shutil.which(UCLIENT), reason="coturn's turnutils_uclient is not installed")
def test_coturn_accepts_a_fresh_password_and_refuses_an_expired_or_forged_one(coturn):
    port, secret, _log = coturn
    fresh = _allocate(port, *turn_credentials(secret=secret, user_id="alice", ttl=600))
    assert fresh.returncode == 0, fresh.stdout[-500:]
    expired = _allocate(port, *turn_credentials(secret=secret, user_id="alice", ttl=60, now=time.time() - 600))
    assert expired.returncode != 0
    assert "Cannot complete Allocation" in expired.stdout + expired.stderr
    forged = _allocate(port, *turn_credentials(secret="not-the-secret", user_id="alice", ttl=600))
    assert forged.returncode != 0
