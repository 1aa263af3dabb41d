"""Notification pages: the person's own list (open one, mark all read) and their choices. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.core.actor import signed_in
from alongside.notify import naming, selectors, services
from alongside.notify.forms import PreferencesForm


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
    return render(request, "notify/preferences.html", {"form": form})
