"""The self-care step: plan, then write in bulk, each client's check-ins, exercises, practice and homework.

Everything follows the client's hidden profile (:mod:`alongside.synth.latent`): daily mood tracks the
same latent severity as the questionnaires (:mod:`alongside.synth.measures_plan`), with a weekday
rhythm, day-to-day noise and missing days that come in clumps and grow for clients who drop out.
Homework adherence falls before a dropout leaves. Exposure practice habituates: SUDS fall within a
practice and, on the same ladder step, from one practice to the next.

Every free text below is a template written by us for synthetic data (not user interface, so not
translated); no real person is described. The plan is pure (:func:`plan_selfcare`); the step only writes it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from alongside.audit.log import Entry, record_many
from alongside.audit.models import AuditAction
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    CheckIn,
    EntryStatus,
    ExerciseEntry,
    ExerciseType,
    Frequency,
    HomeworkTask,
    ModuleRead,
    PracticeKind,
    PracticeLog,
    SelfcareAuditAction,
    SessionTopic,
    TaskStatus,
)
from alongside.selfcare.schemas import validate_data
from alongside.selfcare.services.checkins import ACTIVITIES
from alongside.selfcare.services.homework import expected_dates, module_choices, task_window
from alongside.synth.config import SynthConfig
from alongside.synth.context import SynthContext
from alongside.synth.latent import Trajectory
from alongside.synth.measures_plan import _profile, plan_now
from alongside.synth.plan import ClientPlan, PracticePlan

BATCH = 500

# Day-of-week shift of mood (Monday first): a dip at the start of the week, a lift at the weekend.
WEEKDAY_MOOD = (-0.7, -0.3, -0.1, 0.0, 0.3, 0.7, 0.5)
POSITIVE = ("calm", "happy", "hopeful")
NEGATIVE = ("anxious", "sad", "angry", "lonely", "stressed", "tired")
ANXIOUS_WORDS = ("Worry", "Panic", "Anxiety", "Fear", "Health worries", "Intrusive")
TOOL_SLOTS = (PracticeKind.BREATHING_BOX, PracticeKind.BREATHING_SLOW, PracticeKind.BREATHING_478)
TOOL_SECONDS = {
    PracticeKind.BREATHING_BOX: 96,
    PracticeKind.BREATHING_478: 76,
    PracticeKind.BREATHING_SLOW: 120,
    PracticeKind.MUSCLE_RELAXATION: 600,
    PracticeKind.GROUNDING: 180,
}

# --- Templates (ours, synthetic) ----------------------------------------------------------

NOTES_LOW = (
    "Hard day. Stayed in bed until noon and felt guilty about it.",
    "Couldn't face the shops, ordered food instead.",
    "Everything felt heavy today. Cancelled on a friend again.",
    "Woke at 4 and the worrying started straight away.",
    "Cried in the car before work. Not sure why.",
    "Argued about something small at home and then felt awful.",
    "Didn't answer any messages. Just wanted the day to be over.",
    "Heart racing on the way in, had to get off a stop early.",
    "Work review tomorrow and I can't stop going over it.",
    "Tired all day even though I slept. Skipped lunch.",
    "Felt like a burden. Tried the breathing, helped a little.",
    "Long day, no energy for anything after dinner.",
)
NOTES_MID = (
    "Okay day. Got the laundry done at least.",
    "Bit flat this morning, better after a walk.",
    "Busy at work, no time to think, which was fine.",
    "Called my sister, we talked for an hour.",
    "Managed the supermarket even though it was busy.",
    "Nothing special. Watched something and went to bed early.",
    "Some worry in the afternoon but it passed.",
    "Did one thing from my plan. Small, but done.",
    "Headache most of the day, otherwise alright.",
    "Noticed a thinking trap and caught it for once.",
    "Quiet evening, cooked a proper meal.",
    "Rain all day, stayed in and read.",
)
NOTES_HIGH = (
    "Good day! Went for a run before work.",
    "Lunch with a colleague, laughed a lot.",
    "Finished a task I'd been putting off for weeks.",
    "Took the bus the whole way without getting off.",
    "Slept well for once and it made a difference.",
    "Played with the kids in the park, felt present.",
    "Got positive feedback at work and actually believed it.",
    "Weekend away, felt like myself again.",
    "Gardened for two hours, very satisfying.",
    "Saw friends I hadn't seen in months.",
    "Felt calm most of the day. Noticing the change.",
    "Said yes to an invitation instead of making an excuse.",
)

# (situation, automatic thought, emotion words, traps, evidence for, evidence against, balanced thought)
THOUGHT_RECORDS = (
    (
        "My manager asked to speak to me at the end of the day and didn't say why.",
        "I've done something wrong and I'm going to lose my job.",
        ("Anxious", "Scared"),
        ("catastrophising", "fortune_telling"),
        "I was late with the report last month.",
        "My last review was good. She often asks for quick chats about scheduling. Nobody has complained.",
        "I don't know what it is about. It is more likely to be routine than a disaster, and I could cope either way.",
    ),
    (
        "A friend didn't reply to my message for two days.",
        "She's annoyed with me and doesn't want to be friends any more.",
        ("Sad", "Lonely"),
        ("mind_reading", "personalising"),
        "We haven't seen each other much lately.",
        "She has a new baby and replies slowly to everyone. She asked to meet up last week.",
        "She is probably busy. A slow reply says more about her week than about me.",
    ),
    (
        "I made a mistake in a spreadsheet I sent to the team.",
        "I'm useless, I can't get anything right.",
        ("Ashamed", "Frustrated"),
        ("labelling", "all_or_nothing"),
        "The numbers were wrong and someone had to point it out.",
        "I fixed it in ten minutes. I send dozens of these without errors. Others make mistakes too.",
        "I made one mistake and corrected it. That is what competent people do.",
    ),
    (
        "Sitting at home on a Saturday with nothing planned.",
        "Everyone else has a life and I'll always be on my own.",
        ("Lonely", "Sad"),
        ("overgeneralising", "fortune_telling"),
        "I haven't had plans for the last few weekends.",
        "I had coffee with my neighbour on Wednesday. I stopped asking people, they didn't stop asking me.",
        "I've been withdrawing lately, which I can change. Sending one message today is a start.",
    ),
    (
        "My heart started pounding in a crowded shop.",
        "I'm having a heart attack and nobody will help.",
        ("Panicky", "Scared"),
        ("catastrophising", "emotional_reasoning"),
        "My chest felt tight and I felt dizzy.",
        "The doctor checked my heart last month. This has happened many times and always passed.",
        "This is a panic attack. It is unpleasant but not dangerous, and it will pass if I stay.",
    ),
    (
        "I didn't finish everything on my to-do list.",
        "I should be able to manage all of this, I'm so lazy.",
        ("Guilty", "Low"),
        ("should_statements", "labelling"),
        "Three things are still not done.",
        "The list had fifteen things on it. I did the two most important ones. I have been unwell.",
        "I did what mattered most today. The rest can wait until tomorrow.",
    ),
    (
        "I gave a short update in the team meeting.",
        "Everyone noticed my voice shaking and thought I was incompetent.",
        ("Embarrassed", "Anxious"),
        ("mind_reading", "mental_filter"),
        "My voice did shake at the start.",
        "Two people asked follow-up questions about the content. Nobody mentioned my voice.",
        "I noticed my nerves more than anyone else did. People were listening to what I said.",
    ),
    (
        "My partner said the dinner was nice.",
        "He's only saying that to be kind, it wasn't really good.",
        ("Flat",),
        ("discounting_positive",),
        "I forgot the salt in the potatoes.",
        "He had seconds. He tells me when he doesn't like something.",
        "He enjoyed it. I can take a compliment at face value.",
    ),
    (
        "I noticed a new ache in my side while getting dressed.",
        "It must be something serious that the doctors have missed.",
        ("Anxious", "Scared"),
        ("catastrophising", "emotional_reasoning"),
        "It has been there since yesterday.",
        "I moved furniture at the weekend. Past aches like this went away in a few days.",
        "An ache after lifting is most likely a strain. I can wait a week before deciding whether to call.",
    ),
    (
        "My child's teacher sent a note home about homework.",
        "I'm a terrible parent, I've let them down.",
        ("Guilty", "Sad"),
        ("labelling", "personalising"),
        "I haven't checked homework for a couple of weeks.",
        "The note was friendly. My child is happy and doing well in most subjects.",
        "We missed some homework during a hard month. I can sit with them on Tuesdays from now on.",
    ),
)

ACTIVITY_IDEAS = (
    "Walk round the park for 20 minutes",
    "Call Mum",
    "Cook something from scratch",
    "Tidy the kitchen",
    "Swim at the leisure centre",
    "Read a chapter of my book",
    "Coffee with a neighbour",
    "Sort the post and pay one bill",
    "Play guitar for 15 minutes",
    "Take the dog somewhere new",
    "Go to the library",
    "Bake bread",
    "Water and repot the plants",
    "Stretching video before bed",
    "Visit the market on Saturday morning",
    "Message an old friend",
    "Cycle to work",
    "Change the bed sheets",
    "Watch a film with the family",
    "Draw for half an hour",
)

# (goal, [(step text, starting SUDS)]), easiest first.
LADDERS = (
    (
        "Travel to work by train on my own",
        (
            ("Stand on the platform for 10 minutes without getting on", 30),
            ("Ride one stop with a friend", 40),
            ("Ride one stop on my own", 55),
            ("Ride three stops at a quiet time", 65),
            ("Ride three stops at rush hour", 80),
            ("Do the whole journey to work", 90),
        ),
    ),
    (
        "Speak up in meetings at work",
        (
            ("Say good morning to everyone as I arrive", 25),
            ("Ask one question in a small meeting", 40),
            ("Give my update without notes", 55),
            ("Disagree politely with a suggestion", 70),
            ("Present a short item to the whole team", 85),
        ),
    ),
    (
        "Go to busy shops without leaving early",
        (
            ("Corner shop at a quiet time", 20),
            ("Supermarket early on a weekday", 35),
            ("Supermarket after work, with a list", 50),
            ("Queue at the busiest till", 60),
            ("Shopping centre on a Saturday afternoon", 80),
        ),
    ),
    (
        "Stop checking my body for signs of illness",
        (
            ("Delay checking by 10 minutes when I get the urge", 30),
            ("Go a morning without checking", 45),
            ("Read a health article without searching my symptoms", 55),
            ("Go a whole day without checking", 70),
            ("Go a week without asking for reassurance", 85),
        ),
    ),
    (
        "Walk over the high footbridge in town",
        (
            ("Look at photos of tall bridges", 20),
            ("Stand on a first-floor balcony", 35),
            ("Walk across the low river bridge", 50),
            ("Go up to the third floor of the car park and look out", 65),
            ("Walk halfway over the footbridge", 80),
            ("Walk all the way over the footbridge", 90),
        ),
    ),
)

# (problem, [(option, pros, cons)], chosen index, plan, review)
PROBLEMS = (
    (
        "Bills are piling up and I avoid opening the post.",
        (
            ("Open everything at once", "Gets it over with", "Overwhelming"),
            ("Open two letters each evening", "Manageable", "Takes longer"),
            ("Ask my brother to sit with me while I sort it", "Support", "Embarrassing"),
        ),
        1,
        "Two letters after dinner, Monday to Friday. Write each one on a list with its due date.",
        "Did it four evenings out of five. Less scary than I thought. Set up two direct debits.",
    ),
    (
        "I have no time for myself since starting the new shift pattern.",
        (
            ("Ask for a different rota", "Could fix it", "Might be refused"),
            ("Keep Sunday mornings free", "Under my control", "Only one slot"),
            ("Go to bed earlier to get up before the kids", "Quiet time", "Hard to change habits"),
        ),
        1,
        "Tell the family Sunday 8 to 10 is mine. Phone off, walk or read.",
        "Managed it twice. The first time I felt guilty, the second time I enjoyed it.",
    ),
    (
        "My flatmate leaves dishes everywhere and I get angry but say nothing.",
        (
            ("Say nothing and clean up", "No conflict", "I stay resentful"),
            ("Suggest a rota", "Fair", "She might not stick to it"),
            ("Talk to her calmly this weekend", "Honest", "Awkward"),
        ),
        2,
        "Saturday morning over coffee. Use 'I' statements and suggest a simple rota.",
        "She was apologetic and agreed. It has been better this week, not perfect.",
    ),
    (
        "I can't decide whether to go back to work full time.",
        (
            ("Go back full time now", "More money", "Might be too much"),
            ("Phased return over six weeks", "Gradual", "Less pay for a while"),
            ("Wait another month", "More recovery", "Anxiety about it grows"),
        ),
        1,
        "Ask HR and my doctor about a phased return. Write down questions before the call.",
        "HR agreed to three days a week for a month. Relieved to have a plan.",
    ),
    (
        "I keep missing appointments because I forget them.",
        (
            ("Use phone reminders", "Easy", "I swipe them away"),
            ("Paper calendar on the fridge", "Visible", "Only at home"),
            ("Both, and check them every Sunday", "Belt and braces", "Takes a few minutes"),
        ),
        2,
        "Sunday evening: copy the week's appointments to the calendar and set two reminders each.",
        "No missed appointments this fortnight.",
    ),
)

TOPIC_LINES = (
    "How to keep going with the plan when I feel flat",
    "The argument with my partner last weekend",
    "Sleep is getting worse again",
    "Whether to tell my manager what's going on",
    "I want to talk about the exposure that didn't go well",
    "Going back to work next month",
    "Feeling worse around the anniversary",
    "Ideas for the weekends, they're the hardest",
)

INSTRUCTIONS = {
    ExerciseType.THOUGHT_RECORD: "When you notice a drop in mood, write down the situation and the thought.",
    ExerciseType.BEHAVIOURAL_ACTIVATION: "Plan a few small activities for the week, a mix of things you enjoy "
    "and things that give a sense of achievement. Rate each one after.",
    ExerciseType.EXPOSURE_HIERARCHY: "Build your ladder from the easiest step to the goal, with a SUDS rating for each.",
    ExerciseType.PROBLEM_SOLVING: "Pick one practical problem and work through the steps.",
    PracticeKind.EXPOSURE: "Practise your current step and stay until the anxiety comes down by about half.",
    PracticeKind.BREATHING_BOX: "Use it once a day, ideally before the anxiety builds.",
    PracticeKind.BREATHING_SLOW: "A few minutes in the evening to help you wind down.",
    PracticeKind.BREATHING_478: "Try it at bedtime.",
    "module": "Read this before our next session and note one question.",
}


# --- Plan ---------------------------------------------------------------------------------


@dataclass
class CheckInPlan:
    day: dt.date
    at: dt.datetime
    mood: int
    severity: float
    sleep_quality: int | None
    sleep_hours: Decimal | None
    emotions: list[dict[str, Any]]
    activities: list[str]
    note: str


@dataclass
class EntryPlan:
    key: str
    kind: str
    status: str
    data: dict[str, Any]
    created_at: dt.datetime
    completed_at: dt.datetime | None
    assignment: str | None = None


@dataclass
class LogPlan:
    key: str
    kind: str
    at: dt.datetime
    entry: str | None = None
    step_id: str = ""
    rating_before: int | None = None
    rating_peak: int | None = None
    rating_after: int | None = None
    done: bool = True
    mastery: int | None = None
    pleasure: int | None = None
    duration_seconds: int | None = None
    note: str = ""
    assignment: str | None = None


@dataclass
class ReadPlan:
    key: str
    module: str
    read_at: dt.datetime
    assignment: str | None = None


@dataclass
class AssignmentPlan:
    key: str
    kind: str
    target: str
    instructions: str
    frequency: str
    times_per_week: int | None
    starts_on: dt.date
    due_on: dt.date | None
    ends_on: dt.date | None
    created_at: dt.datetime
    ended_at: dt.datetime | None = None


@dataclass
class TaskPlan:
    assignment: str
    due_on: dt.date
    status: str
    scheduled_at: dt.datetime
    delivered_at: dt.datetime | None = None
    channel: str = ""
    seen_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    expired_at: dt.datetime | None = None
    completion: tuple[str, str] | None = None  # (model label, record key)


@dataclass
class TopicPlan:
    created_at: dt.datetime
    text: str = ""
    source: tuple[str, str] | None = None  # (model label, record key)
    addressed_at: dt.datetime | None = None


@dataclass
class ClientSelfcarePlan:
    client: ClientPlan
    anxious: bool
    checkins: list[CheckInPlan] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    logs: list[LogPlan] = field(default_factory=list)
    reads: list[ReadPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)
    topics: list[TopicPlan] = field(default_factory=list)


@dataclass(frozen=True)
class SelfcarePlan:
    clients: list[ClientSelfcarePlan]
    now: dt.datetime


def _clamp(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def _at(day: dt.date, hours: float, zone: ZoneInfo) -> dt.datetime:
    """Return the moment ``hours`` after local midnight of ``day``."""
    midnight = dt.datetime.combine(day, dt.time()).replace(tzinfo=zone)
    return (midnight + dt.timedelta(hours=hours)).astimezone(dt.UTC).astimezone(zone)


class _Client:
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
        mood = _clamp(8.6 - 7.5 * severity + WEEKDAY_MOOD[day.weekday()] + drift, 0, 10)
        hours: Decimal | None = None
        quality: int | None = None
        if rng.random() < 0.75:
            raw = rng.gauss(7.5 - 1.8 * severity + (0.6 if weekend else 0.0), 0.9)
            hours = Decimal(str(min(12.0, max(2.5, round(raw * 2) / 2))))
            quality = _clamp(0.45 * mood + 0.6 * (float(hours) - 7) + 3 + rng.gauss(0, 1.3), 0, 10)
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
            emotions.append({"name": name, "intensity": _clamp(strong * 0.8 + rng.gauss(1.5, 1.5), 0, 10)})
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
            at=_at(day, min(23.9, max(6.0, hour)), self.zone),
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
        ended_at = None if self.client.ended_on is None else _at(self.client.ended_on, 17, self.zone)
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
            created_at=_at(starts, 10 + self.rng.random() * 6, self.zone),
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
                scheduled_at=_at(max(first, assignment.starts_on), 0.1, self.zone),
            )
            if task.scheduled_at >= self.now:
                continue
            rng = self.rng
            done_at: dt.datetime | None = None
            if rng.random() < min(0.95, self.engagement(due) + 0.1):
                day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
                moment = _at(day, rng.uniform(8, 22), self.zone)
                if moment < self.now:
                    done_at = moment
            if rng.random() < 0.6:
                task.channel = rng.choice(("email", "push"))
                task.delivered_at = _at(due, 9, self.zone) if _at(due, 9, self.zone) < self.now else None
                if task.delivered_at is None:
                    task.channel = ""
            if done_at is not None:
                task.status, task.completed_at = TaskStatus.COMPLETED, done_at
                task.seen_at = task.opened_at = done_at - dt.timedelta(minutes=rng.randint(1, 20))
            elif last < self.today:
                task.status = TaskStatus.EXPIRED
                task.expired_at = _at(last + dt.timedelta(days=1), 0.5, self.zone)
                if task.delivered_at is not None and rng.random() < 0.4:
                    task.seen_at = task.delivered_at + dt.timedelta(hours=rng.uniform(1, 30))
            out.append((task, done_at))
            self.plan.tasks.append(task)
        return out

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
            self._tool_log(other, _at(day, rng.uniform(7, 23), self.zone), None)
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
                    self._entry(ExerciseType.THOUGHT_RECORD, draft, _at(task.due_on, 21, self.zone), None, draft=True)
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
                at = _at(day, rng.uniform(10, 20), self.zone)
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
                        mastery=_clamp(3 + 5 * mood_lift + rng.gauss(0, 1.5), 0, 10) if done else None,
                        pleasure=_clamp(2 + 6 * mood_lift + rng.gauss(0, 1.5), 0, 10) if done else None,
                    )
                )

    def _exposure(self, ladder_assignment: AssignmentPlan | None) -> None:
        if ladder_assignment is None:
            return
        rng = self.rng
        goal, steps = rng.choice(LADDERS)
        ladder_steps: list[dict[str, Any]] = [
            {"id": f"s{i + 1}", "text": text, "suds": _clamp(suds + rng.gauss(0, 5), 5, 100)}
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
            peak = _clamp(base * (0.88**repeats) + rng.gauss(5, 5), 5, 100)
            before = _clamp(peak * rng.uniform(0.6, 0.85), 0, 100)
            after = _clamp(peak * rng.uniform(0.35, 0.6), 0, 100)
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
        before = _clamp(2 + 7 * self.severity(at.date()) + rng.gauss(0, 1.5), 1, 10)
        after = _clamp(before - rng.gauss(2.2, 1.3), 0, 10)
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
            topic = TopicPlan(created_at=_at(day, rng.uniform(8, 22), self.zone))
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
        planner = _Client(config, client, now, modules)
        planner.checkins()
        planner.homework()
        planner.topics()
        clients.append(planner.plan)
    return SelfcarePlan(clients=clients, now=now)


# --- Write ----------------------------------------------------------------------------------


def _event(action: SelfcareAuditAction, obj: Any, client_id: Any, **detail: Any) -> Entry:
    # Our events live in the shared chain; AuditAction lists the foundation's own.
    return Entry(action=cast(AuditAction, action), obj=obj, client_id=client_id, detail={"synthetic": True, **detail})


class _Writer:
    def __init__(self) -> None:
        self.rows: dict[type[Any], list[Any]] = {
            m: [] for m in (Assignment, HomeworkTask, CheckIn, ExerciseEntry, PracticeLog, ModuleRead, SessionTopic)
        }
        self.events: dict[uuid.UUID, tuple[Any, list[Entry]]] = {}
        self.completions: list[tuple[HomeworkTask, Any]] = []  # a task and the record that completed it

    def audit(self, actor: Any, entry: Entry) -> None:
        self.events.setdefault(actor.pk, (actor, []))[1].append(entry)

    def client(self, plan: ClientSelfcarePlan, user: Any, profile: Any, clinician: Any) -> None:
        rows = self.rows
        by_key: dict[str, Any] = {}
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
            rows[Assignment].append((assignment, a.created_at))
            self.audit(clinician, _event(SelfcareAuditAction.ASSIGNMENT_SET, assignment, profile.pk, kind=a.kind))
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
            rows[CheckIn].append((checkin, c.at))
            self.audit(user, _event(SelfcareAuditAction.CHECKIN_CREATED, checkin, profile.pk))
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
            rows[ExerciseEntry].append((entry, e.completed_at or e.created_at))
            self.audit(user, _event(SelfcareAuditAction.ENTRY_SAVED, entry, profile.pk, kind=e.kind))
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
            rows[PracticeLog].append((log, lp.at))
            self.audit(user, _event(SelfcareAuditAction.PRACTICE_LOGGED, log, profile.pk, kind=lp.kind))
        for r in plan.reads:
            read = ModuleRead(
                client=profile, module=r.module, read_at=r.read_at, assignment=by_key.get(r.assignment or "")
            )
            by_key[r.key] = read
            rows[ModuleRead].append((read, r.read_at))
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
            rows[HomeworkTask].append((task, t.scheduled_at))
        for tp in plan.topics:
            topic = SessionTopic(client=profile, created_at=tp.created_at, addressed_at=tp.addressed_at)
            cast(Any, topic).text = tp.text
            if tp.source is not None:
                label, key = tp.source
                topic.source_type = label
                source = checkins.get(key) if label == "selfcare.checkin" else by_key.get(key)
                topic.source_id = str(source.pk) if source is not None else ""
            rows[SessionTopic].append((topic, tp.created_at))
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
    writer = _Writer()
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
