"""Self-care pages: checkins. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.care.models import Membership
from alongside.care.views import client_required, staff_required
from alongside.core import page_parts
from alongside.core.actor import signed_in
from alongside.selfcare import selectors, services
from alongside.selfcare.checkin_chart import imported_table, mood_chart

View = Callable[..., HttpResponse]

MOOD_WORDS = {0: gettext_lazy("very low"), 10: gettext_lazy("very good")}
SLEEP_WORDS = {0: gettext_lazy("very poor"), 10: gettext_lazy("very good")}


def _number(raw: str) -> int | str:
    """Turn form text into an int; anything else goes on as text so validation names the field."""
    try:
        return int(raw)
    except ValueError:
        return raw


def _fields(post: QueryDict) -> dict[str, Any]:
    """Map the form to the service's fields; an empty optional part is left out."""
    fields: dict[str, Any] = {"mood": _number(post.get("mood", ""))} if post.get("mood", "") != "" else {}
    emotions = [
        {"name": name, "intensity": _number(post.get(f"intensity_{name}", "") or "5")}
        for name in post.getlist("emotion")
    ]
    if emotions:
        fields["emotions"] = emotions
    if post.get("sleep_quality"):
        fields["sleep_quality"] = _number(post.get("sleep_quality", ""))
    if post.get("sleep_hours"):
        fields["sleep_hours"] = post.get("sleep_hours", "").replace(",", ".")
    if post.getlist("activity"):
        fields["activities"] = post.getlist("activity")
    if post.get("note", "").strip():
        fields["note"] = post.get("note", "")
    return fields


@client_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """Check in: a mood from 0 to 10, and optionally emotions, sleep, activities and a note."""
    errors: list[str] = []
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method == "POST":
        try:
            services.checkin_create(
                actor=signed_in(request.user), client=request.user.pk, idempotency_key=key, **_fields(request.POST)
            )
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("Thank you. Your check-in is saved."))
            return redirect("selfcare:checkins")
    return render(
        request,
        "selfcare/checkins/checkin.html",
        {
            "errors": errors,
            "idempotency_key": key,
            "moods": range(11),
            "mood_words": MOOD_WORDS,
            "sleep_words": SLEEP_WORDS,
            "emotions": services.EMOTIONS.items(),
            "activities": services.ACTIVITIES.items(),
            "posted": request.POST,
        },
        status=422 if errors else 200,
    )


def _month(request: HttpRequest, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def _imported(request: HttpRequest, client_id: uuid.UUID, since: dt.date) -> list[page_parts.MoodEntry]:
    """Mood entries other apps registered for this client (imports), each read through its app's selector."""
    found: list[page_parts.MoodEntry] = []
    for source in page_parts.mood_sources():
        found.extend(source.entries(signed_in(request.user), client_id, since))
    return sorted(found, key=lambda entry: entry.day)


def _history_context(
    request: HttpRequest, rows: list[selectors.CheckInView], today: dt.date, client_id: uuid.UUID
) -> dict[str, Any]:
    year, month = _month(request, today)
    since = today - dt.timedelta(days=89)
    recent = [r for r in rows if r.local_date >= since]
    imported = _imported(request, client_id, since)
    return {
        "calendar": selectors.checkin_calendar(rows, year=year, month=month),
        "chart": mood_chart([(r.local_date, r.mood) for r in reversed(recent)], imported=imported),
        "imported_table": imported_table(imported),
        "rows": rows[:60],
        "today": today,
    }


@client_required
def checkins(request: HttpRequest) -> HttpResponse:
    """Show the client's own check-ins: a month calendar, a chart with their average, and a list."""
    rows = selectors.checkins_own(user=request.user)
    today = selectors.checkin_today(user=request.user)
    context = _history_context(request, rows, today, uuid.UUID(str(request.user.pk)))
    return render(request, "selfcare/checkins/history.html", context)


@staff_required
def client_checkins(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Show a client's check-ins to their care team, while the client shares their mood (MOOD)."""
    seen = selectors.mood_client(user=request.user, client_id=client_id)
    context: dict[str, Any] = {"client": seen.client, "shares": seen.shares_mood, "shares_notes": seen.shares_notes}
    if seen.shares_mood:
        rows = selectors.checkins_for(user=request.user, client_id=client_id)
        today = selectors.client_today(seen.client)
        context.update(_history_context(request, rows, today, seen.client.pk))
    return render(request, "selfcare/checkins/staff.html", {"membership": membership, **context})


urlpatterns: list[URLPattern] = [
    path("checkin/", checkin, name="checkin"),
    path("checkins/", checkins, name="checkins"),
    path("clients/<uuid:client_id>/checkins/", client_checkins, name="client_checkins"),
]
