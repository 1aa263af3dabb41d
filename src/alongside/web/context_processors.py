from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """Tell layouts whether the viewer is staff or a client."""
    user = getattr(request, "user", None)
    is_client = bool(user and user.is_authenticated and getattr(user, "is_client", False))
    return {"shell_is_client": is_client, "shell_is_staff": bool(user and user.is_authenticated and not is_client)}
