"""The treatment plan pages: the plan with its versions and reviews, a new version, a review (suitability revisited)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError as PydanticError

from alongside.applibrary.suitability import review_summary
from alongside.care.models import Membership
from alongside.care.views import practice_render, staff_required
from alongside.core.actor import SignedIn, signed_in
from alongside.records import selectors, services
from alongside.records.forms import GOAL_ROWS, OBJECTIVE_ROWS, PlanForm, ReviewForm
from alongside.records.plans import STATUS_LABELS, instrument_names


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    """A goal or objective as stored (ISO dates), with its date as a date and its status in words."""
    on = row.get("target_date")
    status = STATUS_LABELS.get(row.get("status", "open"))
    return {**row, "target_date": dt.date.fromisoformat(on) if on else None, "status_label": status}


def _objectives(actor: SignedIn, page: selectors.PlanPage) -> list[dict[str, Any]]:
    """The current plan's objectives, each with the latest score of its measure and whether it is under target."""
    content = (page.current.content or {}) if page.current else {}
    objectives = content.get("objectives", [])
    wanted = {o["instrument"] for o in objectives if o.get("instrument")}
    latest = selectors.latest_totals(actor=actor, client=page.client, instruments=wanted)
    names = instrument_names()
    rows = []
    for objective in objectives:
        score = latest.get(objective.get("instrument", ""))
        target = objective.get("target_below")
        reached = None if score is None or score.total is None or target is None else score.total < target
        measure = names.get(objective.get("instrument", ""), "")
        rows.append({**_dated(objective), "measure": measure, "score": score, "reached": reached})
    return rows


@staff_required
@require_http_methods(["GET"])
def plan(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    page = selectors.plan_page(actor=actor, client_id=client_id)
    content = (page.current.content or {}) if page.current else {}
    goals = [_dated(g) for g in content.get("goals", [])]
    context = {
        "client": page.client,
        "page": page,
        "content": content,
        "goals": goals,
        "objectives": _objectives(actor, page),
        "today": timezone.localdate(),
    }
    return practice_render(request, membership, "records/plan.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    page = selectors.plan_page(actor=actor, client_id=client_id)
    content = (page.current.content or {}) if page.current else {}
    rows = {
        "goal_rows": max(GOAL_ROWS, len(content.get("goals", [])) + 1),
        "objective_rows": max(OBJECTIVE_ROWS, len(content.get("objectives", [])) + 1),
    }
    review_on = page.current.review_on if page.current else timezone.localdate() + dt.timedelta(weeks=12)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(content, review_on), **rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(
                actor=actor, client=page.client, content=form.to_content(), review_on=form.cleaned_data["review_on"]
            )
        except PydanticError as error:
            form.add_error(None, "; ".join(str(e["msg"]) for e in error.errors()))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Treatment plan saved as a new version."))
            return redirect("records:plan", client_id=page.client.pk)
    context = {
        "client": page.client,
        "page": page,
        "form": form,
        "goal_fieldsets": form.rows("goal"),
        "objective_fieldsets": form.rows("objective"),
    }
    return practice_render(request, membership, "records/plan_edit.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    actor = signed_in(request.user)
    page = selectors.plan_page(actor=actor, client_id=client_id)
    check = selectors.readiness_for_review(actor=actor, client=page.client)
    due = page.review_due_on or timezone.localdate()
    initial = {"next_review_on": max(due, timezone.localdate()) + dt.timedelta(weeks=12)}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_review(
                actor=actor,
                client=page.client,
                next_review_on=data["next_review_on"],
                suitability=data["suitability"],
                readiness_check_id=check.pk if check else None,
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Plan review recorded."))
            if data["suitability"] == "new_check":
                return redirect("applibrary:client_readiness", client_id=page.client.pk)
            return redirect("records:plan", client_id=page.client.pk)
    context = {"client": page.client, "page": page, "form": form, **review_summary(check)}
    return practice_render(request, membership, "records/plan_review.html", context)


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/plan/", plan, name="plan"),
    path("clients/<uuid:client_id>/plan/edit/", plan_edit, name="plan_edit"),
    path("clients/<uuid:client_id>/plan/review/", plan_review, name="plan_review"),
]
