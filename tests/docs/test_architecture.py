"""The architecture page keeps up with the layer contract that `make lint` enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "developers" / "architecture.md"


def _contract_apps() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["id"] == "layers")["layers"]
    return {name.strip("() ") for line in layers for name in re.split(r"[|:]", line)}


def test_the_contract_names_the_apps() -> None:
    """The parser finds the layers (so the test below cannot pass by reading nothing)."""
    apps = _contract_apps()
    assert {"core", "care", "measures", "dashboards", "synth"} <= apps


def test_every_app_in_the_layer_contract_has_a_section() -> None:
    """Each app named in the import-linter layers has a "### <app>" section in architecture.md."""
    sections = set(re.findall(r"^### (\w+)\s*$", PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE))
    missing = sorted(_contract_apps() - sections)
    assert not missing, f"docs/developers/architecture.md has no section for: {', '.join(missing)}"


def test_every_app_package_is_in_the_layer_contract() -> None:
    """A new app under src/alongside must be placed in a layer (else lint-imports would not check it)."""
    src = ROOT / "src" / "alongside"
    packages = {p.name for p in src.iterdir() if (p / "__init__.py").exists() and p.name not in {"locale"}}
    missing = sorted(packages - _contract_apps())
    assert not missing, f"not in the layer contract in pyproject.toml: {', '.join(missing)}"
