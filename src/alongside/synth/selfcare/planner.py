"""Plan what completes a client's homework (reading, thought records, activation, exposure, tools, problem
solving) and the topics they raise for sessions.

Homework adherence falls before a dropout leaves. Exposure practice habituates: SUDS fall within a practice
and, on the same ladder step, from one practice to the next.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from alongside.selfcare.models import AssignmentKind, EntryStatus, ExerciseType, PracticeKind
from alongside.selfcare.schemas import validate_data
from alongside.selfcare.services.homework import module_choices
from alongside.synth.config import SynthConfig
from alongside.synth.measures_plan import plan_now
from alongside.synth.plan import PracticePlan

from .client import ClientPlanner
from .plans import (
    TOOL_SECONDS,
    TOOL_SLOTS,
    AssignmentPlan,
    EntryPlan,
    LogPlan,
    ReadPlan,
    SelfcarePlan,
    TopicPlan,
    clamp,
    local_at,
)
from .texts import ACTIVITY_IDEAS, LADDERS, PROBLEMS, THOUGHT_RECORDS, TOPIC_LINES


class HomeworkPlanner(ClientPlanner):
    """Plan one client completely: check-ins (from :class:`ClientPlanner`), homework and session topics."""

    def homework(self) -> None:
        rng, plan = self.rng, self.plan
        modules = self.modules
        intro = next((m for m in modules if "cbt" in m), modules[0] if modules else "")
        if intro:
            self._reads(self.assign(AssignmentKind.MODULE, intro, 0), intro)
        self._thought_records(self.assign(AssignmentKind.EXERCISE, ExerciseType.THOUGHT_RECORD, 1, weeks=4, per_week=2))
        if plan.anxious:
            ladder_assignment = self.assign(AssignmentKind.EXERCISE, ExerciseType.EXPOSURE_HIERARCHY, 2)
            self._exposure(ladder_assignment)
        else:
            self._activation(
                self.assign(AssignmentKind.EXERCISE, ExerciseType.BEHAVIOURAL_ACTIVATION, 2, weeks=6, per_week=1)
            )
        tool = rng.choice(TOOL_SLOTS)
        if rng.random() < 0.65:
            self._tools(self.assign(AssignmentKind.TOOL, tool, 1, weeks=5, per_week=3), tool)
        # Self-initiated use of a tool nobody assigned (so it never counts as homework).
        other = PracticeKind.GROUNDING if plan.anxious else PracticeKind.MUSCLE_RELAXATION
        for _ in range(int(self.client.latent.engagement * 8 * min(1.0, self.length / 60))):
            day = self.client.started_on + dt.timedelta(days=rng.randint(0, self.length))
            self._tool_log(other, local_at(day, rng.uniform(7, 23), self.zone), None)
        if rng.random() < 0.4:
            self._problem_solving(self.assign(AssignmentKind.EXERCISE, ExerciseType.PROBLEM_SOLVING, 5))
        second = [m for m in modules if ("worry" in m or "panic" in m) == plan.anxious and m != intro]
        if second:
            module = rng.choice(second)
            self._reads(self.assign(AssignmentKind.MODULE, module, 3), module)

    def _reads(self, assignment: AssignmentPlan | None, module: str) -> None:
        if assignment is None:
            return
        for task, done_at in self.tasks(assignment):
            if done_at is not None:
                read = ReadPlan(self.key("read"), module, done_at, assignment.key)
                self.plan.reads.append(read)
                task.completion = ("selfcare.moduleread", read.key)

    def _entry(self, kind: str, data: dict[str, Any], at: dt.datetime, assignment: str | None, *, draft: bool) -> str:
        status = EntryStatus.DRAFT if draft else EntryStatus.COMPLETE
        validate_data(kind, data, complete=not draft)
        created = at - dt.timedelta(minutes=self.rng.randint(4, 25))
        entry = EntryPlan(self.key("entry"), kind, status, data, created, None if draft else at, assignment)
        self.plan.entries.append(entry)
        return entry.key

    def _thought_records(self, assignment: AssignmentPlan | None) -> None:
        if assignment is None:
            return
        rng = self.rng
        for task, done_at in self.tasks(assignment):
            if done_at is None:
                if rng.random() < 0.15 and task.due_on < self.last_day:
                    # Started and left unfinished: a draft to resume.
                    situation, thought, *_ = rng.choice(THOUGHT_RECORDS)
                    draft = {"situation": situation, "thoughts": [{"text": thought, "belief": rng.randint(60, 95)}]}
                    self._entry(
                        ExerciseType.THOUGHT_RECORD, draft, local_at(task.due_on, 21, self.zone), None, draft=True
                    )
                continue
            situation, thought, emotions, traps, ev_for, ev_against, balanced = rng.choice(THOUGHT_RECORDS)
            before = {e: rng.randint(55, 95) for e in emotions}
            data: dict[str, Any] = {
                "situation": situation,
                "thoughts": [{"text": thought, "belief": rng.randint(60, 100)}],
                "emotions": [{"name": e, "intensity": v} for e, v in before.items()],
                "traps": list(traps),
                "evidence_for": ev_for,
                "evidence_against": ev_against,
                "balanced_thought": balanced,
                "balanced_belief": rng.randint(40, 85),
                "rerated": [{"name": e, "intensity": max(5, v - rng.randint(10, 45))} for e, v in before.items()],
            }
            key = self._entry(ExerciseType.THOUGHT_RECORD, data, done_at, assignment.key, draft=False)
            task.completion = ("selfcare.exerciseentry", key)

    def _activation(self, assignment: AssignmentPlan | None) -> None:
        if assignment is None:
            return
        rng = self.rng
        for task, done_at in self.tasks(assignment):
            if done_at is None:
                continue
            monday = done_at.date() - dt.timedelta(days=done_at.weekday())
            ideas = rng.sample(ACTIVITY_IDEAS, rng.randint(3, 6))
            activities: list[dict[str, Any]] = [
                {"id": f"a{i + 1}", "text": text, "day": rng.randint(0, 6)} for i, text in enumerate(ideas)
            ]
            data = {"week_of": monday.isoformat(), "activities": activities}
            key = self._entry(ExerciseType.BEHAVIOURAL_ACTIVATION, data, done_at, assignment.key, draft=False)
            task.completion = ("selfcare.exerciseentry", key)
            for activity in activities:
                day = monday + dt.timedelta(days=activity["day"])
                at = local_at(day, rng.uniform(10, 20), self.zone)
                if at <= done_at or at >= self.now or day > self.last_day:
                    continue
                done = rng.random() < self.engagement(day) + 0.1
                mood_lift = 1 - self.severity(day)
                self.plan.logs.append(
                    LogPlan(
                        key=self.key("log"),
                        kind=PracticeKind.ACTIVITY,
                        at=at,
                        entry=key,
                        step_id=activity["id"],
                        done=done,
                        mastery=clamp(3 + 5 * mood_lift + rng.gauss(0, 1.5), 0, 10) if done else None,
                        pleasure=clamp(2 + 6 * mood_lift + rng.gauss(0, 1.5), 0, 10) if done else None,
                    )
                )

    def _exposure(self, ladder_assignment: AssignmentPlan | None) -> None:
        if ladder_assignment is None:
            return
        rng = self.rng
        goal, steps = rng.choice(LADDERS)
        ladder_steps: list[dict[str, Any]] = [
            {"id": f"s{i + 1}", "text": text, "suds": clamp(suds + rng.gauss(0, 5), 5, 100)}
            for i, (text, suds) in enumerate(steps)
        ]
        ladder_key = ""
        for task, done_at in self.tasks(ladder_assignment):
            if done_at is not None:
                data = {"goal": goal, "steps": ladder_steps}
                ladder_key = self._entry(
                    ExerciseType.EXPOSURE_HIERARCHY, data, done_at, ladder_assignment.key, draft=False
                )
                task.completion = ("selfcare.exerciseentry", ladder_key)
        if not ladder_key:
            return
        practice = self.assign(AssignmentKind.TOOL, PracticeKind.EXPOSURE, 3, weeks=8, per_week=3)
        if practice is None:
            return
        step, repeats = 0, 0
        for task, done_at in self.tasks(practice):
            if done_at is None:
                continue
            base = ladder_steps[step]["suds"]
            # Across practices of one step the fear habituates; within a practice it falls from the peak.
            peak = clamp(base * (0.88**repeats) + rng.gauss(5, 5), 5, 100)
            before = clamp(peak * rng.uniform(0.6, 0.85), 0, 100)
            after = clamp(peak * rng.uniform(0.35, 0.6), 0, 100)
            log = LogPlan(
                key=self.key("log"),
                kind=PracticeKind.EXPOSURE,
                at=done_at,
                entry=ladder_key,
                step_id=str(ladder_steps[step]["id"]),
                rating_before=before,
                rating_peak=peak,
                rating_after=after,
                duration_seconds=rng.randint(10, 50) * 60,
                assignment=practice.key,
            )
            self.plan.logs.append(log)
            task.completion = ("selfcare.practicelog", log.key)
            repeats += 1
            if (peak < 45 or repeats >= 4) and step < len(ladder_steps) - 1:
                step, repeats = step + 1, 0

    def _tool_log(self, kind: str, at: dt.datetime, assignment: str | None) -> LogPlan:
        rng = self.rng
        before = clamp(2 + 7 * self.severity(at.date()) + rng.gauss(0, 1.5), 1, 10)
        after = clamp(before - rng.gauss(2.2, 1.3), 0, 10)
        log = LogPlan(
            key=self.key("log"),
            kind=kind,
            at=at,
            rating_before=before,
            rating_after=after,
            duration_seconds=int(TOOL_SECONDS[PracticeKind(kind)] * rng.uniform(0.8, 1.3)),
            assignment=assignment,
        )
        self.plan.logs.append(log)
        return log

    def _tools(self, assignment: AssignmentPlan | None, kind: str) -> None:
        if assignment is None:
            return
        for task, done_at in self.tasks(assignment):
            if done_at is not None:
                task.completion = ("selfcare.practicelog", self._tool_log(kind, done_at, assignment.key).key)

    def _problem_solving(self, assignment: AssignmentPlan | None) -> None:
        if assignment is None:
            return
        problem, options, chosen, plan_text, review = self.rng.choice(PROBLEMS)
        data = {
            "problem": problem,
            "options": [{"id": f"o{i + 1}", "text": t, "pros": p, "cons": c} for i, (t, p, c) in enumerate(options)],
            "chosen": f"o{chosen + 1}",
            "plan": plan_text,
            "review": review,
        }
        for task, done_at in self.tasks(assignment):
            if done_at is not None:
                key = self._entry(ExerciseType.PROBLEM_SOLVING, data, done_at, assignment.key, draft=False)
                task.completion = ("selfcare.exerciseentry", key)

    # --- topics ---

    def topics(self) -> None:
        rng, plan = self.rng, self.plan
        if rng.random() > 0.5:
            return
        for _ in range(rng.randint(1, 2)):
            day = self.client.started_on + dt.timedelta(days=rng.randint(0, self.length))
            topic = TopicPlan(created_at=local_at(day, rng.uniform(8, 22), self.zone))
            low = [c for c in plan.checkins if c.mood <= 3 and c.day <= day]
            entries = [e for e in plan.entries if e.status == EntryStatus.COMPLETE and e.created_at.date() <= day]
            pick = rng.random()
            if pick < 0.3 and low:
                topic.source = ("selfcare.checkin", str(low[-1].day))
                topic.created_at = low[-1].at + dt.timedelta(minutes=2)
            elif pick < 0.6 and entries:
                topic.source = ("selfcare.exerciseentry", entries[-1].key)
                topic.created_at = cast(dt.datetime, entries[-1].completed_at) + dt.timedelta(minutes=2)
            else:
                topic.text = rng.choice(TOPIC_LINES)
            # Discussed at the next weekly session, unless that is still to come.
            addressed = topic.created_at + dt.timedelta(days=rng.randint(2, 7))
            if addressed < self.now - dt.timedelta(days=1) and (self.client.ended_on or self.today) >= addressed.date():
                topic.addressed_at = addressed
            if topic.created_at < self.now:
                plan.topics.append(topic)


def plan_selfcare(config: SynthConfig, practice: PracticePlan) -> SelfcarePlan:
    """Plan every client's self-care records. Pure: the same config gives the same plan."""
    now = plan_now(config)
    modules = [slug for slug, _title in module_choices()]
    clients = []
    for client in practice.clients:
        planner = HomeworkPlanner(config, client, now, modules)
        planner.checkins()
        planner.homework()
        planner.topics()
        clients.append(planner.plan)
    return SelfcarePlan(clients=clients, now=now)
