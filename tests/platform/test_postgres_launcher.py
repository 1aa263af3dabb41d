"""The PostgreSQL launcher starts a private cluster, hands it to the command and always removes it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import with_postgres

ROOT = Path(__file__).resolve().parents[2]

try:
    with_postgres.find_pg_bin()
    HAVE_POSTGRES = True
except with_postgres.LauncherError:
    HAVE_POSTGRES = False

PROBE = """
import os, sys, psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url) as conn:
    superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    datadir = conn.execute("SHOW data_directory").fetchone()[0]
print(url, superuser, datadir)
sys.exit(3)
"""


def _launch(*command: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "tests.with_postgres", "--", *command],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.skipif(not HAVE_POSTGRES, reason="PostgreSQL's initdb is not installed")
def test_launcher_runs_the_command_against_a_throwaway_cluster_and_removes_it() -> None:
    """The command gets a superuser DATABASE_URL on 127.0.0.1; its exit code comes back; the folder is gone."""
    result = _launch(sys.executable, "-c", PROBE)
    assert result.returncode == 3, result.stderr
    url, superuser, datadir = result.stdout.split()
    assert url.startswith("postgres://alongside@127.0.0.1:")
    assert superuser == "True"  # pytest-django creates and drops its test database
    assert Path(datadir).name == "data"
    assert not Path(datadir).parent.exists()


def test_launcher_uses_an_existing_database_url_as_is() -> None:
    """With DATABASE_URL set, no cluster is started and the command sees the URL unchanged."""
    url = "postgres://someone@db.example.invalid:5432/alongside"
    result = _launch(sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == url
    assert "throwaway cluster" not in result.stderr


def test_launcher_without_a_command_explains_itself() -> None:
    """Forgetting the command is a clear error, not a hang or a traceback."""
    result = _launch()
    assert result.returncode == 2
    assert "Give the command to run after `--`" in result.stderr
