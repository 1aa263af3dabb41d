"""Plan every client's questionnaires without touching the database.

For each client: schedules (PHQ-9 and GAD-7 weekly or fortnightly for everyone; WHO-5,
CORE-10 and PCL-5 for some), every request the schedules made with its delivery telemetry,
the answers of those the client completed (drawn from the latent severity, see
:mod:`alongside.synth.responses`), and the critical alerts with how each was handled.

Trajectories. Each client's severity follows their latent trajectory
(:meth:`alongside.synth.latent.Latent.expected_change`) scaled by a response strength of
their own. Outcome proportions are tuned so that, among finished episodes (ended, with at
least two paired PHQ-9 and GAD-7 administrations, as NHS Talking Therapies counts a finished
course of treatment), about half recover, about two-thirds reliably improve and about one in
twenty reliably deteriorate: approximately, per NHS Talking Therapies annual reports 2022-23
(NHS England / NHS Digital, "NHS Talking Therapies, for anxiety and depression, Annual
report 2022-23": recovery about 50%, reliable improvement about 67%, reliable deterioration
about 5%). :func:`finished_outcomes` computes those proportions for a plan.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from alongside.measures import library
from alongside.synth.config import SynthConfig
from alongside.synth.latent import Trajectory
from alongside.synth.plan import ClientPlan, PracticePlan
from alongside.synth.responses import answer_instrument, theta_of

CORE = ("phq9", "gad7")
CHANNELS = (("email", 0.45), ("push", 0.3), ("sms", 0.1), ("in_app", 0.15))
REQUEST_WINDOW_DAYS = 7  # PracticeMeasureSettings.request_window_days default
ESCALATION = dt.timedelta(hours=24)  # DEFAULT_ESCALATION_MINUTES
OPEN_ALERTS = 3  # unacknowledged alerts the demo shows (2 to 4)

# How strongly each trajectory's clients respond, as (mean, sd) of a multiplier on the latent
# curve; tuned (with the noise below) to the NHS Talking Therapies proportions above.
RESPONSE_STRENGTH: dict[Trajectory, tuple[float, float]] = {
    Trajectory.RESPONDER: (1.7, 0.3),
    Trajectory.SLOW_RESPONDER: (1.7, 0.3),
    Trajectory.NON_RESPONDER: (1.0, 0.6),
    Trajectory.DETERIORATOR: (1.2, 0.3),
    Trajectory.DROPOUT: (3.5, 2.0),
}

ACK_NOTES = (
    "Phoned the client the same day; passive thoughts, no plan or intent. Safety plan reviewed.",
    "Discussed at today's session. No current intent; agreed to use the crisis line if this changes.",
    "Spoke with the client by phone; risk assessed as low. Brought the next appointment forward.",
    "Reviewed with the client; thoughts are fleeting and familiar to them. Safety plan updated.",
    "Contacted the client; they are safe and supported by family. Will review at next session.",
)


@dataclass(frozen=True)
class ScheduleSpec:
    instrument: str
    interval_days: int
    time_of_day: dt.time
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass
class AdministrationPlan:
    """One request and what became of it. Times are aware datetimes; answers are link_id to value."""

    instrument: str
    occurrence: dt.date
    due_at: dt.datetime
    expires_at: dt.datetime
    status: str  # a measures RequestStatus value
    channel: str = ""
    delivered_at: dt.datetime | None = None
    seen_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    expired_at: dt.datetime | None = None
    answers: dict[str, int] | None = None  # submitted, or partial when opened but not finished
    submitted: bool = False
    critical_items: list[int] = field(default_factory=list)
    alert: AlertPlan | None = None


@dataclass
class AlertPlan:
    created_at: dt.datetime
    items: list[int]
    escalated_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    note: str = ""

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None


@dataclass
class ClientMeasuresPlan:
    client: ClientPlan
    schedules: list[ScheduleSpec]
    administrations: list[AdministrationPlan]

    def completed(self, instrument: str) -> list[AdministrationPlan]:
        return [a for a in self.administrations if a.instrument == instrument and a.submitted]


@dataclass(frozen=True)
class MeasuresPlan:
    clients: list[ClientMeasuresPlan]
    now: dt.datetime  # every planned event happens before this moment

    def alerts(self) -> list[tuple[ClientMeasuresPlan, AdministrationPlan]]:
        return [(c, a) for c in self.clients for a in c.administrations if a.alert is not None]


@dataclass(frozen=True)
class _Profile:
    """The client's measurement profile, drawn from their own random stream."""

    interval: int
    time_of_day: dt.time
    channel: str
    strength: float
    noise: float
    depression_shift: float
    anxiety_shift: float
    trauma_shift: float
    risk_offset: float
    answer_rate: float
    stop_after: int | None  # administrations before a dropout stops answering
    extras: tuple[str, ...]
    item_offsets: dict[str, dict[int, float]]


def _profile(rng: random.Random, client: ClientPlan) -> _Profile:
    latent = client.latent
    mean, sd = RESPONSE_STRENGTH[latent.trajectory]
    trauma = "memories" in client.presenting_concern or "Grief" in client.presenting_concern
    extras = []
    if rng.random() < 0.3:
        extras.append("who5")
    if rng.random() < 0.25:
        extras.append("core10")
    if trauma or rng.random() < 0.08:
        extras.append("pcl5")
    # A minority carry a real propensity to thoughts of self-harm; for the rest item 9 stays rare.
    at_risk = rng.random() < 0.2 + 0.3 * max(0.0, latent.severity - 0.5)
    offsets = {
        code: {n: rng.gauss(0, 0.35) for n in range(1, len(library.get(code).items) + 1)} for code in (*CORE, *extras)
    }
    return _Profile(
        interval=7 if rng.random() < 0.6 else 14,
        time_of_day=dt.time(rng.choice((8, 9, 9, 12, 18)), 0),
        channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
        strength=max(0.0, rng.gauss(mean, sd)),
        noise=0.1 + 0.3 * latent.volatility,
        depression_shift=rng.gauss(0, 0.35),
        anxiety_shift=rng.gauss(0, 0.35),
        trauma_shift=rng.gauss(0.8 if trauma else -0.6, 0.4),
        risk_offset=rng.gauss(0.8, 0.4) if at_risk else rng.gauss(-1.5, 0.5),
        answer_rate=min(0.97, 0.6 + 0.4 * latent.engagement),
        stop_after=rng.randint(1, 4) if latent.trajectory == Trajectory.DROPOUT else None,
        extras=tuple(extras),
        item_offsets=offsets,
    )


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, at).replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)


def _theta(profile: _Profile, code: str, base: float) -> float:
    match code:
        case "phq9" | "who5":
            return base + profile.depression_shift
        case "gad7":
            return base + profile.anxiety_shift
        case "pcl5":
            return base + profile.trauma_shift
    return base + (profile.depression_shift + profile.anxiety_shift) / 2


def _critical(code: str, answers: dict[str, int]) -> list[int]:
    instrument = library.get(code)
    return sorted(
        item.number
        for item in instrument.items
        if item.link_id in answers and library.is_critical(code, item.link_id, answers[item.link_id])
    )


def _telemetry(
    rng: random.Random, adm: AdministrationPlan, profile: _Profile, *, answers: bool, now: dt.datetime
) -> None:
    """Fill in delivery, seen, opened and completed or expired times, consistent with behaviour."""
    adm.channel = profile.channel
    adm.delivered_at = adm.due_at + dt.timedelta(minutes=rng.randint(1, 20))
    window = adm.expires_at - adm.delivered_at
    if answers:
        # Most answer within hours of the reminder; some leave it a few days.
        lag = min(window * 0.9, dt.timedelta(hours=math.exp(rng.gauss(1.0, 1.3))))
        seen = adm.delivered_at + lag
        opened = seen + dt.timedelta(minutes=rng.randint(0, 30))
        completed = opened + dt.timedelta(minutes=rng.randint(2, 9), seconds=rng.randint(0, 59))
        if completed < now:
            adm.seen_at, adm.opened_at, adm.completed_at = seen, opened, completed
            adm.status, adm.submitted = "completed", True
            return
        answers = False
    if rng.random() < 0.5:
        adm.seen_at = adm.delivered_at + dt.timedelta(hours=rng.uniform(0.5, 48))
        if rng.random() < 0.3:
            adm.opened_at = adm.seen_at + dt.timedelta(minutes=rng.randint(0, 20))
    if adm.seen_at is not None and adm.seen_at >= now:
        adm.seen_at = adm.opened_at = None
    if adm.expires_at <= now:
        adm.status, adm.expired_at = "expired", adm.expires_at + dt.timedelta(minutes=rng.randint(0, 14))
    else:
        adm.status = "pending"


def _outcome_offset(profile: _Profile, client: ClientPlan, weeks: float) -> float:
    return profile.strength * client.latent.expected_change(weeks)


def _plan_client(config: SynthConfig, client: ClientPlan, now: dt.datetime) -> ClientMeasuresPlan:
    rng = config.rng(f"measures:{client.number}")
    profile = _profile(rng, client)
    zone = ZoneInfo(client.time_zone)
    last_day = client.ended_on or (now.date() - dt.timedelta(days=1))
    schedules = [
        ScheduleSpec(code, profile.interval, profile.time_of_day, client.started_on, client.ended_on) for code in CORE
    ]
    for code in profile.extras:
        interval = 28 if code == "pcl5" else max(profile.interval, 14)
        schedules.append(ScheduleSpec(code, interval, profile.time_of_day, client.started_on, client.ended_on))

    administrations: list[AdministrationPlan] = []
    visits = 0
    occurrence = client.started_on
    while occurrence <= last_day:
        weeks = (occurrence - client.started_on).days / 7
        # The first administration happens at assessment, in the room: always completed.
        if visits == 0:
            engaged = True
        elif profile.stop_after is not None and visits > profile.stop_after:
            engaged = rng.random() < 0.03
        else:
            engaged = rng.random() < profile.answer_rate
        severity = client.latent.severity + _outcome_offset(profile, client, weeks)
        state = theta_of(min(1.0, max(0.0, severity))) + rng.gauss(0, profile.noise)
        for spec in schedules:
            if (occurrence - spec.starts_on).days % spec.interval_days:
                continue
            due = _local(occurrence, spec.time_of_day, zone)
            adm = AdministrationPlan(
                instrument=spec.instrument,
                occurrence=occurrence,
                due_at=due,
                expires_at=due + dt.timedelta(days=min(REQUEST_WINDOW_DAYS, spec.interval_days)),
                status="pending",
            )
            answers = engaged and (visits == 0 or rng.random() < (0.97 if spec.instrument in CORE else 0.85))
            _telemetry(rng, adm, profile, answers=answers, now=now)
            if adm.submitted or adm.opened_at is not None:
                drawn = answer_instrument(
                    rng,
                    spec.instrument,
                    _theta(profile, spec.instrument, state),
                    client_offsets=profile.item_offsets[spec.instrument],
                    risk_offset=profile.risk_offset,
                )
                if adm.submitted:
                    adm.answers = drawn
                    adm.critical_items = _critical(spec.instrument, drawn)
                else:
                    # Opened and left part-way: the answers saved so far stay in progress.
                    keep = rng.randint(1, max(1, len(drawn) - 1))
                    adm.answers = dict(list(drawn.items())[:keep])
            administrations.append(adm)
        visits += 1
        occurrence += dt.timedelta(days=profile.interval)
    return ClientMeasuresPlan(client=client, schedules=schedules, administrations=administrations)


def _handle_alerts(config: SynthConfig, clients: list[ClientMeasuresPlan], now: dt.datetime) -> None:
    """Give every critical administration an alert; acknowledge all but the few most recent."""
    rng = config.rng("measures:alerts")
    critical = [(c, a) for c in clients for a in c.administrations if a.submitted and a.critical_items]
    recent = dt.timedelta(days=10)
    candidates = [(c, a) for c, a in critical if c.client.active and now - a.due_at < recent]
    if len(candidates) < 2:
        _force_recent_alerts(config, clients, now, need=2 - len(candidates))
        critical = [(c, a) for c in clients for a in c.administrations if a.submitted and a.critical_items]
        candidates = [(c, a) for c, a in critical if c.client.active and now - a.due_at < recent]
    # One open alert per client, the latest ones in the practice.
    open_ids: set[int] = set()
    seen_clients: set[int] = set()
    for c, a in sorted(candidates, key=lambda pair: pair[1].completed_at or now, reverse=True):
        if len(open_ids) >= OPEN_ALERTS or c.client.number in seen_clients:
            continue
        open_ids.add(id(a))
        seen_clients.add(c.client.number)
    for _c, adm in critical:
        assert adm.completed_at is not None
        alert = AlertPlan(created_at=adm.completed_at, items=list(adm.critical_items))
        if id(adm) in open_ids:
            if now - alert.created_at > ESCALATION:
                alert.escalated_at = alert.created_at + ESCALATION
        else:
            delay = dt.timedelta(hours=min(40.0, math.exp(rng.gauss(1.2, 1.0))))
            alert.acknowledged_at = min(alert.created_at + delay, now - dt.timedelta(minutes=5))
            if alert.acknowledged_at - alert.created_at > ESCALATION:
                alert.escalated_at = alert.created_at + ESCALATION
            alert.note = rng.choice(ACK_NOTES)
        adm.alert = alert


def _force_recent_alerts(config: SynthConfig, clients: list[ClientMeasuresPlan], now: dt.datetime, need: int) -> None:
    """Make sure the demo shows open alerts: mark item 9 'Several days' on recent PHQ-9s of active clients."""
    rng = config.rng("measures:forced-alerts")
    recent = [
        a
        for c in clients
        if c.client.active
        for a in c.completed("phq9")[-1:]
        if now - a.due_at < dt.timedelta(days=10) and not a.critical_items
    ]
    rng.shuffle(recent)
    for adm in recent[:need]:
        assert adm.answers is not None
        adm.answers["phq9-9"] = 1
        if "phq9-10" not in adm.answers:
            adm.answers["phq9-10"] = 1  # the total is now above 0, so the difficulty item is asked
        adm.critical_items = _critical("phq9", adm.answers)


def plan_now(config: SynthConfig) -> dt.datetime:
    """Return the moment the plan stops at: the start of the anchor day in the practice's time zone."""
    return _local(config.anchor_date(), dt.time(0, 0), ZoneInfo(config.time_zone))


def plan_measures(config: SynthConfig, practice: PracticePlan) -> MeasuresPlan:
    """Plan the questionnaires of every client of ``practice``. Pure: the same config gives the same plan."""
    now = plan_now(config)
    clients = [_plan_client(config, client, now) for client in practice.clients]
    _handle_alerts(config, clients, now)
    return MeasuresPlan(clients=clients, now=now)


@dataclass(frozen=True)
class OutcomeSummary:
    finished: int
    recovery_denominator: int
    recovered: int
    reliably_improved: int
    reliably_deteriorated: int

    @property
    def recovery_rate(self) -> float:
        return self.recovered / self.recovery_denominator if self.recovery_denominator else 0.0

    @property
    def improvement_rate(self) -> float:
        return self.reliably_improved / self.finished if self.finished else 0.0

    @property
    def deterioration_rate(self) -> float:
        return self.reliably_deteriorated / self.finished if self.finished else 0.0


def paired_totals(client: ClientMeasuresPlan) -> list[tuple[int, int]]:
    """Return (PHQ-9, GAD-7) totals of the occurrences where both were completed, in time order."""
    gad = {a.occurrence: a for a in client.completed("gad7")}
    pairs = []
    for phq in client.completed("phq9"):
        other = gad.get(phq.occurrence)
        if other is not None and phq.answers is not None and other.answers is not None:
            pairs.append((_total("phq9", phq.answers), _total("gad7", other.answers)))
    return pairs


def _total(code: str, answers: dict[str, int]) -> int:
    total = library.score(code, answers).total
    assert total is not None
    return int(total)


def finished_outcomes(plan: MeasuresPlan) -> OutcomeSummary:
    """Return NHS Talking Therapies outcomes over finished episodes (ended, two or more paired scores)."""
    finished = denominator = recovered = improved = deteriorated = 0
    for client in plan.clients:
        pairs = paired_totals(client)
        if client.client.active or len(pairs) < 2:
            continue
        (phq_first, gad_first), (phq_last, gad_last) = pairs[0], pairs[-1]
        outcome = library.paired_outcome(phq_first, phq_last, gad_first, gad_last)
        finished += 1
        if outcome["recovery"] is not None:
            denominator += 1
            recovered += bool(outcome["recovery"])
        improved += bool(outcome["reliable_improvement"])
        deteriorated += bool(outcome["reliable_deterioration"])
    return OutcomeSummary(finished, denominator, recovered, improved, deteriorated)
