"""Self-care pages: homework and topics for next session. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.selfcare.models import Assignment, AssignmentKind, Frequency, PracticeKind
from alongside.selfcare.selectors import homework as selectors
from alongside.selfcare.services import homework as services
from alongside.selfcare.services import topics as topic_services

# --- Forms --------------------------------------------------------------------------------


# Practice logs that are not relaxation: they get a group of their own in the picker (issue #14: "Exposure
# practice" was filed under "Relaxation tool").
PRACTICE_NOT_RELAXATION = frozenset({PracticeKind.EXPOSURE, PracticeKind.ACTIVITY})


def _grouped_targets() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for kind, label in AssignmentKind.choices:
        options = [(f"{kind}:{value}", text) for value, text in services.target_choices(str(kind))]
        if kind == AssignmentKind.TOOL:
            practice = [o for o in options if o[0].partition(":")[2] in PRACTICE_NOT_RELAXATION]
            groups.append((str(_("Practice between sessions")), practice))
            options = [o for o in options if o not in practice]
        groups.append((str(label), options))
    return groups


class AssignmentForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Homework"))
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), choices=Frequency.choices)
    times_per_week = forms.IntegerField(label=gettext_lazy("Times a week"), min_value=1, max_value=7, required=False)
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on (once)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on (repeating, optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = _grouped_targets()

    def to_input(self) -> services.AssignmentInput:
        data = self.cleaned_data
        kind, _sep, target = data["target"].partition(":")
        return services.AssignmentInput(
            kind=kind,
            target=target,
            instructions=data.get("instructions") or "",
            frequency=data["frequency"],
            times_per_week=data.get("times_per_week"),
            starts_on=data.get("starts_on"),
            due_on=data.get("due_on"),
            ends_on=data.get("ends_on"),
        )


def _initial(assignment: Assignment) -> dict[str, Any]:
    return {
        "target": f"{assignment.kind}:{assignment.target}",
        "instructions": getattr(assignment, "instructions", "") or "",
        "frequency": assignment.frequency,
        "times_per_week": assignment.times_per_week,
        "due_on": assignment.due_on,
        "ends_on": assignment.ends_on,
    }


class TopicForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What would you like to talk about next session?"),
        max_length=topic_services.MAX_TEXT,
        widget=forms.TextInput(),
    )


# --- Staff ------------------------------------------------------------------------------


def _render(request: HttpRequest, membership: Membership, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"membership": membership, "practice": membership.practice, **context})


def _apply(form: AssignmentForm, write: Any) -> Any:
    try:
        return write(form.to_input())
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
    return None


@staff_required
@require_http_methods(["GET", "POST"])
def staff_homework(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    """Assign homework to a client; list assignments with adherence per week, and the client's topics."""
    team = selectors.homework_client(user=request.user, client_id=client_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = _apply(
            form,
            lambda data: services.assignment_set(actor=signed_in(request.user), client_id=team.client.pk, data=data),
        )
        if made is not None:
            messages.success(request, _("The homework is assigned."))
            return redirect("selfcare:staff_homework", client_id=team.client.pk)
    rows = selectors.assignments_for(user=request.user, client_id=team.client.pk)
    return _render(
        request,
        membership,
        "selfcare/homework/staff.html",
        {
            "client": team.client,
            "shares": team.shares_adherence,
            "form": form,
            "current": [r for r in rows if r.is_current],
            "history": [r for r in rows if not r.is_current],
            "topics": selectors.topics_for(user=request.user, client_id=team.client.pk),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_homework_change(request: HttpRequest, membership: Membership, assignment_id: uuid.UUID) -> HttpResponse:
    """Change homework: the old version ends and a new one supersedes it (history and past tasks stay)."""
    assignment = selectors.assignment_for_change(user=request.user, assignment_id=assignment_id)
    if assignment.ended_at is not None:
        raise Http404("This homework has ended.")
    form = AssignmentForm(request.POST or None, initial=_initial(assignment))
    if request.method == "POST" and form.is_valid():
        made = _apply(
            form,
            lambda data: services.assignment_change(
                actor=signed_in(request.user), assignment_id=assignment.pk, data=data
            ),
        )
        if made is not None:
            messages.success(request, _("The homework is changed. The earlier version is kept in the history."))
            return redirect("selfcare:staff_homework", client_id=assignment.client_id)
    return _render(
        request,
        membership,
        "selfcare/homework/change.html",
        {"client": assignment.client, "assignment": assignment, "form": form},
    )


@staff_required
@require_POST
def staff_homework_end(request: HttpRequest, membership: Membership, assignment_id: uuid.UUID) -> HttpResponse:
    """End homework: no new tasks; past tasks and completions stay."""
    assignment = services.assignment_end(actor=signed_in(request.user), assignment_id=assignment_id)
    messages.success(request, _("The homework is ended."))
    return redirect("selfcare:staff_homework", client_id=assignment.client_id)


@staff_required
@require_POST
def staff_topic_addressed(request: HttpRequest, membership: Membership, topic_id: uuid.UUID) -> HttpResponse:
    """Mark a topic for next session as discussed."""
    topic = topic_services.topic_mark_addressed(actor=signed_in(request.user), topic_id=topic_id)
    messages.success(request, _("The topic is marked as discussed."))
    return redirect("selfcare:staff_homework", client_id=topic.client_id)


# --- Client -----------------------------------------------------------------------------


def _client(request: HttpRequest) -> None:
    if not getattr(request.user, "is_client", False):
        raise Http404("No such page.")


def _start_url(kind: str, target: str) -> str | None:
    """Where the client does this piece of homework, if that page exists yet."""
    from alongside.selfcare.toolkit import TOOLS

    tool_slug = next((t.slug for t in TOOLS.values() if t.kind == target), None)
    by_kind: dict[str, list[tuple[str, list[str]]]] = {
        # Starting an exercise is a POST (it creates a draft), so the list page is the way in.
        AssignmentKind.EXERCISE: [("selfcare:exercises", [])],
        AssignmentKind.TOOL: [("selfcare:tool", [tool_slug])] if tool_slug else [("selfcare:tools", [])],
        AssignmentKind.MODULE: [("selfcare:module", [target]), ("selfcare:learn", [])],
        AssignmentKind.MEASURE: [],
    }
    for name, args in by_kind.get(kind, []):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


@login_required
@require_http_methods(["GET", "POST"])
def task_open(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """Open one piece of homework: record that it was opened, show the instructions and a way to start."""
    _client(request)
    task = selectors.own_task(user=request.user, task_id=task_id)
    services.task_mark_opened(actor=signed_in(request.user), task_id=task.pk)
    assignment = task.assignment
    if request.method == "POST" and assignment.kind == AssignmentKind.MEASURE:
        # A questionnaire set as homework: start (or resume) a response for it.
        from alongside.measures import services as measure_services

        response = measure_services.response_start(
            actor=signed_in(request.user),
            client_id=task.client_id,
            instrument=assignment.target,
            idempotency_key=f"homework:{task.pk.hex}",
        )
        return redirect("measures:response", response_id=response.pk)
    return render(
        request,
        "selfcare/homework/task.html",
        {
            "task": task,
            "label": services.target_label(assignment.kind, assignment.target),
            "instructions": getattr(assignment, "instructions", "") or "",
            "start_url": _start_url(assignment.kind, assignment.target),
            "is_measure": assignment.kind == AssignmentKind.MEASURE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topics(request: HttpRequest) -> HttpResponse:
    """Write a line for next session; list the client's open topics."""
    _client(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic_services.topic_raise(actor=signed_in(request.user), text=form.cleaned_data["text"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            messages.success(request, _("Saved. Your care team will see it before your next session."))
            return redirect("selfcare:topics")
    return render(
        request, "selfcare/homework/topics.html", {"form": form, "topics": selectors.topics_own(user=request.user)}
    )


@login_required
@require_POST
def topic_flag(request: HttpRequest) -> HttpResponse:
    """Flag one of the client's own entries as a topic for next session (another's entry is a 404)."""
    _client(request)
    try:
        topic_services.topic_raise(
            actor=signed_in(request.user),
            text=request.POST.get("text", ""),
            source_type=request.POST.get("source_type", ""),
            source_id=request.POST.get("source_id", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("selfcare:topics")
    messages.success(request, _("Flagged for your next session."))
    return redirect("selfcare:topics")


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/homework/", staff_homework, name="staff_homework"),
    path("homework/<uuid:assignment_id>/change/", staff_homework_change, name="staff_homework_change"),
    path("homework/<uuid:assignment_id>/end/", staff_homework_end, name="staff_homework_end"),
    path("topics/<uuid:topic_id>/discussed/", staff_topic_addressed, name="staff_topic_addressed"),
    path("homework/tasks/<uuid:task_id>/", task_open, name="task"),
    path("topics/", topics, name="topics"),
    path("topics/flag/", topic_flag, name="topic_flag"),
]
