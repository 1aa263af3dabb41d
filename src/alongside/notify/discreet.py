"""People whose emails must not even say what the site is for (a client in discreet mode).

Apps above notify register a check here (the app library registers its display modes), because notify cannot
import them. A person any check answers True for gets the neutral email below instead of the kind's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

_checks: list[Callable[[Any], bool]] = []


def register(check: Callable[[Any], bool]) -> None:
    """Add a check that says whether a person wants content-free, unbranded emails (registering twice is a no-op)."""
    if check not in _checks:
        _checks.append(check)


def wanted(person: Any) -> bool:
    return any(check(person) for check in _checks)


def neutral_text() -> tuple[str, str]:
    """Subject and body with no site name, no kind and no content."""
    return _("You have an update"), _("Sign in to see it.")
