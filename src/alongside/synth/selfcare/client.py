"""Plan one client's self-care: their random stream, latent severity by day, check-ins, and homework tasks.

:class:`ClientPlanner` holds what every part of the plan shares; :mod:`.homework` adds the exercises, practice
and reading that complete the homework, and the topics raised for sessions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from alongside.selfcare.models import Assignment, Frequency, TaskStatus
from alongside.selfcare.services.checkins import ACTIVITIES
from alongside.selfcare.services.homework import expected_dates, task_window
from alongside.synth.config import SynthConfig
from alongside.synth.latent import Trajectory
from alongside.synth.measures_plan import _profile
from alongside.synth.plan import ClientPlan

from .plans import (
    ANXIOUS_WORDS,
    NEGATIVE,
    POSITIVE,
    WEEKDAY_MOOD,
    AssignmentPlan,
    CheckInPlan,
    ClientSelfcarePlan,
    TaskPlan,
    clamp,
    local_at,
)
from .texts import INSTRUCTIONS, NOTES_HIGH, NOTES_LOW, NOTES_MID


class ClientPlanner:
    """Plan one client: their own random stream, latent severity by day, and what they did."""

    def __init__(self, config: SynthConfig, client: ClientPlan, now: dt.datetime, modules: list[str]) -> None:
        self.rng = config.rng(f"selfcare:{client.number}")
        self.client = client
        self.now = now
        self.zone = ZoneInfo(client.time_zone)
        self.today = now.astimezone(self.zone).date()
        self.last_day = min(client.ended_on or self.today, self.today - dt.timedelta(days=1))
        self.length = max(1, (self.last_day - client.started_on).days)
        # The same response strength the questionnaires use, so mood and scores tell one story.
        self.strength = _profile(config.rng(f"measures:{client.number}"), client).strength
        self.modules = modules
        anxious = any(word in client.presenting_concern for word in ANXIOUS_WORDS)
        self.plan = ClientSelfcarePlan(client=client, anxious=anxious)
        self.keys = 0

    def key(self, prefix: str) -> str:
        self.keys += 1
        return f"synth-{prefix}-{self.client.number:03d}-{self.keys:05d}"

    def severity(self, day: dt.date) -> float:
        """Return the latent severity (0 to 1) on ``day``, as the measures plan computes it."""
        weeks = (day - self.client.started_on).days / 7
        latent = self.client.latent
        return min(1.0, max(0.0, latent.severity + self.strength * latent.expected_change(weeks)))

    def engagement(self, day: dt.date) -> float:
        """Return how likely the client is to use the app on ``day``; it fades before a dropout leaves."""
        latent = self.client.latent
        base = 0.35 + 0.6 * latent.engagement
        if latent.trajectory == Trajectory.DROPOUT:
            frac = (day - self.client.started_on).days / self.length
            base *= max(0.08, 1.0 - 1.1 * frac)
        return base

    # --- check-ins ---

    def checkins(self) -> None:
        rng, latent = self.rng, self.client.latent
        noise_sd = 0.6 + 1.4 * latent.volatility
        lapsed, drift = False, 0.0
        day = self.client.started_on
        while day <= self.last_day:
            engagement = self.engagement(day)
            # Two states make missing days come in clumps: a lapse starts rarely and lasts a few days.
            lapsed = rng.random() > 0.3 if lapsed else rng.random() < 0.03 + 0.08 * (1 - engagement)
            drift = 0.55 * drift + rng.gauss(0, noise_sd)
            if not lapsed and rng.random() < 0.35 + 0.6 * engagement:
                self.plan.checkins.append(self._checkin(day, drift))
            day += dt.timedelta(days=1)

    def _checkin(self, day: dt.date, drift: float) -> CheckInPlan:
        rng = self.rng
        severity = self.severity(day)
        weekend = day.weekday() >= 5
        mood = clamp(8.6 - 7.5 * severity + WEEKDAY_MOOD[day.weekday()] + drift, 0, 10)
        hours: Decimal | None = None
        quality: int | None = None
        if rng.random() < 0.75:
            raw = rng.gauss(7.5 - 1.8 * severity + (0.6 if weekend else 0.0), 0.9)
            hours = Decimal(str(min(12.0, max(2.5, round(raw * 2) / 2))))
            quality = clamp(0.45 * mood + 0.6 * (float(hours) - 7) + 3 + rng.gauss(0, 1.3), 0, 10)
        emotions = []
        n = rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 1))[0]
        pool = [*POSITIVE, *NEGATIVE]
        weights = [0.2 + mood if e in POSITIVE else 0.2 + (10 - mood) * 0.6 for e in pool]
        chosen: list[str] = []
        for _ in range(n):
            name = rng.choices(pool, weights=weights)[0]
            if name not in chosen:
                chosen.append(name)
        for name in chosen:
            strong = mood if name in POSITIVE else 10 - mood
            emotions.append({"name": name, "intensity": clamp(strong * 0.8 + rng.gauss(1.5, 1.5), 0, 10)})
        acts = []
        for code in ACTIVITIES:
            p = {"work": 0.75 if not weekend else 0.1, "friends": 0.45 if weekend else 0.2, "outdoors": 0.3}.get(
                code, 0.2
            )
            if code in {"exercise", "friends", "outdoors", "hobby"}:
                p *= 0.5 + mood / 10
            if code in {"screens", "rest"}:
                p *= 1.5 - mood / 10
            if rng.random() < p:
                acts.append(code)
        note = ""
        if rng.random() < 0.18:
            band = NOTES_LOW if mood <= 3 else NOTES_HIGH if mood >= 7 else NOTES_MID
            note = rng.choice(band)
        hour = rng.gauss(20.5, 1.5) if rng.random() < 0.8 else rng.uniform(7, 13)
        return CheckInPlan(
            day=day,
            at=local_at(day, min(23.9, max(6.0, hour)), self.zone),
            mood=mood,
            severity=severity,
            sleep_quality=quality,
            sleep_hours=hours,
            emotions=emotions,
            activities=acts,
            note=note,
        )

    # --- homework and what completes it ---

    def assign(
        self,
        kind: str,
        target: str,
        week: int,
        *,
        weeks: int = 0,
        per_week: int | None = None,
        instructions: str = "",
    ) -> AssignmentPlan | None:
        """Set homework at the session of ``week``: once (due a week later) or ``per_week`` for ``weeks``."""
        starts = self.client.started_on + dt.timedelta(days=7 * week)
        if starts >= self.last_day:
            return None
        once = per_week is None
        ends = None if once else starts + dt.timedelta(days=7 * weeks - 1)
        if ends is not None and self.client.ended_on is not None:
            ends = min(ends, self.client.ended_on)
        # Discharge ends whatever homework is still set.
        ended_at = None if self.client.ended_on is None else local_at(self.client.ended_on, 17, self.zone)
        plan = AssignmentPlan(
            key=self.key("assignment"),
            kind=kind,
            target=target,
            instructions=instructions or INSTRUCTIONS.get(target, INSTRUCTIONS["module"]),
            frequency=Frequency.ONCE if once else Frequency.PER_WEEK,
            times_per_week=per_week,
            starts_on=starts,
            due_on=starts + dt.timedelta(days=7) if once else None,
            ends_on=ends,
            created_at=local_at(starts, 10 + self.rng.random() * 6, self.zone),
            ended_at=ended_at,
        )
        self.plan.assignments.append(plan)
        return plan

    def tasks(self, assignment: AssignmentPlan) -> list[tuple[TaskPlan, dt.datetime | None]]:
        """Return every task of ``assignment`` with the moment it is completed (None when it is missed)."""
        shape = Assignment(
            kind=assignment.kind,
            target=assignment.target,
            frequency=assignment.frequency,
            times_per_week=assignment.times_per_week,
            starts_on=assignment.starts_on,
            due_on=assignment.due_on,
            ends_on=assignment.ends_on,
        )
        stop = self.client.ended_on or self.today
        out: list[tuple[TaskPlan, dt.datetime | None]] = []
        for due in expected_dates(shape, start=assignment.starts_on, end=stop):
            first, last = task_window(shape, due)
            if self.client.ended_on is not None:
                last = min(last, self.client.ended_on)
            task = TaskPlan(
                assignment=assignment.key,
                due_on=due,
                status=TaskStatus.DUE,
                scheduled_at=local_at(max(first, assignment.starts_on), 0.1, self.zone),
            )
            if task.scheduled_at >= self.now:
                continue
            rng = self.rng
            done_at: dt.datetime | None = None
            if rng.random() < min(0.95, self.engagement(due) + 0.1):
                day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
                moment = local_at(day, rng.uniform(8, 22), self.zone)
                if moment < self.now:
                    done_at = moment
            if rng.random() < 0.6:
                task.channel = rng.choice(("email", "push"))
                task.delivered_at = local_at(due, 9, self.zone) if local_at(due, 9, self.zone) < self.now else None
                if task.delivered_at is None:
                    task.channel = ""
            if done_at is not None:
                task.status, task.completed_at = TaskStatus.COMPLETED, done_at
                task.seen_at = task.opened_at = done_at - dt.timedelta(minutes=rng.randint(1, 20))
            elif last < self.today:
                task.status = TaskStatus.EXPIRED
                task.expired_at = local_at(last + dt.timedelta(days=1), 0.5, self.zone)
                if task.delivered_at is not None and rng.random() < 0.4:
                    task.seen_at = task.delivered_at + dt.timedelta(hours=rng.uniform(1, 30))
            out.append((task, done_at))
            self.plan.tasks.append(task)
        return out
