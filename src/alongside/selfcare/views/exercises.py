"""Self-care pages: CBT exercises. Thin views: reads through selectors, writes through services.

Every step is a plain form POST that saves the draft, so exercises work without
JavaScript and a client can leave at any point and carry on where they stopped. An
optional ES module autosaves a step as the client types (same POST, ``nav=autosave``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import client_required, staff_required
from alongside.core.actor import signed_in
from alongside.selfcare.models import EntryStatus, ExerciseEntry, ExerciseType
from alongside.selfcare.schemas import THINKING_TRAPS
from alongside.selfcare.selectors import exercises as selectors
from alongside.selfcare.services import exercises as services
from alongside.selfcare.services import practice as practice_services
from alongside.selfcare.views import exercise_steps as steps

View = Callable[..., HttpResponse]

DESCRIPTIONS = {
    ExerciseType.THOUGHT_RECORD: gettext_lazy(
        "Notice a thought that upset you, weigh it up and find a more balanced view."
    ),
    ExerciseType.BEHAVIOURAL_ACTIVATION: gettext_lazy(
        "Plan activities for the week and see which ones lift your mood."
    ),
    ExerciseType.EXPOSURE_HIERARCHY: gettext_lazy(
        "Build a ladder of feared situations and practise them step by step."
    ),
    ExerciseType.PROBLEM_SOLVING: gettext_lazy("Break a problem down, weigh up solutions, make a plan and review it."),
}


def _key() -> str:
    return uuid.uuid4().hex


def _trap_names() -> dict[str, str]:
    return {str(t): str(name) for t, (name, _why) in THINKING_TRAPS.items()}


def _summary_context(entry: ExerciseEntry, logs: list[Any] | None = None) -> dict[str, Any]:
    """What the summary partial of each exercise type needs (shared by the client and staff pages)."""
    context: dict[str, Any] = {"entry": entry, "data": services.data_of(entry), "trap_names": _trap_names()}
    if entry.kind == ExerciseType.EXPOSURE_HIERARCHY:
        context["ladder"] = selectors.habituation(entry, logs)
    elif entry.kind == ExerciseType.BEHAVIOURAL_ACTIVATION:
        week = selectors.activity_week(entry, logs)
        context["week"] = week
        context["lifted"] = selectors.what_lifted(week)
        context["days"] = dict(enumerate(steps.DAYS))
    elif entry.kind == ExerciseType.PROBLEM_SOLVING:
        context["chosen"] = next(
            (o for o in services.data_of(entry).get("options", []) if o["id"] == services.data_of(entry).get("chosen")),
            None,
        )
    return context


# --- Client pages ----------------------------------------------------------------------------


@client_required
@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    """The client's exercises (drafts first) and a way to start each kind."""
    entries = selectors.entries_own(user=request.user)
    kinds = [
        {"value": k, "label": label, "description": DESCRIPTIONS[ExerciseType(k)], "key": _key()}
        for k, label in ExerciseType.choices
    ]
    return render(
        request,
        "selfcare/exercises/list.html",
        {
            "drafts": selectors.drafts_deduplicated(entries),
            "done": [e for e in entries if e.status == EntryStatus.COMPLETE],
            "kinds": kinds,
        },
    )


@client_required
@require_POST
def exercise_start(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a draft of ``kind`` (the form's key makes a double submit harmless) and open its first step."""
    if kind not in ExerciseType.values:
        raise Http404("No such exercise.")
    blank = selectors.blank_draft_of(user=request.user, kind=kind)
    if blank is not None:  # carry on with the empty one rather than pile up identical drafts (issue #14)
        return redirect("selfcare:exercise_step", blank.pk, steps.steps_of(kind)[0].slug)
    try:
        entry = services.entry_create(
            actor=signed_in(request.user), kind=kind, idempotency_key=request.POST.get("key", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("selfcare:exercises")
    return redirect("selfcare:exercise_step", entry.pk, steps.steps_of(kind)[0].slug)


@client_required
@require_GET
def exercise_resume(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Carry on with a draft where it stopped; a finished exercise opens its summary."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    if entry.status == EntryStatus.COMPLETE or all(
        not steps.is_empty(s, services.data_of(entry)) for s in steps.steps_of(entry.kind)
    ):
        return redirect("selfcare:exercise", entry.pk)
    return redirect("selfcare:exercise_step", entry.pk, steps.resume_step(entry.kind, services.data_of(entry)).slug)


@client_required
@require_http_methods(["GET", "POST"])
def exercise_step(request: HttpRequest, entry_id: uuid.UUID, step: str) -> HttpResponse:
    """One step of an exercise. Every POST saves the draft; Next, Back and Save and leave then move on."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    current = steps.step_of(entry.kind, step)
    if current is None:
        raise Http404("No such step.")
    all_steps = steps.steps_of(entry.kind)
    index = all_steps.index(current)
    data: dict[str, Any] = services.data_of(entry)
    errors: list[str] = []
    if request.method == "POST":
        data = steps.parse(current, request.POST, services.data_of(entry))
        nav = request.POST.get("nav", "next")
        try:
            services.entry_update(actor=signed_in(request.user), entry_id=entry.pk, data=data, step=current.slug)
        except ValidationError as error:
            errors = list(error.messages)
            if nav == "autosave":
                return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
        else:
            if nav == "autosave":
                return HttpResponse(status=204)
            if nav == "back" and index > 0:
                return redirect("selfcare:exercise_step", entry.pk, all_steps[index - 1].slug)
            if nav == "leave":
                messages.success(request, _("Your draft is saved. You can carry on any time."))
                return redirect("selfcare:exercises")
            if index + 1 < len(all_steps):
                return redirect("selfcare:exercise_step", entry.pk, all_steps[index + 1].slug)
            return redirect("selfcare:exercise", entry.pk)
    return render(
        request,
        "selfcare/exercises/step.html",
        {
            "entry": entry,
            "step": current,
            "position": index + 1,
            "count": len(all_steps),
            "widgets": steps.widgets(current, data),
            "errors": errors,
            "is_first": index == 0,
            "is_last": index + 1 == len(all_steps),
        },
        status=400 if errors else 200,
    )


@client_required
@require_GET
def exercise_detail(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """The whole exercise: review and finish a draft; log practices of a ladder or an activity plan."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    return _detail(request, entry)


def _detail(
    request: HttpRequest, entry: ExerciseEntry, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    context = _summary_context(entry)
    context.update(
        {
            "steps": steps.steps_of(entry.kind),
            "errors": errors or [],
            "key": _key(),
            "is_draft": entry.status == EntryStatus.DRAFT,
            "can_practise": entry.kind in {ExerciseType.EXPOSURE_HIERARCHY, ExerciseType.BEHAVIOURAL_ACTIVATION},
        }
    )
    return render(request, "selfcare/exercises/detail.html", context, status=status)


@client_required
@require_POST
def exercise_finish(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Mark the exercise complete; missing parts are listed and nothing changes."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    try:
        services.entry_complete(actor=signed_in(request.user), entry_id=entry.pk)
    except ValidationError as error:
        return _detail(request, entry, list(error.messages), status=400)
    messages.success(request, _("Well done: your exercise is complete."))
    return redirect("selfcare:exercise", entry.pk)


@client_required
@require_POST
def exercise_move(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Move a ladder step (or planned activity) one place up or down."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    key = "steps" if entry.kind == ExerciseType.EXPOSURE_HIERARCHY else "activities"
    items = list(services.data_of(entry).get(key, []))
    ids = [item["id"] for item in items]
    step_id = request.POST.get("step_id", "")
    if step_id not in ids:
        raise Http404("No such step.")
    i = ids.index(step_id)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        try:
            services.entry_update(
                actor=signed_in(request.user),
                entry_id=entry.pk,
                data={**services.data_of(entry), key: items},
                step="move",
            )
        except ValidationError as error:
            return _detail(request, entry, list(error.messages), status=400)
    return redirect(reverse("selfcare:exercise", args=[entry.pk]) + f"#step-{step_id}")


@client_required
@require_POST
def exercise_practice(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Log one exposure practice (SUDS before, peak, after) or one planned activity (done, mastery, pleasure)."""
    entry = selectors.entry_own(user=request.user, entry_id=entry_id)
    post = request.POST
    try:
        if entry.kind == ExerciseType.EXPOSURE_HIERARCHY:
            practice_services.exposure_log_create(
                actor=signed_in(request.user),
                entry_id=entry.pk,
                step_id=post.get("step_id", ""),
                rating_before=steps.number(post.get("rating_before")),
                rating_peak=steps.number(post.get("rating_peak")),
                rating_after=steps.number(post.get("rating_after")),
                note=post.get("note", ""),
                idempotency_key=post.get("key", ""),
            )
        elif entry.kind == ExerciseType.BEHAVIOURAL_ACTIVATION:
            practice_services.activity_log_create(
                actor=signed_in(request.user),
                entry_id=entry.pk,
                step_id=post.get("step_id", ""),
                done=post.get("done") == "yes",
                mastery=steps.number(post.get("mastery")),
                pleasure=steps.number(post.get("pleasure")),
                note=post.get("note", ""),
                idempotency_key=post.get("key", ""),
            )
        else:
            raise Http404("No practice for this exercise.")
    except ValidationError as error:
        return _detail(request, entry, list(error.messages), status=400)
    messages.success(request, _("Practice saved."))
    return redirect(reverse("selfcare:exercise", args=[entry.pk]) + f"#step-{post.get('step_id', '')}")


# --- Staff page ------------------------------------------------------------------------------


@staff_required
@require_GET
def staff_exercises(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Every exercise of a client in full, with practice logs and relaxation tool use, when EXERCISES is shared."""
    view = selectors.staff_exercises(user=request.user, client_id=client_id)
    entries = [_summary_context(e, view.logs.get(e.pk, [])) for e in view.entries]
    return render(
        request,
        "selfcare/exercises/staff.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "client": view.client,
            "shares": view.shares,
            "entries": entries,
            "tools": view.tools,
        },
    )


urlpatterns: list[URLPattern] = [
    path("exercises/", exercise_list, name="exercises"),
    path("exercises/new/<str:kind>/", exercise_start, name="exercise_start"),
    path("exercises/<uuid:entry_id>/", exercise_detail, name="exercise"),
    path("exercises/<uuid:entry_id>/resume/", exercise_resume, name="exercise_resume"),
    path("exercises/<uuid:entry_id>/step/<slug:step>/", exercise_step, name="exercise_step"),
    path("exercises/<uuid:entry_id>/finish/", exercise_finish, name="exercise_finish"),
    path("exercises/<uuid:entry_id>/move/", exercise_move, name="exercise_move"),
    path("exercises/<uuid:entry_id>/practice/", exercise_practice, name="exercise_practice"),
    path("clients/<uuid:client_id>/exercises/", staff_exercises, name="staff_exercises"),
]
