"""The production profile refuses to start without its secrets and passes `check --deploy` with them."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRETS = ("SECRET_KEY", "ALONGSIDE_MASTER_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST_PASSWORD")


def _alongside(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in SECRETS
        and not k.endswith("_FILE")
        and not k.startswith(("SECURE_", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_"))
    }
    clean.update({"ALONGSIDE_PROFILE": "production", "ALONGSIDE_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-m", "alongside.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secrets_stop_start_up_with_a_clear_message(tmp_path: Path) -> None:
    """Without SECRET_KEY, the master key and ALLOWED_HOSTS, production start-up fails naming each."""
    result = _alongside(["check", "--deploy"], tmp_path)
    assert result.returncode != 0
    assert "cannot start in production without SECRET_KEY, ALONGSIDE_MASTER_KEY, ALLOWED_HOSTS" in result.stderr


def test_one_missing_secret_is_named(tmp_path: Path) -> None:
    """Only the missing secret is named; a secret from a *_FILE counts as set."""
    key_file = tmp_path / "master.key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    result = _alongside(
        ["check", "--deploy"], tmp_path, ALONGSIDE_MASTER_KEY_FILE=str(key_file), ALLOWED_HOSTS="alongside.example.org"
    )
    assert result.returncode != 0
    assert "cannot start in production without SECRET_KEY." in result.stderr


@pytest.mark.parametrize("master_key", ["too-short", ""])
def test_production_with_all_secrets_passes_check_deploy(tmp_path: Path, master_key: str) -> None:
    """With every secret set, `check --deploy` reports nothing; a malformed master key is alongside.E001."""
    good_key = base64.b64encode(os.urandom(32)).decode()
    result = _alongside(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=base64.b64encode(os.urandom(48)).decode(),
        ALONGSIDE_MASTER_KEY=master_key or good_key,
        ALLOWED_HOSTS="alongside.example.org",
    )
    if master_key:
        assert result.returncode != 0
        assert "alongside.E001" in result.stderr
        assert "ALONGSIDE_MASTER_KEY is not valid base64" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        # The one silenced check is the reminder that HSTS preload is off (SECURE_HSTS_PRELOAD, opt-in).
        assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.parametrize(("profile", "debug"), [("dev", "True"), ("demo", "False"), ("test", "False")])
def test_only_the_development_profile_debugs(tmp_path: Path, profile: str, debug: str) -> None:
    """The demo runs without Django's debug mode (no tracebacks shown, no per-query debug logging)."""
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith(("DEBUG", "PYTEST_"))}
    env.update(
        {
            "ALONGSIDE_PROFILE": profile,
            "ALONGSIDE_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "alongside.settings",
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == debug
