"""Video session pages: the list of today's sessions and one appointment's room. Thin views."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from alongside.care import selectors as care_selectors
from alongside.core.actor import signed_in
from alongside.telehealth import calendar, selectors
from alongside.telehealth.models import Role
from alongside.telehealth.services import feeds


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
    rows = selectors.video_sessions_today(actor=signed_in(request.user))
    return render(request, "telehealth/list.html", {**_layout(request), "rows": rows})


@login_required
@require_GET
def room(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """One appointment's room: the device check, the waiting room and the call (404 for anyone else)."""
    entry = selectors.room_access(actor=signed_in(request.user), appointment_id=appointment_id)
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


@login_required
@require_http_methods(["GET", "POST"])
def calendar_link(request: HttpRequest) -> HttpResponse:
    """The person's private calendar link: make one (replacing the old), or revoke it."""
    token = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.feed_revoke(actor=signed_in(request.user))
        else:
            _feed, token = feeds.feed_create(actor=signed_in(request.user))
    live = calendar.has_live_feed(request.user)
    url = request.build_absolute_uri(f"/telehealth/calendar/{token}.ics") if token else ""
    return render(request, "telehealth/calendar.html", {**_layout(request), "live": live, "url": url})


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a private link (no sign-in: the token is the key); 404 once revoked."""
    feed = calendar.live_feed(token)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    body = calendar.feed_ics(feed=feed, base_url=request.build_absolute_uri("/"))
    feeds.feed_touch(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alongside.ics"'
    return response
