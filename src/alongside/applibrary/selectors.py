"""Reads of the app library. The catalogue is practice reference data; readiness checks are client data."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from alongside.access import Action, client_or_404, decide
from alongside.applibrary.models import (
    Answer,
    App,
    AppLibraryAuditAction,
    ClientModes,
    Evaluation,
    ImportedEntry,
    ReadinessCheck,
    Recommendation,
)
from alongside.applibrary.vocab import QUESTIONS
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor


@dataclass(frozen=True)
class Filters:
    """What the clinician chose on the library page; empty means 'any'."""

    target: str = ""
    platform: str = ""
    language: str = ""
    cost: str = ""
    evidence: str = ""  # "" | "peer_reviewed" | "evidence_based"
    privacy_yes: tuple[str, ...] = ()  # privacy questions that must be answered "yes"
    include_withdrawn: bool = False


@dataclass
class AppView:
    """An app with its latest evaluation's answers keyed by question code."""

    app: App
    evaluation: Evaluation | None
    answers: dict[str, Any] = field(default_factory=dict)

    def answer(self, code: str) -> str:
        found = self.answers.get(code)
        return found.answer if found is not None else Answer.UNKNOWN

    def needs_rechecking(self, today: dt.date) -> bool:
        return self.evaluation is None or self.evaluation.needs_rechecking(today)


def _views(apps: list[App]) -> list[AppView]:
    result = []
    for app in apps:
        evaluations = list(app.evaluations.all())
        latest = evaluations[0] if evaluations else None
        answers = {a.question: a for a in latest.answers.all()} if latest else {}
        result.append(AppView(app=app, evaluation=latest, answers=answers))
    return result


def _queryset() -> Any:
    latest_first = Evaluation.objects.order_by("-version").prefetch_related("answers")
    return App.objects.prefetch_related(Prefetch("evaluations", queryset=latest_first))


def _matches(view: AppView, f: Filters) -> bool:
    app = view.app
    checks = [
        f.include_withdrawn or not app.is_withdrawn,
        not f.target or f.target in app.targets,
        not f.platform or f.platform in app.platforms,
        not f.language or f.language in app.languages,
        not f.cost or app.cost == f.cost,
        f.evidence != "peer_reviewed" or view.answer("peer_reviewed_study") == Answer.YES,
        f.evidence != "evidence_based" or view.answer("evidence_based_approach") == Answer.YES,
        all(view.answer(code) == Answer.YES for code in f.privacy_yes),
    ]
    return all(checks)


def library(*, filters: Filters) -> list[AppView]:
    """Apps matching ``filters`` with their latest evaluations (the catalogue is small: filtered in Python)."""
    return [view for view in _views(list(_queryset())) if _matches(view, filters)]


def app_view(*, slug: str) -> AppView:
    """One app by slug with its latest evaluation, or 404."""
    apps = list(_queryset().filter(slug=slug))
    if not apps:
        raise Http404("No such app.")
    return _views(apps)[0]


def compare(*, slugs: list[str]) -> list[AppView]:
    """Two or three apps side by side, in the order asked; unknown slugs are dropped."""
    by_slug = {view.app.slug: view for view in _views(list(_queryset().filter(slug__in=slugs[:3])))}
    return [by_slug[s] for s in dict.fromkeys(slugs[:3]) if s in by_slug]


def question_rows(views: list[AppView]) -> list[tuple[Any, list[Any]]]:
    """For each question, the answer row of each app (None where the app has no answer)."""
    return [(q, [v.answers.get(q.code) for v in views]) for q in QUESTIONS]


def latest_readiness(*, actor: Actor, client_id: uuid.UUID | str) -> tuple[ClientProfile, ReadinessCheck | None]:
    """The client's latest readiness check, for the client or their care team (404 otherwise); audited when read."""
    client = client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if not (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM)):
        raise Http404("No such client.")
    check = ReadinessCheck.objects.filter(client=client).order_by("-taken_at").first()
    if check is not None:  # earlier checks stay: suitability revisited is a new check, dated
        record(AppLibraryAuditAction.READINESS_VIEWED, actor=actor, obj=check, client_id=client.pk)
    return client, check


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with the privacy answers of the evaluation it was made with, in plain words."""

    recommendation: Recommendation
    privacy: list[tuple[Any, str, bool]]  # (question, answer label, verified)


def _privacy(evaluation: Evaluation) -> list[tuple[Any, str, bool]]:
    answers = {a.question: a for a in evaluation.answers.all()}
    rows = []
    for question in QUESTIONS:
        if question.level != "privacy":
            continue
        found = answers.get(question.code)
        label = found.get_answer_display() if found else Answer.UNKNOWN.label
        rows.append((question.text, str(label), bool(found and found.verified)))
    return rows


def recommendations_for(*, actor: Actor, client_id: uuid.UUID | str) -> tuple[ClientProfile, list[RecommendationView]]:
    """The client's app recommendations, for the client or their care team (404 otherwise); audited."""
    client = client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if not (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM)):
        raise Http404("No such client.")
    rows = list(
        Recommendation.objects.filter(client=client)
        .select_related("app", "evaluation", "acknowledged_evaluation")
        .prefetch_related("evaluation__answers")
    )
    if rows:
        record(
            AppLibraryAuditAction.RECOMMENDATIONS_VIEWED, actor=actor, client_id=client.pk, detail={"count": len(rows)}
        )
    return client, [RecommendationView(recommendation=r, privacy=_privacy(r.evaluation)) for r in rows]


def readiness_dates(*, client: ClientProfile) -> list[tuple[Any, bool]]:
    """When each readiness check was taken and whether a clinician filled it in (call after access was checked)."""
    rows = ReadinessCheck.objects.filter(client=client).order_by("-taken_at")
    return list(rows.values_list("taken_at", "filled_by_clinician"))


def own_modes(*, user: Any) -> ClientModes | None:
    """The signed-in client's own display modes, or None when never set (read on every page: one small query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ClientModes.objects.filter(client__user=user).first()


def modes_for(*, actor: Actor, client_id: uuid.UUID | str) -> tuple[ClientProfile, ClientModes | None]:
    """A client's display modes, for the client or their care team (404 otherwise)."""
    client = client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if not (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM)):
        raise Http404("No such client.")
    return client, ClientModes.objects.filter(client=client).first()


def imported_entries(*, actor: Actor, client_id: uuid.UUID | str) -> tuple[ClientProfile, list[ImportedEntry]]:
    """A client's imported mood entries, newest first, for the client or their care team (404 otherwise); audited."""
    client = client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if not (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM)):
        raise Http404("No such client.")
    rows = list(ImportedEntry.objects.filter(client=client).order_by("-day", "-time")[:200])
    if rows and not decide(actor, client, Action.OWN):
        record(AppLibraryAuditAction.IMPORTS_VIEWED, actor=actor, client_id=client.pk, detail={"count": len(rows)})
    return client, rows


def evaluation_history(*, slug: str) -> list[Evaluation]:
    """Every evaluation version of an app, newest first (catalogue data, not client data)."""
    return list(Evaluation.objects.filter(app__slug=slug).order_by("-version"))


def wants_discreet_email(person: Any) -> bool:
    """Whether a notification's email recipient is a client in discreet mode (their emails carry no site name)."""
    if not getattr(person, "is_client", False):
        return False
    return ClientModes.objects.filter(client__user_id=person.pk, discreet=True).exists()
