"""Writes for measure requests and their delivery telemetry."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.practice_settings import PracticeSettings, practice_settings
from alongside.core.services import unaudited
from alongside.measures.models import (
    DeliveryChannel,
    MeasureRequest,
    MeasureSchedule,
    RequestStatus,
    ScheduleRule,
)
from alongside.measures.services._common import (
    _after_quiet_hours,
    _in_quiet_hours,
    _local,
    _zone,
)
from alongside.notify.mail import email_enqueue


def _occurrence_due(
    schedule: MeasureSchedule, occurrence: dt.date, zone: ZoneInfo, settings: PracticeSettings
) -> dt.datetime:
    due = _local(occurrence, schedule.time_of_day, zone)
    if due < schedule.created_at:
        # A schedule started today after its time of day: the first request is due at once.
        due = schedule.created_at.astimezone(zone)
    return _after_quiet_hours(due, settings)


def _window(schedule: MeasureSchedule, settings: PracticeSettings) -> dt.timedelta:
    days = settings.request_window_days
    if schedule.interval_days:
        days = min(days, schedule.interval_days)
    return dt.timedelta(days=max(days, 1))


def _latest_occurrences(schedule: MeasureSchedule, local_today: dt.date) -> list[dt.date]:
    """The schedule's occurrences on or before tomorrow's local date, latest first (at most three)."""
    if schedule.rule == ScheduleRule.ONCE:
        return [schedule.starts_on]
    step = schedule.interval_days or 1
    horizon = (local_today - schedule.starts_on).days + 1
    if horizon < 0:
        return []
    k = horizon // step
    days = [schedule.starts_on + dt.timedelta(days=step * i) for i in range(k, max(k - 3, -1), -1)]
    return [d for d in days if schedule.ends_on is None or d <= schedule.ends_on]


@unaudited("requests follow from an audited schedule (a tick)")
def requests_materialise(*, now: dt.datetime | None = None) -> list[MeasureRequest]:
    """Create the requests that have come due under current schedules. Safe to run repeatedly.

    Only the latest occurrence is made: missed ones are not backfilled, an occurrence already
    made (by this or an earlier version of the schedule) is not made again, and nothing is
    made while a request for the same instrument is still open.
    """
    now = now or timezone.now()
    created: list[MeasureRequest] = []
    schedules = (
        MeasureSchedule.objects.filter(
            ended_at__isnull=True, rule__in=[ScheduleRule.EVERY_N_DAYS, ScheduleRule.ONCE], created_at__lte=now
        )
        .select_related("client")
        .order_by("created_at")
    )
    settings_cache: dict[uuid.UUID, PracticeSettings] = {}
    for schedule in schedules:
        client = schedule.client
        zone = _zone(client.time_zone)
        settings = settings_cache.setdefault(client.practice_id, practice_settings(client.practice_id))
        for occurrence in _latest_occurrences(schedule, now.astimezone(zone).date()):
            due = _occurrence_due(schedule, occurrence, zone, settings)
            if due > now:
                continue
            expires = due + _window(schedule, settings)
            if expires <= now:
                break  # missed: never backfilled
            made = _request_create(
                client=client, schedule=schedule, occurrence=occurrence, due_at=due, expires_at=expires, now=now
            )
            if made is not None:
                created.append(made)
            break
    return created


def _request_create(
    *,
    client: ClientProfile,
    schedule: MeasureSchedule,
    occurrence: dt.date,
    due_at: dt.datetime,
    expires_at: dt.datetime,
    now: dt.datetime,
) -> MeasureRequest | None:
    with transaction.atomic():
        same = MeasureRequest.objects.filter(client=client, instrument=schedule.instrument)
        if same.filter(status=RequestStatus.PENDING).exists():
            return None
        if same.filter(schedule=schedule, occurrence=occurrence).exists():
            return None
        # An earlier version of this schedule already asked for this cycle: do not ask again.
        cycle_start = due_at - _window(schedule, practice_settings(client.practice_id))
        if same.filter(schedule__isnull=False, due_at__gt=cycle_start, due_at__lte=expires_at).exists():
            return None
        try:
            with transaction.atomic():
                return MeasureRequest.objects.create(
                    client=client,
                    instrument=schedule.instrument,
                    schedule=schedule,
                    occurrence=occurrence,
                    due_at=due_at,
                    expires_at=expires_at,
                    scheduled_at=now,
                )
        except IntegrityError:
            return None  # another worker made it first


@unaudited("requests follow from an audited appointment")
def requests_before_session(*, client: ClientProfile, session_starts_at: dt.datetime) -> list[MeasureRequest]:
    """Make the requests of the client's "before each session" schedules for one session."""
    now = timezone.now()
    zone = _zone(client.time_zone)
    made = []
    for schedule in MeasureSchedule.objects.filter(
        client=client, rule=ScheduleRule.BEFORE_SESSION, ended_at__isnull=True
    ):
        due = max(now, session_starts_at - dt.timedelta(days=1))
        if session_starts_at <= due:
            continue
        request = _request_create(
            client=client,
            schedule=schedule,
            occurrence=session_starts_at.astimezone(zone).date(),
            due_at=due,
            expires_at=session_starts_at,
            now=now,
        )
        if request is not None:
            made.append(request)
    return made


def _open_for_session(client: ClientProfile, session_starts_at: dt.datetime) -> Any:
    """The open "before each session" requests made for the client's session at this moment.

    A before-session request expires when its session starts, so its expiry names the session.
    """
    return MeasureRequest.objects.filter(
        client=client,
        status=RequestStatus.PENDING,
        schedule__rule=ScheduleRule.BEFORE_SESSION,
        expires_at=session_starts_at,
    )


@unaudited("requests follow from an audited appointment")
def requests_before_session_withdraw(
    *, client: ClientProfile, session_starts_at: dt.datetime, now: dt.datetime | None = None
) -> int:
    """Expire the open "before each session" requests of a session that will not take place. Returns how many."""
    now = now or timezone.now()
    return cast(
        int,
        _open_for_session(client, session_starts_at).update(status=RequestStatus.EXPIRED, expired_at=now),
    )


@unaudited("requests follow from an audited appointment")
def requests_before_session_move(
    *, client: ClientProfile, old_starts_at: dt.datetime, new_starts_at: dt.datetime
) -> list[MeasureRequest]:
    """Move the open "before each session" requests of a rescheduled session to its new time.

    A request is moved, not remade, so moving a session twice (or back) still leaves one
    request, with its telemetry (a reminder already sent is not sent again). It is expired
    instead when the new time leaves no time to answer, or when the schedule already has a
    request for the new local day (another session that day). Schedules without an open
    request for the old time get one as for a new session. Returns the open requests.
    """
    now = timezone.now()
    zone = _zone(client.time_zone)
    with transaction.atomic():
        moved: list[MeasureRequest] = []
        for request in _open_for_session(client, old_starts_at).select_for_update():
            due = max(now, new_starts_at - dt.timedelta(days=1))
            occurrence = new_starts_at.astimezone(zone).date()
            taken = (
                MeasureRequest.objects.filter(schedule_id=request.schedule_id, occurrence=occurrence)
                .exclude(pk=request.pk)
                .exists()
            )
            if new_starts_at <= due or taken:
                MeasureRequest.objects.filter(pk=request.pk).update(status=RequestStatus.EXPIRED, expired_at=now)
                continue
            request.due_at, request.expires_at, request.occurrence = due, new_starts_at, occurrence
            request.save(update_fields=["due_at", "expires_at", "occurrence"])
            moved.append(request)
        return [*moved, *requests_before_session(client=client, session_starts_at=new_starts_at)]


@unaudited("expiry follows from the clock (a tick)")
def requests_expire(*, now: dt.datetime | None = None) -> int:
    """Mark open requests past their expiry as expired. Returns how many."""
    now = now or timezone.now()
    return MeasureRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now).update(
        status=RequestStatus.EXPIRED, expired_at=now
    )


@unaudited("delivery telemetry")
def requests_deliver(*, now: dt.datetime | None = None) -> int:
    """Email a reminder (no clinical content) for open requests not yet delivered, outside quiet hours."""
    now = now or timezone.now()
    pending = (
        MeasureRequest.objects.filter(
            status=RequestStatus.PENDING, delivered_at__isnull=True, due_at__lte=now, expires_at__gt=now
        )
        .select_related("client__user")
        .order_by("due_at")
    )
    settings_cache: dict[uuid.UUID, PracticeSettings] = {}
    sent = 0
    for request in pending:
        client = request.client
        settings = settings_cache.setdefault(client.practice_id, practice_settings(client.practice_id))
        if _in_quiet_hours(now.astimezone(_zone(client.time_zone)), settings):
            continue
        with transaction.atomic():
            claimed = MeasureRequest.objects.filter(pk=request.pk, delivered_at__isnull=True).update(
                delivered_at=now, delivery_channel=DeliveryChannel.EMAIL
            )
            if claimed:
                sent += 1
                _send_reminder(request)
    return sent


def _send_reminder(request: MeasureRequest) -> None:
    """Put the reminder in the email outbox: sent after commit and retried there if the server is down."""
    email_enqueue(
        to=request.client.user.email,
        subject=_("You have a questionnaire to fill in"),
        body=_("Your care team has asked you to fill in a short questionnaire. Sign in to Alongside to answer it."),
        kind="measures.reminder",
        note=f"request {request.pk}",
    )


@unaudited("delivery telemetry")
def request_mark_delivered(*, request_id: uuid.UUID | str, channel: DeliveryChannel, at: dt.datetime) -> bool:
    """Record that a reminder went out by ``channel`` (a push or SMS sender calls this). First time only."""
    updated = MeasureRequest.objects.filter(pk=request_id, delivered_at__isnull=True).update(
        delivered_at=at, delivery_channel=channel
    )
    return bool(updated)


def _own_requests(actor: Actor, request_ids: Iterable[uuid.UUID | str]) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_client", False):
        return MeasureRequest.objects.none()
    return MeasureRequest.objects.filter(client_id=actor.pk, pk__in=list(request_ids))


@unaudited("delivery telemetry")
def request_mark_seen(*, actor: Actor, request_ids: Iterable[uuid.UUID | str], now: dt.datetime | None = None) -> int:
    """Record that the client's home page showed these requests (first sight only)."""
    return cast(
        int, _own_requests(actor, request_ids).filter(seen_at__isnull=True).update(seen_at=now or timezone.now())
    )


@unaudited("delivery telemetry")
def request_mark_opened(*, actor: Actor, request_id: uuid.UUID | str, now: dt.datetime | None = None) -> bool:
    """Record that the client opened a request (first time only); opening implies it was seen."""
    now = now or timezone.now()
    mine = _own_requests(actor, [request_id])
    mine.filter(seen_at__isnull=True).update(seen_at=now)
    return bool(mine.filter(opened_at__isnull=True).update(opened_at=now))
