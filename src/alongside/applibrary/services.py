"""Writes of the app library: the catalogue and its evaluations, readiness checks, modes, recommendations, imports."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import Action, decide, owned_or_404
from alongside.applibrary import catalogue
from alongside.applibrary.importers import PARSERS, ImportedMood, Order
from alongside.applibrary.importers.csv_reading import ImportProblem
from alongside.applibrary.models import (
    Answer,
    App,
    AppLibraryAuditAction,
    AppStatus,
    ClientModes,
    Evaluation,
    EvaluationAnswer,
    ImportedEntry,
    ReadinessCheck,
    Recommendation,
    RecommendationStatus,
)
from alongside.applibrary.readiness import ReadinessAnswers, recommend
from alongside.applibrary.vocab import QUESTIONS
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor, SignedIn
from alongside.core.services import reader, service
from alongside.notify.models import NotificationKind
from alongside.notify.services import preferences_set


@dataclass
class CatalogueLoaded:
    """What loading a catalogue file did: evaluations added, stored answers given the file's evidence, and stored
    answers left alone because the file now answers them differently (revise those on the evaluation page)."""

    added: int = 0
    evidence_updated: int = 0
    answers_differ: int = 0


def _load_app(entry: catalogue.AppEntry, data: catalogue.CatalogueFile, done: CatalogueLoaded) -> None:
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
    existing = app.evaluations.filter(evaluated_on=data.evaluated_on, evaluated_by=data.evaluated_by).first()
    if existing is not None:  # this file's evaluation is already in: only its evidence may be new
        _refresh_evidence(existing, entry, data, done)
        return
    latest = app.evaluations.order_by("-version").first()
    evaluation = Evaluation.objects.create(
        app=app,
        version=(latest.version + 1) if latest else 1,
        evaluated_on=data.evaluated_on,
        review_by=data.review_by,
        evaluated_by=data.evaluated_by,
        notes=data.about,
    )
    rows = [(q.code, entry.answer_row(q.code, data.evaluated_on, data.evaluated_by)) for q in QUESTIONS]
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            evaluation=evaluation,
            question=code,
            answer=row.answer,
            # A bare answer is dated and signed by the file but has no link, so it stays unverified.
            evidence_url=row.evidence_url,
            checked_on=row.checked_on,
            checked_by=row.checked_by,
        )
        for code, row in rows
    )
    done.added += 1


def _refresh_evidence(
    evaluation: Evaluation, entry: catalogue.AppEntry, data: catalogue.CatalogueFile, done: CatalogueLoaded
) -> None:
    """Give an already-loaded evaluation of this file the file's evidence, in place (a database whose migration
    ran before the evidence was written). Only where the stored answer is the file's answer: a different answer
    is history a client may have seen, so it is counted and left for a new version."""
    changed = []
    for stored in evaluation.answers.all():
        row = entry.answer_row(stored.question, data.evaluated_on, data.evaluated_by)
        if not row.evidence_url:
            continue
        if stored.answer != row.answer:
            done.answers_differ += 1
            continue
        evidence = (row.evidence_url, row.checked_on, row.checked_by)
        if (stored.evidence_url, stored.checked_on, stored.checked_by) != evidence:
            stored.evidence_url, stored.checked_on, stored.checked_by = evidence
            changed.append(stored)
    EvaluationAnswer.objects.bulk_update(changed, ["evidence_url", "checked_on", "checked_by"])
    done.evidence_updated += len(changed)
    if changed and evaluation.notes != data.about:
        evaluation.notes = data.about
        evaluation.save(update_fields=["notes"])


@service
def catalogue_load(*, actor: Actor = None, data: catalogue.CatalogueFile) -> CatalogueLoaded:
    """Add or update the catalogue's apps, add its evaluation to each app that lacks it, and give the evaluations
    it already added the file's evidence; loading the same file twice changes nothing the second time."""
    done = CatalogueLoaded()
    for entry in data.apps:
        _load_app(entry, data, done)
    record(
        AppLibraryAuditAction.CATALOGUE_LOADED,
        actor=actor,
        detail={"apps": len(data.apps), "added": done.added, "evidence_updated": done.evidence_updated},
    )
    return done


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


def _own_or_care_team(actor: Actor, client: ClientProfile) -> bool:
    return actor is not None and (decide(actor, client, Action.OWN) or decide(actor, client, Action.CARE_TEAM))


@service
def modes_set(
    *,
    actor: Actor,
    client: ClientProfile,
    discreet: bool,
    low_bandwidth: bool,
    large_text: bool,
    paper_pack: bool,
    from_check: ReadinessCheck | None = None,
) -> ClientModes:
    """Turn the client's display modes on or off (the client, or a clinician of their care team)."""
    if not _own_or_care_team(actor, client):
        raise PermissionDenied(_("You cannot change this client's settings."))
    modes, _created = ClientModes.objects.update_or_create(
        client=client,
        defaults={
            "discreet": discreet,
            "low_bandwidth": low_bandwidth,
            "large_text": large_text,
            "paper_pack": paper_pack,
            "updated_at": timezone.now(),
            "from_check": from_check,
        },
    )
    detail = {"discreet": discreet, "low_bandwidth": low_bandwidth, "large_text": large_text, "paper": paper_pack}
    record(AppLibraryAuditAction.MODES_SET, actor=actor, obj=modes, client_id=client.pk, detail=detail)
    return modes


@service
def modes_apply_check(*, actor: Actor, client: ClientProfile, check_id: uuid.UUID | str) -> ClientModes:
    """Apply the set-up the client's readiness check suggested, in one step."""
    check = ReadinessCheck.objects.filter(client=client, pk=check_id).first()
    if check is None:
        raise ValidationError(_("No such readiness check."))
    config = check.configuration or {}
    if config.get("reminders") is False and actor is not None and actor.pk == client.user_id:
        # Reminder emails off; the notices stay in the app. Only the client changes their own choices.
        off = (True, False)
        preferences_set(actor=actor, choices={NotificationKind.HOMEWORK: off, NotificationKind.MEASURE_DUE: off})
    return modes_set(
        actor=actor,
        client=client,
        discreet=bool(config.get("discreet")),
        low_bandwidth=bool(config.get("low_bandwidth")),
        large_text=bool(config.get("large_text")),
        paper_pack=bool(config.get("paper_pack")),
        from_check=check,
    )


@dataclass(frozen=True)
class ImportSummary:
    """What an import added: new rows, rows already there from an earlier import, and the dates covered."""

    added: int
    already: int
    first_day: dt.date | None
    last_day: dt.date | None


@reader
def entries_read(*, source: str, text: str, order: Order | None = None) -> list[ImportedMood]:
    """Parse an export without storing it (for the preview); raises ImportProblem or AmbiguousDates."""
    if source not in PARSERS:
        raise ImportProblem(_("Choose the app the file comes from."))
    parse, _columns = PARSERS[source]
    return parse(text, order=order)


@reader
def entries_already(*, client: ClientProfile, source: str, rows: list[ImportedMood]) -> set[str]:
    """The keys of ``rows`` this client already imported (call after access was checked)."""
    keys = [row.key for row in rows]
    found = ImportedEntry.objects.filter(client=client, source=source, key__in=keys)
    return set(found.values_list("key", flat=True))


@service
def entries_import(
    *, actor: Actor, client: ClientProfile, source: str, text: str, order: Order | None = None
) -> ImportSummary:
    """Store a mood app's CSV export as imported entries, apart from Alongside check-ins; re-importing adds nothing."""
    if actor is None or not decide(actor, client, Action.OWN):
        raise PermissionDenied(_("Only the client can import their own entries."))
    rows = entries_read(source=source, text=text, order=order)
    already = entries_already(client=client, source=source, rows=rows)
    now, new = timezone.now(), {}
    for row in rows:
        if row.key not in already and row.key not in new:
            entry = ImportedEntry(client=client, source=source, key=row.key, day=row.day, time=row.time)
            entry.imported_at = now
            entry.mood, entry.note = row.mood, row.note
            entry.details = {"activities": list(row.activities), **dict(row.extra)}
            new[row.key] = entry
    ImportedEntry.objects.bulk_create(new.values())
    days = sorted(row.day for row in rows)
    summary = ImportSummary(
        added=len(new),
        already=len(rows) - len(new),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
    )
    record(
        AppLibraryAuditAction.ENTRIES_IMPORTED,
        actor=actor,
        client_id=client.pk,
        detail={"source": source, "added": summary.added, "already": summary.already},
    )
    return summary


@dataclass(frozen=True)
class AnswerChange:
    """A new answer to one evaluation question, with its evidence."""

    question: str
    answer: str
    evidence_url: str = ""
    checked_on: dt.date | None = None
    note: str = ""


@service
def evaluation_revise(
    *, actor: SignedIn, app_slug: str, changes: list[AnswerChange], review_by: dt.date, notes: str = ""
) -> Evaluation:
    """Add the next evaluation version of an app: the latest answers with ``changes``, signed by the actor.

    Earlier versions stay, so a recommendation keeps the version the client saw.
    """
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "is_client", False):
        raise PermissionDenied(_("Only practice staff can edit app evaluations."))
    app = App.objects.filter(slug=app_slug).first()
    if app is None:
        raise ValidationError(_("No such app."))
    codes = {q.code for q in QUESTIONS}
    for change in changes:
        if change.question not in codes or change.answer not in Answer.values:
            raise ValidationError(_("Unknown question or answer."))
    today = timezone.localdate()
    if review_by < today:
        raise ValidationError(_("The review date must be today or later."))
    latest = app.evaluations.order_by("-version").first()
    checker = actor.display_name
    evaluation = Evaluation.objects.create(
        app=app,
        version=(latest.version + 1) if latest else 1,
        evaluated_on=today,
        review_by=review_by,
        evaluated_by=checker,
        notes=notes.strip() or (latest.notes if latest else ""),
    )
    previous = {a.question: a for a in latest.answers.all()} if latest else {}
    changed = {c.question: c for c in changes}
    rows = []
    for question in QUESTIONS:
        old, new = previous.get(question.code), changed.get(question.code)
        if new is not None and (old is None or _differs(old, new)):
            rows.append(_answer_row(evaluation, new, checker, today))
        elif old is not None:
            old.pk, old.evaluation = None, evaluation
            rows.append(old)
        else:
            rows.append(EvaluationAnswer(evaluation=evaluation, question=question.code))
    EvaluationAnswer.objects.bulk_create(rows)
    record(
        AppLibraryAuditAction.EVALUATION_REVISED,
        actor=actor,
        obj=evaluation,
        detail={"app": app.slug, "version": evaluation.version, "changed": sorted(changed)},
    )
    return evaluation


def _differs(old: EvaluationAnswer, new: AnswerChange) -> bool:
    return (old.answer, old.evidence_url, old.checked_on, old.note) != (
        new.answer,
        new.evidence_url,
        new.checked_on,
        new.note,
    )


def _answer_row(evaluation: Evaluation, change: AnswerChange, checker: str, today: dt.date) -> EvaluationAnswer:
    return EvaluationAnswer(
        evaluation=evaluation,
        question=change.question,
        answer=change.answer,
        evidence_url=change.evidence_url,
        checked_on=change.checked_on or (today if change.evidence_url else None),
        checked_by=checker if change.evidence_url else "",
        note=change.note,
    )
