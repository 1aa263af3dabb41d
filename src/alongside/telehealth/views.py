"""Video session pages: the list of today's sessions and one appointment's room. Thin views."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alongside.care import selectors as care_selectors
from alongside.telehealth import selectors
from alongside.telehealth.models import Role


def _layout(request: HttpRequest) -> dict[str, object]:
    if getattr(request.user, "is_client", False):
        return {"base": "web/layout_client.html"}
    membership = care_selectors.membership_for(user=request.user)
    return {
        "base": "web/layout_staff.html",
        "membership": membership,
        "practice": membership.practice if membership else None,
    }


ROOM_FEATURES = {"camera": ["self"], "microphone": ["self"], "display-capture": ["self"]}


@login_required
@require_GET
def sessions_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's video sessions of today and tomorrow, each with its Join link."""
    rows = selectors.video_sessions_today(actor=request.user)
    return render(request, "telehealth/list.html", {**_layout(request), "rows": rows})


@login_required
@require_GET
def room(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """One appointment's room: the device check, the waiting room and the call (404 for anyone else)."""
    entry = selectors.room_access(actor=request.user, appointment_id=appointment_id)
    context = {
        **_layout(request),
        "entry": entry,
        "is_clinician": entry.role == Role.CLINICIAN,
        "ws_path": f"/ws/telehealth/{entry.appointment.pk}/",
    }
    response = render(request, "telehealth/room.html", context)
    # Opt this page in to the features the site-wide Permissions-Policy denies (read by
    # alongside.web.middleware.PermissionsPolicyMiddleware, which sits above this app).
    response.permissions_policy = ROOM_FEATURES  # type: ignore[attr-defined]
    return response
