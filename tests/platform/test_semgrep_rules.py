"""Our semgrep rules catch what they are for and leave the right way of doing it alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = shutil.which("semgrep") or str(ROOT / ".venv" / "bin" / "semgrep")

BAD_VIEWS = """
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from alongside.care.models import ClientProfile, Episode


@csrf_exempt
def view(request, client_id):
    client = ClientProfile.objects.get(pk=client_id)
    episode = get_object_or_404(Episode, pk=client_id)
    return mark_safe(client.preferred_name)
"""

GOOD_SELECTORS = """
from alongside.care.models import ClientProfile


def client_for_clinician(*, clinician, client_id):
    return ClientProfile.objects.get(pk=client_id, care_team__clinician=clinician)
"""

GOOD_VIEWS = """
from django.utils.html import format_html
from alongside.care.selectors import client_for_clinician


def view(request, client_id):
    client = client_for_clinician(clinician=request.user, client_id=client_id)
    return format_html("<p>{}</p>", client.preferred_name)
"""


@pytest.mark.skipif(not Path(SEMGREP).exists(), reason="semgrep is not installed")
def test_rules_flag_bare_gets_mark_safe_csrf_exempt_and_safe_filter(tmp_path: Path) -> None:
    """Each rule fires on the bad sample and stays quiet on the good ones (selectors, plain-text email)."""
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "views.py").write_text(BAD_VIEWS)
    (app / "selectors.py").write_text(GOOD_SELECTORS)
    (app / "good").mkdir()
    (app / "good" / "views.py").write_text(GOOD_VIEWS)
    (app / "templates" / "bad.html").write_text(
        "<p>{{ note|safe }}</p>\n{% autoescape off %}{{ x }}{% endautoescape %}"
    )
    (app / "templates" / "good.html").write_text("<p>{{ note }}</p>")
    (app / "templates" / "email.txt").write_text("{% autoescape off %}{{ link }}{% endautoescape %}")

    result = subprocess.run(
        [
            SEMGREP,
            "scan",
            "--config",
            str(ROOT / "semgrep"),
            "--metrics=off",
            "--disable-version-check",
            "--json",
            str(app),
        ],
        env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    findings = json.loads(result.stdout)["results"]
    found = sorted(
        (Path(f["path"]).relative_to(app).as_posix(), f["check_id"].rsplit(".", 1)[-1], f["start"]["line"])
        for f in findings
    )
    assert found == [
        ("templates/bad.html", "alongside-no-safe-filter", 1),
        ("templates/bad.html", "alongside-no-safe-filter", 2),
        ("views.py", "alongside-bare-get-on-client-data", 10),
        ("views.py", "alongside-bare-get-on-client-data", 11),
        # The decorator matches twice (as a decorator and as a name); the import alone is harmless.
        ("views.py", "alongside-no-csrf-exempt", 8),
        ("views.py", "alongside-no-csrf-exempt", 8),
        ("views.py", "alongside-no-mark-safe", 12),
    ], result.stderr
