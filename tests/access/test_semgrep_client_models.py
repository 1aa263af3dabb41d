"""The semgrep rule against bare gets covers every model that holds a client's records."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.apps import apps

from alongside.care.models import ClientProfile

ROOT = Path(__file__).resolve().parents[2]
RULE = ROOT / "semgrep" / "client-data.yml"
SEMGREP = shutil.which("semgrep") or str(ROOT / ".venv" / "bin" / "semgrep")


def _client_owned() -> list[str]:
    """Names of our models with a foreign key to ClientProfile, and ClientProfile itself."""
    names = {ClientProfile.__name__}
    for model in apps.get_models():
        if not model.__module__.startswith("alongside."):
            continue
        if any(getattr(f, "related_model", None) is ClientProfile and f.concrete for f in model._meta.get_fields()):
            names.add(model.__name__)
    return sorted(names)


def _rule_regex() -> re.Pattern[str]:
    rule = yaml.safe_load(RULE.read_text())["rules"][0]
    regexes = [p["metavariable-regex"]["regex"] for p in rule["patterns"] if "metavariable-regex" in p]
    assert len(regexes) == 1
    return re.compile(regexes[0].strip())


def test_rule_names_every_client_owned_model() -> None:
    """A model that gains a foreign key to ClientProfile must be added to the rule."""
    pattern = _rule_regex()
    missing = [name for name in _client_owned() if not pattern.match(name)]
    assert not missing, f"add to semgrep/client-data.yml: {', '.join(missing)}"
    assert not pattern.match("Practice"), "the rule is about client records only"


def _bad_module(names: list[str]) -> str:
    lines = ["from django.shortcuts import get_object_or_404", "", "", "def handler(request, pk):"]
    for i, name in enumerate(names):
        style = i % 3
        if style == 0:
            lines.append(f"    a{i} = {name}.objects.get(pk=pk)")
        elif style == 1:
            lines.append(f'    a{i} = {name}.objects.select_related("client").get(pk=pk)')
        else:
            lines.append(f"    a{i} = get_object_or_404({name}, pk=pk)")
    return "\n".join(lines) + "\n"


GOOD = """
from alongside import access
from alongside.access import Action


def handler(request, pk):
    return access.owned_or_404(request.user, Appointment, pk, Action.CARE_TEAM)
"""


@pytest.mark.skipif(not Path(SEMGREP).exists(), reason="semgrep is not installed")
def test_rule_flags_a_bare_get_of_each_client_owned_model(tmp_path: Path) -> None:
    """Every client-owned model fetched bare in an API module, a view or a consumer is flagged; owned_or_404 is not."""
    names = _client_owned()
    app = tmp_path / "app"
    app.mkdir()
    (app / "api.py").write_text(_bad_module(names))
    (app / "consumers.py").write_text(_bad_module(names[:3]))
    (app / "views.py").write_text(GOOD)
    result = subprocess.run(
        [SEMGREP, "scan", "--config", str(RULE), "--metrics=off", "--disable-version-check", "--json", str(app)],
        env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    findings = json.loads(result.stdout)["results"]
    flagged = sorted((Path(f["path"]).name, f["start"]["line"]) for f in findings)
    expected = sorted([("api.py", 5 + i) for i in range(len(names))] + [("consumers.py", 5 + i) for i in range(3)])
    assert flagged == expected, result.stderr
