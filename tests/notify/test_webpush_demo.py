"""The demo makes its own VAPID key pair once, in var/; other profiles stay off until keys are set."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02  # type: ignore[import-untyped]

from tests.passes import sqlite_pass_only

# What a process sees after start-up: whether Web Push is on, and the two keys.
PROBE = (
    "import json; from django.conf import settings as s; from alongside.notify import webpush; "
    "print(json.dumps([webpush.enabled(), s.ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY, s.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY]))"
)
CLEARED = (
    "PYTEST_",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALONGSIDE_MASTER_KEY",
    "ALONGSIDE_WEBPUSH_",
    "ALLOWED",
)


def _start(tmp_path: Path, profile: str, **env: str) -> tuple[bool, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    clean.update({"ALONGSIDE_PROFILE": profile, "ALONGSIDE_VAR_DIR": str(tmp_path), **env})
    done = subprocess.run(
        [sys.executable, "-m", "alongside.cli", "shell", "--no-imports", "-c", PROBE],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    enabled, public, private = json.loads(done.stdout.strip().splitlines()[-1])
    return enabled, public, private


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@sqlite_pass_only
def test_the_demo_has_web_push_keys_after_start_up_and_keeps_them(tmp_path: Path) -> None:
    """The demo profile starts with Web Push on: a P-256 pair written once to var/ (0600) and reused next time."""
    enabled, public, private = _start(tmp_path, "demo")
    assert enabled is True
    stored = tmp_path / "webpush-vapid.key"
    assert stored.read_text(encoding="utf-8").strip() == private
    assert stored.stat().st_mode & 0o777 == 0o600
    # The public key is the private key's own point, as the browser needs it.
    point = Vapid02.from_string(private).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert len(point) == 65
    assert _decode(public) == point
    assert _start(tmp_path, "demo") == (True, public, private)


@sqlite_pass_only
def test_keys_an_operator_sets_win_in_the_demo(tmp_path: Path) -> None:
    """With both keys in the environment, the demo uses them and writes no pair of its own."""
    keys = {"ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY": "BPublic", "ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY": "private"}
    assert _start(tmp_path, "demo", **keys) == (True, "BPublic", "private")
    assert not (tmp_path / "webpush-vapid.key").exists()


@sqlite_pass_only
def test_production_and_dev_stay_off_without_keys(tmp_path: Path) -> None:
    """Outside the demo nothing is generated: Web Push stays off until an operator sets the keys."""
    production = {
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ALONGSIDE_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "alongside.example.org",
    }
    assert _start(tmp_path, "production", **production) == (False, "", "")
    assert _start(tmp_path, "dev") == (False, "", "")
    assert not (tmp_path / "webpush-vapid.key").exists()
