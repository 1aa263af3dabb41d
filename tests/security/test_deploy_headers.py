"""Deployment headers (security issue #11, finding 10): HSTS preload is opt-in, as documented, and the
documented production settings pass `check --deploy` at warning level; a Permissions-Policy denies
powerful browser features unless a view opts in."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from alongside.web.middleware import PermissionsPolicyMiddleware, permissions_policy, permissions_policy_header

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = ROOT / "docs" / "operators" / "deployment.md"
CONFIGURATION = ROOT / "docs" / "operators" / "configuration.md"


def documented_env(tmp_path: Path) -> dict[str, str]:
    """The `/etc/alongside/env` of the deployment guide, with its secret files and folders made in ``tmp_path``."""
    text = DEPLOYMENT.read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", text, re.DOTALL) if "ALONGSIDE_PROFILE=production" in b)
    env: dict[str, str] = {}
    for line in block.splitlines():
        name, _, value = line.partition("=")
        env[name.strip()] = value.strip()
    secrets = {
        "secret_key": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "master.key": base64.b64encode(os.urandom(32)).decode(),
        "database_url": f"sqlite:///{tmp_path / 'alongside.sqlite3'}",
        "smtp_password": "not-a-real-password",
    }
    for name, value in list(env.items()):
        if value.startswith("/etc/alongside/"):
            path = tmp_path / value.rsplit("/", 1)[-1]
            path.write_text(secrets[path.name], encoding="utf-8")
            env[name] = str(path)
    env["ALONGSIDE_VAR_DIR"] = str(tmp_path / "var")
    return env


def _run(tmp_path: Path, args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DEBUG", "PYTEST_", "DJANGO_", "ALONGSIDE_", "DATABASE_", "REDIS_", "EMAIL_"))
        and not k.endswith("_FILE")
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEFAULT_FROM_EMAIL"}
    }
    return subprocess.run(
        [sys.executable, *args],
        env={**inherited, **documented_env(tmp_path), **extra},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _hsts(tmp_path: Path, **extra: str) -> str:
    done = _run(
        tmp_path,
        ["-c", "import django; django.setup(); from django.conf import settings as s; print(s.SECURE_HSTS_PRELOAD)"],
        DJANGO_SETTINGS_MODULE="alongside.settings",
        **extra,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_documented_production_settings_pass_check_deploy_at_warning_level(tmp_path: Path) -> None:
    """The deployment guide's env file, as written, passes `alongside check --deploy --fail-level WARNING`."""
    done = _run(tmp_path, ["-m", "alongside.cli", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("preload", ["false", "true"])
def test_check_deploy_is_clean_with_hsts_preload_off_or_on(tmp_path: Path, preload: str) -> None:
    """Whichever way an operator sets SECURE_HSTS_PRELOAD, `check --deploy` at warning level passes."""
    done = _run(
        tmp_path, ["-m", "alongside.cli", "check", "--deploy", "--fail-level", "WARNING"], SECURE_HSTS_PRELOAD=preload
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_hsts_preload_is_off_unless_the_operator_opts_in(tmp_path: Path) -> None:
    """Preload is off by default, as the configuration page says; SECURE_HSTS_PRELOAD=true turns it on."""
    assert _hsts(tmp_path) == "False"
    assert _hsts(tmp_path, SECURE_HSTS_PRELOAD="true") == "True"
    entry = CONFIGURATION.read_text(encoding="utf-8").split("### `SECURE_HSTS_PRELOAD`", 1)[1].split("###", 1)[0]
    assert "Default: off" in entry


def _through_middleware(view):
    return PermissionsPolicyMiddleware(view)(RequestFactory().get("/"))


def test_permissions_policy_denies_camera_microphone_and_location_by_default() -> None:
    """Every response says no page may use the camera, the microphone or the location."""
    policy = _through_middleware(lambda request: HttpResponse("ok"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_view_opts_in_to_the_features_it_needs_and_only_for_itself() -> None:
    """A video page decorated with camera and microphone for 'self' gets them; the rest stays denied."""

    @permissions_policy(camera=["self"], microphone=["self"])
    def video(request):
        return HttpResponse("video")

    policy = _through_middleware(video)["Permissions-Policy"]
    assert "camera=(self)" in policy
    assert "microphone=(self)" in policy
    assert "geolocation=()" in policy
    assert "camera=()" in _through_middleware(lambda request: HttpResponse("other"))["Permissions-Policy"]


def test_the_site_wide_policy_is_a_setting() -> None:
    """Operators and developers change PERMISSIONS_POLICY; origins are quoted, 'self' and '*' are not."""
    with override_settings(PERMISSIONS_POLICY={"fullscreen": ["self", "https://video.example.org"]}):
        policy = _through_middleware(lambda request: HttpResponse("ok"))["Permissions-Policy"]
    assert policy == 'fullscreen=(self "https://video.example.org")'
    assert permissions_policy_header({"autoplay": ["*"], "camera": []}) == "autoplay=*, camera=()"
