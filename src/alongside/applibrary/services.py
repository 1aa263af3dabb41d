"""Writes of the app library: load the catalogue, record a digital readiness check."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import Action, decide, owned_or_404
from alongside.applibrary import catalogue
from alongside.applibrary.models import (
    Answer,
    App,
    AppLibraryAuditAction,
    AppStatus,
    Evaluation,
    EvaluationAnswer,
    ReadinessCheck,
    Recommendation,
    RecommendationStatus,
)
from alongside.applibrary.readiness import ReadinessAnswers, recommend
from alongside.applibrary.vocab import QUESTIONS
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.services import service


def _load_app(entry: catalogue.AppEntry, data: catalogue.CatalogueFile) -> bool:
    app, _created = App.objects.update_or_create(
        slug=entry.slug,
        defaults={
            "name": entry.name,
            "developer": entry.developer,
            "website": entry.website,
            "summary": entry.summary,
            "targets": entry.targets,
            "platforms": entry.platforms,
            "languages": entry.languages,
            "export_kinds": entry.exports,
            "cost": entry.cost,
            "status": entry.status,
            "withdrawn_on": entry.withdrawn_on,
            "status_note": entry.status_note,
        },
    )
    if app.evaluations.filter(evaluated_on=data.evaluated_on, evaluated_by=data.evaluated_by).exists():
        return False  # this file's evaluation is already in: loading twice changes nothing
    latest = app.evaluations.order_by("-version").first()
    evaluation = Evaluation.objects.create(
        app=app,
        version=(latest.version + 1) if latest else 1,
        evaluated_on=data.evaluated_on,
        review_by=data.review_by,
        evaluated_by=data.evaluated_by,
        notes=data.about,
    )
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            evaluation=evaluation,
            question=q.code,
            answer=entry.answers.get(q.code, Answer.UNKNOWN),
            # Written from memory without a link: dated and signed, but unverified until the practice adds evidence.
            checked_on=data.evaluated_on,
            checked_by=data.evaluated_by,
        )
        for q in QUESTIONS
    )
    return True


@service
def catalogue_load(*, actor: Actor = None, data: catalogue.CatalogueFile) -> int:
    """Add or update the catalogue's apps and add its evaluation to each app that lacks it; return how many."""
    added = sum(_load_app(entry, data) for entry in data.apps)
    record(AppLibraryAuditAction.CATALOGUE_LOADED, actor=actor, detail={"apps": len(data.apps), "added": added})
    return added


@service
def readiness_record(*, actor: Actor, client: ClientProfile, answers: ReadinessAnswers) -> ReadinessCheck:
    """Record a readiness check filled in by the client or by a clinician of their care team with them."""
    if actor is None or not (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM)):
        raise PermissionDenied(_("You cannot record a readiness check for this client."))
    check = ReadinessCheck(
        client=client,
        taken_at=timezone.now(),
        filled_by_clinician=actor.pk != client.user_id,
        eheals_total=answers.eheals_total,
    )
    check.answers = answers.model_dump(mode="json")
    check.configuration = recommend(answers).as_dict()
    check.save()
    record(AppLibraryAuditAction.READINESS_RECORDED, actor=actor, obj=check, client_id=client.pk)
    return check


@service
def recommendation_create(
    *, actor: Actor, client: ClientProfile, app_slug: str, purpose: str, note: str = "", data_practices_discussed: bool
) -> Recommendation:
    """Recommend an app to a client of the actor's care team, after discussing its data practices with them."""
    if actor is None or not decide(actor, client, Action.CARE_TEAM):
        raise PermissionDenied(_("You cannot recommend apps to this client."))
    if not data_practices_discussed:
        raise ValidationError(_("Discuss the app's data practices with the client before recommending it."))
    if not purpose.strip():
        raise ValidationError(_("Say what the app is for, for example: the sleep diary every morning for 2 weeks."))
    app = App.objects.filter(slug=app_slug, status=AppStatus.AVAILABLE).first()
    evaluation = app.evaluations.order_by("-version").first() if app else None
    if app is None or evaluation is None:
        raise ValidationError(_("Choose an available, evaluated app."))
    recommendation = Recommendation(
        client=client,
        app=app,
        evaluation=evaluation,
        recommended_by=actor,
        created_at=timezone.now(),
        data_practices_discussed=True,
    )
    recommendation.purpose = purpose.strip()
    recommendation.note = note.strip()
    recommendation.save()
    record(
        AppLibraryAuditAction.RECOMMENDED,
        actor=actor,
        obj=recommendation,
        client_id=client.pk,
        detail={"app": app.slug, "evaluation_version": evaluation.version},
    )
    return recommendation


@service
def recommendation_answer(
    *, actor: Actor, recommendation_id: uuid.UUID | str, status: str, comment: str = ""
) -> Recommendation:
    """The client says they use the app, or that it is not for them (with a reason); records the version they saw."""
    recommendation = owned_or_404(actor, Recommendation, recommendation_id, Action.OWN)  # the client only
    if status not in (RecommendationStatus.USING, RecommendationStatus.DECLINED):
        raise ValidationError(_("Choose whether you use the app or it is not for you."))
    if status == RecommendationStatus.DECLINED and not comment.strip():
        raise ValidationError(_("Please say in a few words why this app is not for you."))
    recommendation.status = status
    recommendation.comment = comment.strip()
    recommendation.responded_at = timezone.now()
    recommendation.acknowledged_evaluation = recommendation.evaluation
    recommendation.save()
    record(
        AppLibraryAuditAction.RECOMMENDATION_ANSWERED,
        actor=actor,
        obj=recommendation,
        client_id=recommendation.client_id,
        detail={"status": status, "evaluation_version": recommendation.evaluation.version},
    )
    return recommendation
