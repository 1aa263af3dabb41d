from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alongside.dashboards.contributions import badges_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Tell layouts whether the viewer is staff or a client."""
    user = getattr(request, "user", None)
    is_client = bool(user and user.is_authenticated and getattr(user, "is_client", False))
    is_staff = bool(user and user.is_authenticated and not is_client)
    layout = "web/layout_client.html" if is_client else "web/layout_staff.html" if is_staff else "web/base.html"
    audience = "client" if is_client else "staff" if is_staff else ""
    badges = badges_for(user, audience) if audience else []
    return {"shell_is_client": is_client, "shell_is_staff": is_staff, "shell_layout": layout, "shell_badges": badges}
