"""System checks: a malformed master key stops start-up with a clear message."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def check_master_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from alongside.crypto.keys import known_master_keys

    try:
        known_master_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="alongside.E001")]
    return []
