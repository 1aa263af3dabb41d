"""Write the self-care plan in bulk: records first, then the tasks that point at them, then the audit events."""

from __future__ import annotations

import uuid
from typing import Any, cast

from alongside.audit.log import Entry, record_many
from alongside.core.actor import SignedIn
from alongside.selfcare.models import (
    Assignment,
    CheckIn,
    ExerciseEntry,
    HomeworkTask,
    ModuleRead,
    PracticeLog,
    SelfcareAuditAction,
    SessionTopic,
)
from alongside.synth.context import SynthContext

from .planner import plan_selfcare
from .plans import ClientSelfcarePlan

BATCH = 500


def _event(action: SelfcareAuditAction, obj: Any, client_id: Any, **detail: Any) -> Entry:
    # Our events live in the shared chain; AuditAction lists the foundation's own.
    return Entry(action=action, obj=obj, client_id=client_id, detail={"synthetic": True, **detail})


class Writer:
    """Turn client plans into unsaved rows and audit entries, then save them all in a few bulk queries."""

    def __init__(self) -> None:
        self.rows: dict[type[Any], list[Any]] = {
            m: [] for m in (Assignment, HomeworkTask, CheckIn, ExerciseEntry, PracticeLog, ModuleRead, SessionTopic)
        }
        self.events: dict[uuid.UUID, tuple[Any, list[Entry]]] = {}
        self.completions: list[tuple[HomeworkTask, Any]] = []  # a task and the record that completed it

    def audit(self, actor: SignedIn, entry: Entry) -> None:
        self.events.setdefault(actor.pk, (actor, []))[1].append(entry)

    def client(self, plan: ClientSelfcarePlan, user: Any, profile: Any, clinician: Any) -> None:
        """Add one client's rows; ``by_key`` finds a record by its plan key, ``checkins`` a check-in by day."""
        by_key: dict[str, Any] = {}
        self._assignments(plan, profile, clinician, by_key)
        checkins = self._checkins(plan, user, profile)
        self._entries(plan, user, profile, by_key)
        self._logs(plan, user, profile, by_key)
        for r in plan.reads:
            read = ModuleRead(
                client=profile, module=r.module, read_at=r.read_at, assignment=by_key.get(r.assignment or "")
            )
            by_key[r.key] = read
            self.rows[ModuleRead].append((read, r.read_at))
        self._tasks(plan, profile, by_key)
        self._topics(plan, user, profile, by_key, checkins)

    def _assignments(self, plan: ClientSelfcarePlan, profile: Any, clinician: Any, by_key: dict[str, Any]) -> None:
        for a in plan.assignments:
            assignment = Assignment(
                client=profile,
                created_by=clinician,
                kind=a.kind,
                target=a.target,
                frequency=a.frequency,
                times_per_week=a.times_per_week,
                starts_on=a.starts_on,
                due_on=a.due_on,
                ends_on=a.ends_on,
                ended_at=a.ended_at,
            )
            cast(Any, assignment).instructions = a.instructions
            by_key[a.key] = assignment
            self.rows[Assignment].append((assignment, a.created_at))
            self.audit(clinician, _event(SelfcareAuditAction.ASSIGNMENT_SET, assignment, profile.pk, kind=a.kind))

    def _checkins(self, plan: ClientSelfcarePlan, user: Any, profile: Any) -> dict[str, CheckIn]:
        checkins: dict[str, CheckIn] = {}
        for c in plan.checkins:
            checkin = CheckIn(
                client=profile,
                at=c.at,
                local_date=c.day,
                mood=c.mood,
                sleep_quality=c.sleep_quality,
                sleep_hours=c.sleep_hours,
                idempotency_key=f"synth-checkin-{c.day:%Y%m%d}",
            )
            cast(Any, checkin).emotions = c.emotions
            cast(Any, checkin).activities = c.activities
            cast(Any, checkin).note = c.note
            checkins[str(c.day)] = checkin
            self.rows[CheckIn].append((checkin, c.at))
            self.audit(user, _event(SelfcareAuditAction.CHECKIN_CREATED, checkin, profile.pk))
        return checkins

    def _entries(self, plan: ClientSelfcarePlan, user: Any, profile: Any, by_key: dict[str, Any]) -> None:
        for e in plan.entries:
            entry = ExerciseEntry(
                client=profile,
                kind=e.kind,
                status=e.status,
                assignment=by_key.get(e.assignment or ""),
                idempotency_key=e.key,
                created_at=e.created_at,
                completed_at=e.completed_at,
            )
            cast(Any, entry).data = e.data
            by_key[e.key] = entry
            self.rows[ExerciseEntry].append((entry, e.completed_at or e.created_at))
            self.audit(user, _event(SelfcareAuditAction.ENTRY_SAVED, entry, profile.pk, kind=e.kind))

    def _logs(self, plan: ClientSelfcarePlan, user: Any, profile: Any, by_key: dict[str, Any]) -> None:
        for lp in plan.logs:
            log = PracticeLog(
                client=profile,
                kind=lp.kind,
                entry=by_key.get(lp.entry or ""),
                step_id=lp.step_id,
                at=lp.at,
                rating_before=lp.rating_before,
                rating_peak=lp.rating_peak,
                rating_after=lp.rating_after,
                done=lp.done,
                mastery=lp.mastery,
                pleasure=lp.pleasure,
                duration_seconds=lp.duration_seconds,
                assignment=by_key.get(lp.assignment or ""),
                idempotency_key=lp.key,
            )
            cast(Any, log).note = lp.note
            by_key[lp.key] = log
            self.rows[PracticeLog].append((log, lp.at))
            self.audit(user, _event(SelfcareAuditAction.PRACTICE_LOGGED, log, profile.pk, kind=lp.kind))

    def _tasks(self, plan: ClientSelfcarePlan, profile: Any, by_key: dict[str, Any]) -> None:
        for t in plan.tasks:
            task = HomeworkTask(
                assignment=by_key[t.assignment],
                client=profile,
                due_on=t.due_on,
                status=t.status,
                scheduled_at=t.scheduled_at,
                delivered_at=t.delivered_at,
                delivery_channel=t.channel,
                seen_at=t.seen_at,
                opened_at=t.opened_at,
                completed_at=t.completed_at,
                expired_at=t.expired_at,
            )
            if t.completion is not None:
                task.completion_type = t.completion[0]
                self.completions.append((task, by_key[t.completion[1]]))
            self.rows[HomeworkTask].append((task, t.scheduled_at))

    def _topics(
        self, plan: ClientSelfcarePlan, user: Any, profile: Any, by_key: dict[str, Any], checkins: dict[str, CheckIn]
    ) -> None:
        for tp in plan.topics:
            topic = SessionTopic(client=profile, created_at=tp.created_at, addressed_at=tp.addressed_at)
            cast(Any, topic).text = tp.text
            if tp.source is not None:
                label, key = tp.source
                topic.source_type = label
                source = checkins.get(key) if label == "selfcare.checkin" else by_key.get(key)
                topic.source_id = str(source.pk) if source is not None else ""
            self.rows[SessionTopic].append((topic, tp.created_at))
            self.audit(user, _event(SelfcareAuditAction.TOPIC_RAISED, topic, profile.pk))

    def save(self) -> None:
        # Records first (module reads get their ids on insert), then the tasks that point at them.
        for model in (Assignment, CheckIn, ExerciseEntry, PracticeLog, ModuleRead, SessionTopic):
            # bulk_create runs each field's pre_save, which seals the encrypted fields under the client's key.
            model.objects.bulk_create([obj for obj, _when in self.rows[model]], batch_size=BATCH)
        for task, record in self.completions:
            task.completion_id = str(record.pk)
        HomeworkTask.objects.bulk_create([obj for obj, _when in self.rows[HomeworkTask]], batch_size=BATCH)
        # auto_now and auto_now_add take the generator's clock: backdate them to when things happened.
        for model, name in (
            (Assignment, "created_at"),
            (CheckIn, "created_at"),
            (PracticeLog, "created_at"),
            (ExerciseEntry, "updated_at"),
        ):
            pairs = self.rows[model]
            for obj, when in pairs:
                setattr(obj, name, when)
            model.objects.bulk_update([obj for obj, _when in pairs], [name], batch_size=BATCH)
        for actor, entries in self.events.values():
            record_many(entries, actor=actor)


def selfcare_step(ctx: SynthContext) -> None:
    """Write every client's check-ins, exercises, practice, reading, homework and session topics."""
    plan = plan_selfcare(ctx.config, ctx.plan)
    ctx.extra["selfcare"] = plan
    written = {client.plan.number: (client, profile) for client, profile in ctx.written_clients()}
    writer = Writer()
    for client_plan in plan.clients:
        if client_plan.client.number not in written:
            continue
        client, profile = written[client_plan.client.number]
        writer.client(client_plan, client.user, profile, ctx.clinicians[client_plan.client.primary])
    writer.save()
    for model, name in (
        (CheckIn, "checkins"),
        (ExerciseEntry, "exercise_entries"),
        (PracticeLog, "practice_logs"),
        (ModuleRead, "module_reads"),
        (Assignment, "assignments"),
        (HomeworkTask, "homework_tasks"),
        (SessionTopic, "session_topics"),
    ):
        ctx.count(name, len(writer.rows[model]))
