"""Psychoeducation modules: Markdown files in ``content/<lang>/<slug>.md`` with a small front matter.

Every module must exist in every language we ship (``validate`` and a test check it). The
front matter is ``key: value`` lines between ``---`` fences: ``title``, ``summary``, ``minutes``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from alongside.selfcare import markup

CONTENT = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
SLUGS = (
    "the-cbt-model",
    "depression-and-activity",
    "anxiety-and-avoidance",
    "the-panic-cycle",
    "worry",
    "sleep",
    "thinking-traps",
    "what-to-do-in-a-crisis",
    "preparing-for-a-session",
)
REQUIRED = ("title", "summary", "minutes")


class ModuleError(ValueError):
    """A module file is missing or malformed."""


@dataclass(frozen=True)
class Module:
    slug: str
    language: str
    title: str
    summary: str
    minutes: int
    body: str

    def html(self) -> SafeString:
        return markup.render(self.body)


def parse(slug: str, language: str, text: str) -> Module:
    """Parse a module file's text; raise ModuleError when the front matter is incomplete."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in [line.strip() for line in lines[1:]]:
        raise ModuleError(f"{language}/{slug}: no front matter")
    end = [line.strip() for line in lines].index("---", 1)
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise ModuleError(f"{language}/{slug}: missing {', '.join(missing)}")
    try:
        minutes = int(meta["minutes"])
    except ValueError:
        raise ModuleError(f"{language}/{slug}: minutes is not a number") from None
    body = "\n".join(lines[end + 1 :]).strip()
    return Module(slug, language, meta["title"], meta["summary"], minutes, body)


@functools.cache
def load(slug: str, language: str) -> Module:
    """Load one module in one language; raise ModuleError when it is not there."""
    if slug not in SLUGS or language not in LANGUAGES:
        raise ModuleError(f"{language}/{slug}: unknown module")
    path = CONTENT / language / f"{slug}.md"
    if not path.is_file():
        raise ModuleError(f"{language}/{slug}: file missing")
    return parse(slug, language, path.read_text(encoding="utf-8"))


def current_language() -> str:
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def get(slug: str, language: str | None = None) -> Module:
    """Return a module in ``language`` (default: the active one); raise ModuleError for an unknown slug."""
    return load(slug, language or current_language())


def all_modules(language: str | None = None) -> list[Module]:
    return [get(slug, language) for slug in SLUGS]


def validate() -> list[str]:
    """Return every problem with the content: a module missing or malformed in any language."""
    problems: list[str] = []
    for slug in SLUGS:
        for language in LANGUAGES:
            try:
                load(slug, language)
            except ModuleError as error:
                problems.append(str(error))
    return problems
