"""The signed-in client's display modes, for every page: body classes and the discreet name and icon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alongside.applibrary.selectors import own_modes


def modes(request: HttpRequest) -> dict[str, Any]:
    """Add ``mode_classes``, ``mode_discreet`` and ``mode_low_bandwidth`` (all off for staff and visitors)."""
    user = getattr(request, "user", None)
    found = own_modes(user=user) if user is not None and getattr(user, "is_client", False) else None
    return {
        "mode_classes": found.classes if found else "",
        "mode_discreet": bool(found and found.discreet),
        "mode_low_bandwidth": bool(found and found.low_bandwidth),
        "mode_paper": bool(found and found.paper_pack),
    }
