"""The demo's commands: `alongside synth`, `alongside demo`, `alongside otp`, `alongside serve`."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pyotp
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from alongside.accounts.models import TotpDevice, User
from alongside.care.models import ClientProfile
from tests.passes import sqlite_pass_only

CLINICIAN = "clinician1@demo.alongside.test"


def _run(*args: str, **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_synth_command_seeds_and_refuses_a_second_time():
    """`alongside synth` seeds the practice it is asked for, and refuses to seed it again."""
    out, _ = _run("synth", "--seed", "3", "--clients", "5")
    assert "Seeded" in out
    assert ClientProfile.objects.count() == 5
    with pytest.raises(CommandError, match="already"):
        _run("synth", "--seed", "3", "--clients", "5")
    assert ClientProfile.objects.count() == 5


@pytest.mark.django_db
def test_synth_command_rejects_bad_counts():
    with pytest.raises(CommandError, match="at least one client"):
        _run("synth", "--clients", "0")


@pytest.mark.django_db
def test_otp_refuses_outside_the_demo_profile():
    """Outside the demo a code printer would bypass the second factor: it refuses, non-zero."""
    _run("synth", "--clients", "1")
    with override_settings(DEMO=False, PROFILE="production"), pytest.raises(CommandError) as caught:
        _run("otp", CLINICIAN)
    assert caught.value.returncode != 0
    assert "ALONGSIDE_PROFILE=demo" in str(caught.value)


@pytest.mark.django_db
def test_otp_prints_a_code_that_signs_in_in_the_demo():
    """In the demo, the printed code is the account's current TOTP code."""
    _run("synth", "--clients", "1")
    with override_settings(DEMO=True, PROFILE="demo"):
        out, err = _run("otp", CLINICIAN)
    code = out.strip()
    device = TotpDevice.objects.get(user__email=CLINICIAN)
    assert pyotp.TOTP(device.secret).verify(code, valid_window=1)
    assert "only once" in err


@pytest.mark.django_db
def test_otp_skips_a_code_already_used():
    """A code that was just used to sign in is not printed again: the next one is."""
    from alongside.accounts.services import mfa_check

    _run("synth", "--clients", "1")
    user = User.objects.get(email=CLINICIAN)
    with override_settings(DEMO=True, PROFILE="demo"):
        first = _run("otp", CLINICIAN)[0].strip()
        assert mfa_check(user=user, code=first)
        second = _run("otp", CLINICIAN)[0].strip()
    assert second != first
    assert mfa_check(user=user, code=second)


@pytest.mark.django_db
def test_otp_names_an_unknown_account():
    with override_settings(DEMO=True, PROFILE="demo"), pytest.raises(CommandError, match="nobody@"):
        _run("otp", "nobody@demo.alongside.test")


@sqlite_pass_only
def test_otp_refuses_in_a_real_process_outside_the_demo(tmp_path):
    """Run as the operator would: `alongside otp` exits non-zero in the dev profile."""
    env = {
        **os.environ,
        "ALONGSIDE_PROFILE": "dev",
        "ALONGSIDE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
    }
    env.pop("PYTEST_VERSION", None)
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "alongside.cli", "otp", CLINICIAN],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "only works in the demo" in done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.django_db
def test_demo_refuses_outside_demo_and_dev_profiles():
    """The demo publishes a known password, so it will not run in production (or tests)."""
    with override_settings(PROFILE="production"), pytest.raises(CommandError, match="ALONGSIDE_PROFILE=demo"):
        _run("demo", "--no-serve")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_seeds_once_and_prints_the_logins():
    """`alongside demo` seeds the practice the first time, leaves it alone the second, and names the logins."""
    with override_settings(PROFILE="demo", DEMO=True):
        out, _ = _run("demo", "--no-serve")
        assert "Seeding" in out
        count = User.objects.count()
        again, _ = _run("demo", "--no-serve")
    assert "already in the database" in again
    assert User.objects.count() == count
    for text in ("clinician1@demo.alongside.test", "admin@demo.alongside.test", "alongside-demo", "alongside otp"):
        assert text in out


@pytest.mark.django_db
def test_demo_reset_only_deletes_a_database_in_var(tmp_path):
    """--reset never deletes a database outside var/ (for example PostgreSQL)."""
    with override_settings(PROFILE="demo", DEMO=True, VAR_DIR=tmp_path), pytest.raises(CommandError, match="var/"):
        _run("demo", "--reset", "--no-serve")


def test_serve_passes_options_to_uvicorn(monkeypatch):
    """`alongside serve` runs our ASGI application with the host, port and workers asked for."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    _run("serve", "--port", "9123", "--host", "0.0.0.0", "--workers", "2")
    app, kwargs = calls[0]
    assert app == "alongside.asgi:application"
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("0.0.0.0", 9123, 2)
    assert kwargs["proxy_headers"] is True


@sqlite_pass_only
def test_demo_end_to_end_in_a_real_process(tmp_path):
    """As `make demo` runs it: --reset replaces a broken database, seeds, and `alongside otp` then works."""
    env = {
        **os.environ,
        "ALONGSIDE_PROFILE": "demo",
        "ALONGSIDE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
    }
    for name in ("PYTEST_VERSION", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    (tmp_path / "alongside.sqlite3").write_text("not a database")

    def alongside(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "alongside.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    setup = alongside("demo", "--reset", "--no-serve", "--port", "8123")
    assert setup.returncode == 0, setup.stderr
    assert "Deleted the demo database" in setup.stdout
    assert "http://127.0.0.1:8123/" in setup.stdout
    assert "clinician1@demo.alongside.test" in setup.stdout
    code = alongside("otp", "clinician1@demo.alongside.test")
    assert code.returncode == 0, code.stderr
    assert code.stdout.strip().isdigit()
    assert len(code.stdout.strip()) == 6
