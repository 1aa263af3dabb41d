"""The measures step: write the planned schedules, requests, responses, scores and alerts.

The plan (:mod:`alongside.synth.measures_plan`) is pure; this step only writes it, in bulk.
It bypasses :mod:`alongside.measures.services` on purpose: those write one answer at a time
with the real clock, while the demo needs a year of history with its own times. What it
writes is what the services would have written (the same scores, alerts for the treating
clinicians, acknowledgement with a note, escalation to the admins, audit events).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, cast

from django.urls import reverse

from alongside.accounts.models import User
from alongside.audit.log import Entry, record_many
from alongside.measures import library
from alongside.measures.models import (
    MeasureAuditAction,
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    MeasureScore,
    ResponseStatus,
    ScheduleRule,
)
from alongside.measures.services.summaries import score_summaries_rebuild
from alongside.notify.models import Notification, NotificationKind
from alongside.safety.models import AlertStatus, CriticalAlert, SafetyAuditAction, alert_topic
from alongside.synth.context import SynthContext
from alongside.synth.measures_plan import AdministrationPlan, ClientMeasuresPlan, plan_measures

BATCH = 500


# What response_submit keeps in a score: numbers, booleans and band-like tokens, never free text.
_TOKEN = re.compile(r"^[a-z0-9_\- ]{1,40}$")  # band names such as "extremely severe"


def _numbers(values: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bool | int | float) or value is None or (isinstance(value, str) and _TOKEN.match(value)):
            kept[str(key)] = value
        elif isinstance(value, Mapping):
            kept[str(key)] = _numbers(value)
    return kept


def score_fields(code: str, answers: dict[str, int]) -> dict[str, Any]:
    """Return the MeasureScore fields of one administration, as response_submit stores them."""
    result = library.score(code, answers)
    critical = set(result.critical_items)
    instrument = library.get(code)
    for item in instrument.items:
        value = answers.get(item.link_id)
        if value is not None and library.is_critical(code, item.link_id, value):
            critical.add(item.number)
    return {
        "total": None if result.total is None else float(result.total),
        "severity": str(result.severity or "")[:64],
        "caseness": result.caseness,
        "subscales": _numbers(result.subscales),
        "critical_items": sorted(critical),
        "extra": _numbers(result.extra),
    }


def _event(action: MeasureAuditAction | SafetyAuditAction, obj: Any, client_id: Any, **detail: Any) -> Entry:
    # Our events live in the shared chain; AuditAction lists the foundation's own.
    return Entry(action=action, obj=obj, client_id=client_id, detail={"synthetic": True, **detail})


def _notice(
    alert: CriticalAlert, recipient: User, kind: NotificationKind, at: dt.datetime, read_at: dt.datetime | None
) -> Notification:
    """An alert's in-app notice, as the alert services write it (notify.Notification about the alert)."""
    return Notification(
        recipient=recipient,
        kind=kind,
        link=reverse("measures:alert_detail", args=[alert.pk]),
        subject_client_id=alert.client_id,
        created_at=at,
        emailed_at=at + dt.timedelta(minutes=1),
        read_at=read_at,
        dedupe_key=f"{kind}:{alert.pk}",
        topic=alert_topic(alert.pk),
    )


class _Writer:
    """Collect rows and audit events for every client, then insert them in bulk."""

    def __init__(self, ctx: SynthContext, now: dt.datetime) -> None:
        self.ctx = ctx
        self.now = now
        self.schedules: list[MeasureSchedule] = []
        self.requests: list[MeasureRequest] = []
        self.responses: list[MeasureResponse] = []
        self.scores: list[MeasureScore] = []
        self.alerts: list[CriticalAlert] = []
        self.notices: list[Notification] = []
        self.events: dict[uuid.UUID | None, tuple[User | None, list[Entry]]] = {}

    def audit(self, actor: User | None, entry: Entry) -> None:
        key = actor.pk if actor is not None else None
        self.events.setdefault(key, (actor, []))[1].append(entry)

    def client(self, plan: ClientMeasuresPlan, user: User, profile: Any) -> None:
        clinicians = self.ctx.clinicians
        primary = clinicians[plan.client.primary]
        team = [primary] + ([clinicians[plan.client.second]] if plan.client.second is not None else [])
        schedules: dict[str, MeasureSchedule] = {}
        for spec in plan.schedules:
            first_due = min(a.due_at for a in plan.administrations if a.instrument == spec.instrument)
            created = first_due - dt.timedelta(hours=1)
            schedule = MeasureSchedule(
                client=profile,
                instrument=spec.instrument,
                rule=ScheduleRule.EVERY_N_DAYS,
                interval_days=spec.interval_days,
                time_of_day=spec.time_of_day,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                created_at=created,
                created_by=primary,
            )
            if spec.ends_on is not None:
                # Ended with the episode, the day after its last request was made.
                ended = created + dt.timedelta(days=(spec.ends_on - spec.starts_on).days + 1)
                schedule.ended_at = min(ended, self.now)
                schedule.ended_by = primary
            schedules[spec.instrument] = schedule
            self.schedules.append(schedule)
            self.audit(
                primary,
                _event(MeasureAuditAction.SCHEDULE_SET, schedule, profile.pk, instrument=spec.instrument),
            )
        for adm in plan.administrations:
            self._administration(adm, schedules[adm.instrument], user, profile, team)

    def _administration(
        self, adm: AdministrationPlan, schedule: MeasureSchedule, user: User, profile: Any, team: list[User]
    ) -> None:
        request = MeasureRequest(
            client=profile,
            instrument=adm.instrument,
            schedule=schedule,
            occurrence=adm.occurrence,
            due_at=adm.due_at,
            expires_at=adm.expires_at,
            status=adm.status,
            scheduled_at=adm.due_at,
            delivered_at=adm.delivered_at,
            delivery_channel=adm.channel if adm.delivered_at else "",
            seen_at=adm.seen_at,
            opened_at=adm.opened_at,
            completed_at=adm.completed_at,
            expired_at=adm.expired_at,
        )
        self.requests.append(request)
        if adm.answers is None or adm.opened_at is None:
            return
        submitted = adm.completed_at
        response = MeasureResponse(
            client=profile,
            instrument=adm.instrument,
            request=request,
            idempotency_key=f"synth-{adm.instrument}-{adm.occurrence:%Y%m%d}",
            status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.IN_PROGRESS,
            started_at=adm.opened_at,
            updated_at=submitted or adm.opened_at + dt.timedelta(minutes=2),
            submitted_at=submitted,
        )
        # Set through the attribute so that bulk_create seals it under the client's key.
        cast(Any, response).answers = dict(adm.answers)
        self.responses.append(response)
        if submitted is None:
            return
        self.scores.append(
            MeasureScore(
                response=response,
                client=profile,
                instrument=adm.instrument,
                scored_at=submitted,
                **score_fields(adm.instrument, adm.answers),
            )
        )
        self.audit(user, _event(MeasureAuditAction.RESPONSE_SUBMITTED, response, profile.pk, instrument=adm.instrument))
        if adm.alert is not None:
            self._alert(adm, response, user, profile, team)

    def _alert(
        self, adm: AdministrationPlan, response: MeasureResponse, user: User, profile: Any, team: list[User]
    ) -> None:
        plan = adm.alert
        assert plan is not None
        if plan.acknowledged_at is not None:
            status = AlertStatus.ACKNOWLEDGED
        else:
            status = AlertStatus.ESCALATED if plan.escalated_at else AlertStatus.OPEN
        alert = CriticalAlert(
            client=profile,
            response=response,
            instrument=adm.instrument,
            items=list(plan.items),
            status=status,
            created_at=plan.created_at,
            escalated_at=plan.escalated_at,
            acknowledged_at=plan.acknowledged_at,
            acknowledged_by=team[0] if plan.acknowledged_at else None,
        )
        cast(Any, alert).note = plan.note
        self.alerts.append(alert)
        for clinician in team:
            # Everyone notified has read an acknowledged alert's notice; an open one is still unread.
            self.notices.append(
                _notice(alert, clinician, NotificationKind.ALERT, plan.created_at, plan.acknowledged_at)
            )
        self.audit(user, _event(SafetyAuditAction.ALERT_RAISED, alert, profile.pk, instrument=adm.instrument))
        if plan.escalated_at is not None:
            admin = self.ctx.require_admin()
            self.notices.append(
                _notice(alert, admin, NotificationKind.ESCALATION, plan.escalated_at, plan.acknowledged_at)
            )
            self.audit(None, _event(SafetyAuditAction.ALERT_ESCALATED, alert, profile.pk))
        if plan.acknowledged_at is not None:
            self.audit(team[0], _event(SafetyAuditAction.ALERT_ACKNOWLEDGED, alert, profile.pk))

    def save(self) -> None:
        MeasureSchedule.objects.bulk_create(self.schedules, batch_size=BATCH)
        MeasureRequest.objects.bulk_create(self.requests, batch_size=BATCH)
        # bulk_create runs each field's pre_save, which seals the encrypted answers and notes.
        MeasureResponse.objects.bulk_create(self.responses, batch_size=BATCH)
        MeasureScore.objects.bulk_create(self.scores, batch_size=BATCH)
        score_summaries_rebuild(client_ids={score.client_id for score in self.scores})
        CriticalAlert.objects.bulk_create(self.alerts, batch_size=BATCH)
        Notification.objects.bulk_create(self.notices, batch_size=BATCH)
        for actor, entries in self.events.values():
            record_many(entries, actor=actor)


def measures_step(ctx: SynthContext) -> None:
    """Write every client's questionnaire history: schedules, requests, answers, scores and alerts."""
    plan = plan_measures(ctx.config, ctx.plan)
    ctx.extra["measures"] = plan
    written = {client.plan.number: (client, profile) for client, profile in ctx.written_clients()}
    writer = _Writer(ctx, plan.now)
    for client_plan in plan.clients:
        if client_plan.client.number not in written:
            continue
        client, profile = written[client_plan.client.number]
        assert client.user is not None
        writer.client(client_plan, client.user, profile)
    writer.save()
    by_status: dict[str, int] = defaultdict(int)
    for alert in writer.alerts:
        by_status[alert.status] += 1
    ctx.count("measure_requests", len(writer.requests))
    ctx.count("measure_responses", len(writer.responses))
    ctx.count("measure_scores", len(writer.scores))
    ctx.count("critical_alerts", len(writer.alerts))
    ctx.count("critical_alerts_open", by_status[AlertStatus.OPEN] + by_status[AlertStatus.ESCALATED])
