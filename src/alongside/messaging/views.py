"""Messaging pages: the client's thread, the staff inbox, a client's thread for the team, search, settings.

Pages work without JavaScript (a form post and a reload); with it, thread.js sends and
receives over the WebSocket and falls back to the form when the socket is down.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import safety
from alongside.care.models import Membership
from alongside.care.views import admin_required, client_required, staff_required
from alongside.core.actor import signed_in
from alongside.core.practice_settings import office_hours
from alongside.messaging import erased, selectors, services
from alongside.messaging.models import MAX_ATTACHMENT_BYTES, MAX_BODY_CHARS
from alongside.safety.crisis_lines import resources_for_request
from alongside.safety.display import resource_rows
from alongside.safety.resources import fallback

logger = logging.getLogger("alongside.messaging")
SESSION_CRISIS = "messaging_crisis_shown"


def _crisis_rows(request: HttpRequest) -> list[Any]:
    """Crisis lines for the page; never raises (the notice must show whatever else fails)."""
    try:
        return resource_rows(resources_for_request(request))
    except Exception:
        logger.exception("messaging: crisis resources unavailable; showing the fallback")
        return resource_rows(fallback())


def _read_upload(request: HttpRequest) -> services.Upload | None:
    file = request.FILES.get("attachment")
    if file is None:
        return None
    if file.size is not None and file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Files can be up to 10 MB. This one is larger."))
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    return services.Upload(name=file.name or "", content_type=file.content_type or "", data=data)


def _entry_choices(request: HttpRequest, client_id: Any) -> list[tuple[str, str]]:
    """The client's recent entries to attach: value "kind:id", label with the date."""
    from alongside.messaging.entries import recent_entries

    return recent_entries(user=request.user, client_id=client_id)


def _post(request: HttpRequest, client_id: Any) -> tuple[bool, list[str]]:
    """Send the posted message; return (crisis language seen, errors).

    The service checks the message once; the page checks it here only when sending failed,
    so crisis language still shows the resources then, and a sent message is checked once.
    """
    body = request.POST.get("body", "")
    entry_kind, _sep, entry_id = request.POST.get("entry", "").partition(":")

    def crisis_seen() -> bool:
        return bool(getattr(request.user, "is_client", False) and safety.detect(body).show_resources)

    try:
        result = services.message_send(
            actor=signed_in(request.user),
            client_id=client_id,
            body=body,
            idempotency_key=request.POST.get("idempotency_key", ""),
            upload=_read_upload(request),
            entry_kind=entry_kind,
            entry_id=entry_id or None,
        )
    except (ValidationError, PermissionDenied) as error:
        return crisis_seen(), [str(m) for m in getattr(error, "messages", None) or [str(error)]]
    except Exception:
        if not crisis_seen():
            raise
        logger.exception("messaging: a message with crisis language could not be saved")
        return True, [_("Your message could not be sent. Please try again in a moment.")]
    return result.crisis, []


def _thread_page(request: HttpRequest, client_id: Any, *, template_base: str, extra: dict[str, Any]) -> HttpResponse:
    errors: list[str] = []
    crisis_now = bool(request.session.pop(SESSION_CRISIS, False))
    status = 200
    if request.method == "POST":
        crisis_now, errors = _post(request, client_id)
        if not errors:
            if crisis_now:
                request.session[SESSION_CRISIS] = True
            return redirect(request.path + "#composer")
        status = 429 if any("quickly" in e or "a lot of" in e for e in errors) else 400
    view = selectors.thread_view(actor=signed_in(request.user), client_id=client_id)
    if view.messages:
        services.thread_mark_read(actor=signed_in(request.user), client_id=client_id, seq=view.last_seq)
    context = {
        "view": view,
        "base": template_base,
        "errors": errors,
        "crisis_now": crisis_now,
        "crisis_rows": _crisis_rows(request),
        "find_helpline_url": "https://findahelpline.com",
        "idempotency_key": request.POST.get("idempotency_key") if errors else uuid.uuid4().hex,
        "body": request.POST.get("body", "") if errors else "",
        "max_body": MAX_BODY_CHARS,
        "entries": _entry_choices(request, client_id) if view.viewer_is_client else [],
        "ws_path": f"/ws/messages/{view.client.pk}/",
        **extra,
    }
    return render(request, "messaging/thread.html", context, status=status)


@client_required
@require_http_methods(["GET", "POST"])
def client_thread(request: HttpRequest) -> HttpResponse:
    """The client's conversation with their care team."""
    return _thread_page(request, request.user.pk, template_base="web/layout_client.html", extra={})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_thread(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """A client's conversation, for a clinician on their care team."""
    try:
        return _thread_page(
            request,
            client_id,
            template_base="web/layout_staff.html",
            extra={"membership": membership, "practice": membership.practice, "missed_link": True},
        )
    except selectors.MessagingOff as off:
        return render(
            request,
            "messaging/off.html",
            {"membership": membership, "practice": membership.practice, "reason": str(off), "client_id": client_id},
            status=403,
        )


@staff_required
def inbox(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The staff member's threads: awaiting a reply first, then the newest."""
    rows = selectors.inbox_for_staff(actor=signed_in(request.user))
    has_erased = erased.has_erased_threads(actor=request.user, membership=membership)  # type: ignore[arg-type]
    return render(
        request,
        "messaging/inbox.html",
        {"membership": membership, "practice": membership.practice, "rows": rows, "has_erased": has_erased},
    )


@staff_required
def search(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Search the messages of the staff member's own care-team clients."""
    query = request.GET.get("q", "").strip()[:200]
    hits = selectors.threads_search(actor=signed_in(request.user), query=query) if query else []
    return render(
        request,
        "messaging/search.html",
        {"membership": membership, "practice": membership.practice, "query": query, "hits": hits},
    )


@require_http_methods(["GET"])
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    """Download an attachment (the client or their care team); never rendered inline as a page."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    item, data = selectors.attachment_open(actor=request.user, attachment_id=attachment_id)
    response = HttpResponse(data, content_type=item.content_type)
    inline = item.content_type.startswith("image/") and request.GET.get("inline") == "1"
    disposition = "inline" if inline else "attachment"
    safe_name = "".join(ch for ch in item.filename if ch.isalnum() or ch in "._- ")[:100] or "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@admin_required
@require_http_methods(["GET", "POST"])
def practice_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Office hours and the expected reply time, shown to clients before they send."""
    current = office_hours(membership.practice_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.messaging_settings_set(
                actor=signed_in(request.user),
                practice_id=membership.practice_id,
                office_days=[int(d) for d in request.POST.getlist("office_days")],
                opens_at=dt.time.fromisoformat(request.POST.get("opens_at", "")),
                closes_at=dt.time.fromisoformat(request.POST.get("closes_at", "")),
                reply_within_hours=int(request.POST.get("reply_within_hours", "")),
            )
        except (ValueError, TypeError):
            errors.append(_("Enter times as HH:MM and the reply time as a whole number of hours."))
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            flash.success(request, _("Messaging settings saved."))
            return redirect("messaging:office_hours")
    days = [
        (1, _("Monday")),
        (2, _("Tuesday")),
        (3, _("Wednesday")),
        (4, _("Thursday")),
        (5, _("Friday")),
        (6, _("Saturday")),
        (7, _("Sunday")),
    ]
    return render(
        request,
        "messaging/settings.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "current": current,
            "days": days,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """/messages/: the client's thread, or the staff inbox."""
    if getattr(request.user, "is_client", False):
        return redirect("messaging:client_thread")
    return redirect("messaging:inbox")


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("thread/", client_thread, name="client_thread"),
    path("inbox/", inbox, name="inbox"),
    path("search/", search, name="search"),
    path("settings/", practice_settings, name="office_hours"),
    path("clients/<uuid:client_id>/", staff_thread, name="staff_thread"),
    path("attachments/<uuid:attachment_id>/", attachment, name="attachment"),
]
