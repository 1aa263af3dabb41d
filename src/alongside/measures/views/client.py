"""Measures pages for clients. Thin views: reads through selectors, writes through services.

Answering works without JavaScript: every step is a form POST that saves through
``response_save_answer``, so a client can leave at any point and resume where they stopped.
A critical answer shows the crisis resources on the very next page, and the crisis page
(``measures:crisis``) renders from the built-in defaults whatever else fails.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.care.views import client_required
from alongside.core.actor import signed_in
from alongside.measures import library, selectors, services
from alongside.measures.explain import explain
from alongside.measures.library import Item
from alongside.measures.models import MeasureResponse, MeasureScore, ResponseStatus
from alongside.measures.practice_selectors import clients_see_results
from alongside.measures.views.answering import (
    Progress,
    error_messages,
    instrument_of,
    own_response,
    parse_answer,
    preamble_of,
    progress_of,
    question_url,
    resume_url,
    title_of,
)
from alongside.safety import crisis_lines
from alongside.safety.display import resource_rows
from alongside.safety.models import CriticalAlert
from alongside.safety.resources import CrisisResource

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
VIEW_SESSION_KEY = "measures_view"  # "one" (one question per screen, the default) or "all"


# --- Crisis resources --------------------------------------------------------------------


def _crisis_page(
    request: HttpRequest,
    *,
    resources: list[CrisisResource],
    after_answer: bool = False,
    team_told: bool = True,
    continue_url: str = "",
) -> HttpResponse:
    context = {
        "rows": resource_rows(resources),
        "after_answer": after_answer,
        "team_told": team_told,
        "continue_url": continue_url,
        "find_helpline_url": "https://findahelpline.com",
    }
    return render(request, "measures/client/crisis.html", context)


def _critical_fallback(request: HttpRequest, response: MeasureResponse, values: Mapping[str, int | None]) -> bool:
    """Whether any of these answers is critical (used when saving failed; never raises)."""
    for link_id, value in values.items():
        try:
            if (
                value is not None
                and instrument_of(response).validated
                and library.is_critical(response.instrument, link_id, value)
            ):
                return True
        except Exception:
            logger.exception("measures: could not check item %s for a critical answer", link_id)
    return False


def _fallback_resources(response: MeasureResponse) -> list[CrisisResource]:
    try:
        return crisis_lines.resources_for_client(response.client)
    except Exception:
        return crisis_lines.resources_for(None, get_language())


@require_GET
def crisis_help(request: HttpRequest) -> HttpResponse:
    """Show where to get help now. Open to everyone; a signed-in client sees their own country's lines."""
    return _crisis_page(request, resources=crisis_lines.resources_for_request(request))


# --- The client's home page ---------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """A questionnaire due, as the home page lists it."""

    name: str
    url: str
    due_at: Any
    started: bool


# --- Answering ----------------------------------------------------------------------------


@client_required
@require_GET
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Introduce a due questionnaire (name, instructions, how many questions) and offer to start."""
    due = next((r for r in selectors.due_requests(user=request.user) if r.pk == request_id), None)
    if due is None:
        raise Http404("This questionnaire is not due.")
    services.request_mark_opened(actor=signed_in(request.user), request_id=due.pk)
    instrument = instrument_of(due)
    context = {
        "due": due,
        "instrument": instrument,
        "title": title_of(instrument),
        "preamble": preamble_of(instrument),
        "count": len(instrument.enabled_items({})),
        "started": due.opened_at is not None,
        "mode": request.session.get(VIEW_SESSION_KEY, "one"),
    }
    return render(request, "measures/client/request.html", context)


@client_required
@require_POST
def start(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Start (or resume: the key is the request's) answering a due questionnaire."""
    due = next((r for r in selectors.due_requests(user=request.user) if r.pk == request_id), None)
    if due is None:
        raise Http404("This questionnaire is not due.")
    mode = "all" if request.POST.get("view") == "all" else "one"
    request.session[VIEW_SESSION_KEY] = mode
    try:
        response = services.response_start(
            actor=signed_in(request.user),
            client_id=cast(uuid.UUID, request.user.pk),
            instrument=due.instrument,
            idempotency_key=f"request:{due.pk}",
            request_id=due.pk,
        )
    except ValidationError:
        raise Http404("This questionnaire is not due.") from None
    return redirect(resume_url(response, progress_of(response), mode))


@client_required
@require_GET
def resume(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    """Send the client to where they stopped: the first unanswered question, or the review."""
    response = own_response(request, response_id)
    mode = request.GET.get("view") or request.session.get(VIEW_SESSION_KEY, "one")
    if mode in ("one", "all"):
        request.session[VIEW_SESSION_KEY] = mode
    return redirect(resume_url(response, progress_of(response), str(mode)))


def _question_page(
    request: HttpRequest,
    response: MeasureResponse,
    progress: Progress,
    item: Item,
    *,
    selected: int | None,
    errors: list[str] | None = None,
) -> HttpResponse:
    previous = progress.before(item)
    back_url = question_url(response, previous) if previous else ""
    if not back_url and response.request_id:
        back_url = reverse("measures:request", args=[response.request_id])
    context = {
        "response": response,
        "instrument": progress.instrument,
        "title": title_of(progress.instrument),
        "preamble": preamble_of(progress.instrument),
        "item": item,
        "selected": selected,
        "errors": errors or [],
        "position": progress.position(item),
        "count": len(progress.enabled),
        "has_previous": previous is not None,
        "back_url": back_url,
    }
    return render(request, "measures/client/question.html", context)


@client_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, response_id: uuid.UUID, link_id: str) -> HttpResponse:
    """One question per screen. POST saves the answer, then goes back or on (branching decides what is next)."""
    response = own_response(request, response_id)
    if response.status == ResponseStatus.SUBMITTED:
        return redirect("measures:result", response.pk)
    progress = progress_of(response)
    item = progress.find(link_id)
    if item is None:
        return redirect(resume_url(response, progress))
    request.session[VIEW_SESSION_KEY] = "one"
    if request.method == "GET":
        return _question_page(request, response, progress, item, selected=progress.answers.get(item.link_id))
    going_back = request.POST.get("nav") == "back"
    try:
        value = parse_answer(request.POST.get("answer"))
    except ValueError:
        message = _("That is not one of the answers. Please choose one of the options.")
        return _question_page(request, response, progress, item, selected=None, errors=[message])
    if value is None:
        if going_back:
            previous = progress.before(item)
            return redirect(question_url(response, previous) if previous else resume_url(response, progress))
        if item.required:
            message = _("Please choose an answer to go on.")
            return _question_page(request, response, progress, item, selected=None, errors=[message])
        nxt = progress.after(item)
        return redirect(question_url(response, nxt) if nxt else reverse("measures:review", args=[response.pk]))
    try:
        result = services.response_save_answer(
            actor=signed_in(request.user), response_id=response.pk, link_id=item.link_id, value=value
        )
    except ValidationError as error:
        if MeasureResponse.objects.filter(pk=response.pk, status=ResponseStatus.SUBMITTED).exists():
            return redirect("measures:result", response.pk)
        return _question_page(request, response, progress, item, selected=None, errors=error_messages(error))
    except Http404:
        raise
    except Exception:
        logger.exception("measures: saving answer failed for response %s", response.pk)
        if _critical_fallback(request, response, {item.link_id: value}):
            return _crisis_page(request, resources=_fallback_resources(response), after_answer=True, team_told=False)
        raise
    saved = Progress(instrument=progress.instrument, answers=services.answers_of(result.response))
    current = saved.find(item.link_id) or item
    target = saved.before(current) if going_back else saved.after(current)
    url = question_url(response, target) if target else reverse("measures:review", args=[response.pk])
    if going_back and target is None:
        url = question_url(response, current)
    if result.critical:
        return _crisis_page(request, resources=result.resources, after_answer=True, continue_url=url)
    return redirect(url)


def _all_page(
    request: HttpRequest,
    response: MeasureResponse,
    progress: Progress,
    *,
    errors: Mapping[str, list[str]] | None = None,
    posted: Mapping[str, int | None] | None = None,
    notice: str = "",
) -> HttpResponse:
    answers = {**progress.answers, **(posted or {})}
    rows = [
        {"item": item, "selected": answers.get(item.link_id), "errors": (errors or {}).get(item.link_id, [])}
        for item in progress.enabled
    ]
    context = {
        "response": response,
        "instrument": progress.instrument,
        "title": title_of(progress.instrument),
        "preamble": preamble_of(progress.instrument),
        "rows": rows,
        "shown": ",".join(i.link_id for i in progress.enabled),
        "notice": notice,
        "has_errors": bool(errors),
    }
    return render(request, "measures/client/all.html", context)


@client_required
@require_http_methods(["GET", "POST"])
def all_questions(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    """All questions on one page. POST saves every answer given (in order, so branching holds), then sends or saves."""
    response = own_response(request, response_id)
    if response.status == ResponseStatus.SUBMITTED:
        return redirect("measures:result", response.pk)
    progress = progress_of(response)
    request.session[VIEW_SESSION_KEY] = "all"
    if request.method == "GET":
        return _all_page(request, response, progress)
    shown = set(filter(None, request.POST.get("shown", "").split(",")))
    answers = dict(progress.answers)
    errors: dict[str, list[str]] = {}
    posted: dict[str, int | None] = {}
    critical = False
    resources: list[CrisisResource] = []
    for item in progress.instrument.items:
        if item.link_id not in request.POST:
            continue
        try:
            value = parse_answer(request.POST.get(item.link_id))
        except ValueError:
            errors[item.link_id] = [_("That is not one of the answers. Please choose one of the options.")]
            continue
        enabled = {i.link_id for i in progress.instrument.enabled_items(answers)}
        if value is None or item.link_id not in enabled or answers.get(item.link_id) == value:
            continue
        try:
            result = services.response_save_answer(
                actor=signed_in(request.user), response_id=response.pk, link_id=item.link_id, value=value
            )
        except ValidationError as error:
            errors[item.link_id] = error_messages(error)
            posted[item.link_id] = None
            continue
        except Http404:
            raise
        except Exception:
            logger.exception("measures: saving answer failed for response %s", response.pk)
            if _critical_fallback(request, response, {item.link_id: value}):
                resources = _fallback_resources(response)
                return _crisis_page(request, resources=resources, after_answer=True, team_told=False)
            raise
        answers = services.answers_of(result.response)
        if result.critical:
            critical, resources = True, result.resources
    saved = Progress(instrument=progress.instrument, answers=answers)
    here = reverse("measures:all", args=[response.pk])
    if critical:
        return _crisis_page(request, resources=resources, after_answer=True, continue_url=here)
    if errors:
        return _all_page(request, response, saved, errors=errors, posted=posted)
    appeared = [i for i in saved.enabled if i.link_id not in shown]
    if appeared:
        notice = _("Your answers opened more questions. Please answer them too, then send your answers.")
        return _all_page(request, response, saved, notice=notice)
    if request.POST.get("nav") != "finish":
        return redirect(here)
    missing = saved.missing()
    if missing:
        need = {i.link_id: [_("Please answer this question.")] for i in missing}
        return _all_page(request, response, saved, errors=need)
    return _submit(request, response, saved, on_error=lambda errs: _all_page(request, response, saved, notice=errs[0]))


def _submit(
    request: HttpRequest,
    response: MeasureResponse,
    progress: Progress,
    *,
    on_error: Callable[[list[str]], HttpResponse],
) -> HttpResponse:
    try:
        services.response_submit(
            actor=signed_in(request.user), response_id=response.pk, idempotency_key=response.idempotency_key
        )
    except ValidationError as error:
        return on_error(error_messages(error))
    except Http404:
        raise
    except Exception:
        logger.exception("measures: submitting failed for response %s", response.pk)
        if _critical_fallback(request, response, progress.answers):
            return _crisis_page(request, resources=_fallback_resources(response), after_answer=True, team_told=False)
        raise
    return redirect("measures:result", response.pk)


def _answer_rows(progress: Progress, response: MeasureResponse) -> list[dict[str, Any]]:
    rows = []
    for item in progress.enabled:
        value = progress.answers.get(item.link_id)
        rows.append(
            {
                "item": item,
                "answer": item.label_for(value) if value is not None else None,
                "missing": item.required and value is None,
                "url": question_url(response, item),
            }
        )
    return rows


@client_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    """Show the answers with a way to change each; POST sends them to the care team."""
    response = own_response(request, response_id)
    if response.status == ResponseStatus.SUBMITTED:
        return redirect("measures:result", response.pk)
    progress = progress_of(response)

    def page(errors: list[str]) -> HttpResponse:
        context = {
            "response": response,
            "instrument": progress.instrument,
            "title": title_of(progress.instrument),
            "rows": _answer_rows(progress, response),
            "missing": progress.missing(),
            "errors": errors,
        }
        return render(request, "measures/client/review.html", context)

    if request.method == "GET":
        return page([])
    if progress.missing():
        return page([_("Some questions still need an answer. Answer them, then send your answers.")])
    return _submit(request, response, progress, on_error=page)


@client_required
@require_GET
def result(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    """Thank the client; show crisis resources after a critical answer, and their score in plain words."""
    response = own_response(request, response_id)
    if response.status != ResponseStatus.SUBMITTED:
        return redirect(resume_url(response, progress_of(response)))
    resources: list[CrisisResource] = []
    try:
        if CriticalAlert.objects.filter(response_id=response.pk).exists():
            resources = crisis_lines.resources_for_client(response.client)
    except Exception:
        logger.exception("measures: alert check failed for response %s", response.pk)
        critical = _critical_fallback(request, response, services.answers_of(response))
        resources = _fallback_resources(response) if critical else []
    explanation = None
    try:
        score = MeasureScore.objects.filter(response_id=response.pk).first()
        if score is not None and clients_see_results(response.client.practice_id):
            explanation = explain(response.instrument, score.total, score.severity)
    except Exception:
        logger.exception("measures: score unreadable for response %s", response.pk)
    instrument = instrument_of(response)
    context = {
        "response": response,
        "instrument": instrument,
        "title": title_of(instrument),
        "rows": resource_rows(resources),
        "explanation": explanation,
        "find_helpline_url": "https://findahelpline.com",
    }
    return render(request, "measures/client/result.html", context)


urlpatterns: list[URLPattern] = [
    path("help/", crisis_help, name="crisis"),
    path("requests/<uuid:request_id>/", request_detail, name="request"),
    path("requests/<uuid:request_id>/start/", start, name="start"),
    path("responses/<uuid:response_id>/", resume, name="response"),
    path("responses/<uuid:response_id>/q/<str:link_id>/", question, name="question"),
    path("responses/<uuid:response_id>/all/", all_questions, name="all"),
    path("responses/<uuid:response_id>/review/", review, name="review"),
    path("responses/<uuid:response_id>/done/", result, name="result"),
]
