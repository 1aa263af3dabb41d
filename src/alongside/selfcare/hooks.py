"""Where apps above self-care plug into it, filled from their ``AppConfig.ready()`` (self-care never imports them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alongside.selfcare.models import CheckIn

# Called in the saving transaction with each new check-in and the time (risk refreshes the client after commit).
CHECKIN_CREATED: list[Callable[[CheckIn, dt.datetime], object]] = []


def register[H](hooks: list[H], hook: H) -> None:
    """Add ``hook`` once (``ready()`` can run more than once in tests)."""
    if hook not in hooks:
        hooks.append(hook)
