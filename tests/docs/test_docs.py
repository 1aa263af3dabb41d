"""Documentation is tested: an undocumented setting or command fails the suite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "alongside" / "settings.py"
CONFIGURATION = ROOT / "docs" / "operators" / "configuration.md"
COMMANDS = ROOT / "docs" / "commands.md"
README = ROOT / "README.md"

ENV_CALL = re.compile(r"""\benv_(?:str|bool|int|list|secret)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def environment_settings() -> list[str]:
    """Return every environment variable settings.py reads through its typed helpers."""
    return sorted(set(ENV_CALL.findall(SETTINGS.read_text(encoding="utf-8"))))


def management_commands() -> list[str]:
    """Return the names of our own management commands (src/alongside/*/management/commands/*.py)."""
    paths = (ROOT / "src" / "alongside").glob("*/management/commands/*.py")
    return sorted(p.stem for p in paths if not p.stem.startswith("_"))


def test_the_settings_parser_finds_the_settings():
    """Guard the guard: the parser must see the settings we know are there."""
    found = environment_settings()
    for name in ("DATABASE_URL", "SECRET_KEY", "ALONGSIDE_MASTER_KEY", "DEBUG", "REDIS_URL", "ALLOWED_HOSTS"):
        assert name in found


def test_the_command_finder_finds_the_commands():
    assert {"demo", "otp", "serve", "synth"} <= set(management_commands())


@pytest.mark.parametrize("name", environment_settings())
def test_every_environment_setting_is_documented(name):
    """Each variable settings.py reads has its own entry in the operators' configuration page."""
    text = CONFIGURATION.read_text(encoding="utf-8")
    assert re.search(rf"^#+ `{name}`\s*$", text, re.MULTILINE), (
        f"{name} is read in settings.py but has no '### `{name}`' entry in {CONFIGURATION.relative_to(ROOT)}"
    )


@pytest.mark.parametrize("name", management_commands())
def test_every_management_command_is_documented(name):
    """Each of our management commands has its own section in docs/commands.md."""
    text = COMMANDS.read_text(encoding="utf-8")
    assert re.search(rf"^#+ `alongside {name}\b[^`]*`", text, re.MULTILINE), (
        f"`alongside {name}` exists but docs/commands.md has no '## `alongside {name} ...`' section"
    )


def test_configuration_page_documents_no_setting_that_does_not_exist():
    """A setting removed from settings.py must leave the documentation too."""
    documented = re.findall(r"^### `([A-Z][A-Z0-9_]*)`\s*$", CONFIGURATION.read_text(encoding="utf-8"), re.MULTILINE)
    stale = sorted(set(documented) - set(environment_settings()))
    assert not stale, f"documented but not read in settings.py: {stale}"


def test_readme_starts_with_make_demo_and_make_test():
    """A newcomer's first screen shows the two commands that matter."""
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```[a-z]*\n(.*?)```", text, re.DOTALL)
    assert first_block is not None
    assert first_block.group(1).split() == ["make", "demo", "make", "test"]
    assert text.index("```") < 600, "the commands should come first, not after a long introduction"


def test_readme_names_the_demo_logins():
    """The README names the same logins that the demo seeds."""
    from alongside.synth.config import SynthConfig

    config = SynthConfig()
    text = README.read_text(encoding="utf-8")
    for email in config.staff_emails:
        assert email in text
    assert config.password in text
    assert "alongside otp" in text


def test_documentation_links_resolve():
    """Relative links between our Markdown pages point at files that exist."""
    broken = []
    for page in [README, *(ROOT / "docs").rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken
