from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from alongside.dashboards.contributions import badges_for
from alongside.wearables.page_parts import shares_body_data

# The staff pages about one client that form its workspace, by URL name: the tab each one is.
WORKSPACE_TABS = {
    "measures:progress": "measures",
    "selfcare:client_checkins": "checkins",
    "selfcare:staff_exercises": "exercises",
    "selfcare:staff_homework": "homework",
    "messaging:staff_thread": "messages",
    "sessions:client": "sessions",
    "sessions:brief": "brief",
    "applibrary:client_apps": "apps",
    "records:client_notes": "notes",
    "records:plan": "plan",
}


def _workspace(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or "client_id" not in match.kwargs:
        # Always set, so the layout never looks up a missing name (Django logs such misses with the whole context).
        return {"workspace_tab": None, "workspace_body_data": False}
    # Asked only when the tabs are drawn; the page's own access check has usually remembered the grant already.
    body_data = partial(shares_body_data, request.user, match.kwargs["client_id"])
    if match.view_name not in WORKSPACE_TABS:
        return {"workspace_tab": None, "workspace_body_data": body_data}
    tab = WORKSPACE_TABS[match.view_name]
    return {"workspace_tab": tab, "workspace_client_id": match.kwargs["client_id"], "workspace_body_data": body_data}


def shell(request: HttpRequest) -> dict[str, Any]:
    """Tell layouts whether the viewer is staff or a client."""
    user = getattr(request, "user", None)
    is_client = bool(user and user.is_authenticated and getattr(user, "is_client", False))
    is_staff = bool(user and user.is_authenticated and not is_client)
    layout = "web/layout_client.html" if is_client else "web/layout_staff.html" if is_staff else "web/base.html"
    audience = "client" if is_client else "staff" if is_staff else ""
    badges = badges_for(user, audience) if audience else []
    shell = {"shell_is_client": is_client, "shell_is_staff": is_staff, "shell_layout": layout, "shell_badges": badges}
    return {**shell, **(_workspace(request) if is_staff else {})}
