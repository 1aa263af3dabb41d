"""Notification pages: the person's own list (open one, mark all read) and their choices. Thin views."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alongside.core.actor import signed_in
from alongside.notify import naming, selectors, services, webpush
from alongside.notify.forms import PreferencesForm
from alongside.notify.models import PushSubscription


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first; unread ones marked."""
    notices = list(selectors.notifications_for(user=request.user))
    titles = naming.titles_for(request.user, notices)
    rows = [(notice, titles[notice.pk]) for notice in notices]
    return render(
        request,
        "notify/list.html",
        {"notices": notices, "rows": rows, "unread": sum(1 for n in notices if n.read_at is None)},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Mark one of the person's own notices read and go to what it points at (404 for anyone else's)."""
    notice = services.notification_mark_read(actor=signed_in(request.user), notification_id=notification_id)
    return redirect(notice.link)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all the person's notices read."""
    services.notifications_mark_all_read(actor=signed_in(request.user))
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notify:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose, per kind, in-app and email notifications. Alerts are always on."""
    choices = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=signed_in(request.user), choices=form.cleaned_choices())
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "push_key": settings.ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY if webpush.enabled() else "",
            "push_devices": PushSubscription.objects.filter(user=signed_in(request.user)).only("device", "created_at"),
        },
    )


class _Keys(BaseModel):
    model_config = ConfigDict(extra="ignore")

    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)


class _Subscription(BaseModel):
    """What the browser's ``PushSubscription.toJSON()`` gives, and a device name; nothing else is kept."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(max_length=2000)
    keys: _Keys | None = None
    device: str = Field(default="", max_length=200)


def _subscription(request: HttpRequest) -> _Subscription | None:
    try:
        return _Subscription.model_validate(json.loads(request.body or b"{}"))
    except (ValueError, ValidationError):
        return None


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Turn on content-free notices for this device (JSON from the page's script)."""
    data = _subscription(request)
    if not webpush.enabled():
        return JsonResponse({"error": _("Notifications on devices are not set up on this server.")}, status=404)
    if data is None or data.keys is None:
        return JsonResponse({"error": _("This browser sent a subscription Alongside cannot use.")}, status=400)
    try:
        services.push_subscription_save(
            actor=signed_in(request.user),
            endpoint=data.endpoint,
            p256dh=data.keys.p256dh,
            auth=data.keys.auth,
            device=data.device,
        )
    except services.PushSubscriptionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """Turn off notices for this device."""
    data = _subscription(request)
    if data is None:
        return JsonResponse({"error": _("This browser sent a subscription Alongside cannot use.")}, status=400)
    removed = services.push_subscription_remove(actor=signed_in(request.user), endpoint=data.endpoint)
    return JsonResponse({"ok": removed})
