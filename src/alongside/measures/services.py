"""Writes for measures: schedules, requests and their telemetry, responses, scores and alerts.

Every function is keyword-only, atomic and audited. Email goes out after commit and a
failure to send is logged by ids only: the alert and the client's crisis resources never
depend on the mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.accounts.models import User
from alongside.audit.log import Entry, record_many
from alongside.audit.models import AuditAction
from alongside.care.models import ADMIN_ROLES, CareTeamMember, ClientProfile, Membership, Practice
from alongside.measures import crisis, library
from alongside.measures.models import (
    DEFAULT_ESCALATION_MINUTES,
    AlertNotification,
    AlertStatus,
    CriticalAlert,
    DeliveryChannel,
    MeasureAuditAction,
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    MeasureScore,
    NotificationReason,
    PracticeMeasureSettings,
    RequestStatus,
    ResponseStatus,
    ScheduleRule,
)

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
RISK_LEVELS_CRITICAL = frozenset({"moderate", "high"})
_TOKEN = re.compile(r"^[a-z0-9_\-]{1,40}$")


# --- Helpers ---------------------------------------------------------------------------


def _audit(action: MeasureAuditAction, *, actor: Any, obj: Any = None, client_id: Any = None, **detail: Any) -> None:
    # Our events live in the shared chain; AuditAction lists the foundation's own.
    entry = Entry(action=cast(AuditAction, action), obj=obj, client_id=client_id, detail=detail or None)
    record_many([entry], actor=actor)


def answers_of(response: MeasureResponse) -> dict[str, int | None]:
    """Return a response's stored answers as a plain dict (decrypted)."""
    stored = cast(Mapping[str, int | None] | None, response.answers)
    return dict(stored or {})


def _set_answers(response: MeasureResponse, answers: Mapping[str, int | None]) -> None:
    cast(Any, response).answers = dict(answers)


def _instrument(code: str) -> Any:
    try:
        return library.get(code)
    except (LookupError, ValueError):
        raise ValidationError(_("There is no questionnaire called %(code)s.") % {"code": code}) from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def practice_settings(practice_id: uuid.UUID) -> PracticeMeasureSettings:
    """Return the practice's measure settings, or unsaved defaults when it has none."""
    found = PracticeMeasureSettings.objects.filter(practice_id=practice_id).first()
    return found or PracticeMeasureSettings(practice_id=practice_id)


def _in_quiet_hours(local: dt.datetime, settings: PracticeMeasureSettings) -> bool:
    start, end, t = settings.quiet_start, settings.quiet_end, local.time()
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def _after_quiet_hours(local: dt.datetime, settings: PracticeMeasureSettings) -> dt.datetime:
    """Move a local time out of the quiet hours to their end (that day or the next)."""
    if not _in_quiet_hours(local, settings):
        return local
    day = local.date() if local.time() < settings.quiet_end else local.date() + dt.timedelta(days=1)
    return _local(day, settings.quiet_end, cast(ZoneInfo, local.tzinfo))


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Return the aware local time; a wall time skipped by a DST change moves forward past the gap."""
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a non-existent time (spring forward) comes back normalised.
    return aware.astimezone(dt.UTC).astimezone(zone)


def _staff_recipients(client: ClientProfile) -> list[User]:
    """The treating clinicians (current care team, active in the practice); the admins when there are none."""
    active = Membership.objects.filter(practice_id=client.practice_id, is_active=True).values("user_id")
    team = list(
        User.objects.filter(
            pk__in=CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("clinician_id"),
            is_active=True,
        ).filter(pk__in=active)
    )
    return team or _practice_admins(client.practice_id)


def _practice_admins(practice_id: uuid.UUID) -> list[User]:
    admins = Membership.objects.filter(practice_id=practice_id, is_active=True, role__in=ADMIN_ROLES)
    return list(User.objects.filter(pk__in=admins.values("user_id"), is_active=True))


def _mail_after_commit(*, kind: str, notification_ids: list[int], subject: str, body: str) -> None:
    """Email each notified person after commit; a failure is logged by ids only and changes nothing."""

    def send() -> None:
        for notification in AlertNotification.objects.filter(pk__in=notification_ids).select_related("recipient"):
            try:
                send_mail(subject, body, None, [notification.recipient.email])
            except Exception:
                logger.exception(
                    "measures: %s email failed for notification %s (alert %s)",
                    kind,
                    notification.pk,
                    notification.alert_id,
                )
                continue
            AlertNotification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())

    transaction.on_commit(send)


# --- Schedules -------------------------------------------------------------------------


def _require_clinician(actor: Any, client_id: uuid.UUID | str) -> ClientProfile:
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return client


def schedule_set(
    *,
    actor: Any,
    client_id: uuid.UUID | str,
    instrument: str,
    rule: ScheduleRule | str,
    interval_days: int | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    time_of_day: dt.time = dt.time(9, 0),
) -> MeasureSchedule:
    """Set the client's schedule for an instrument; a current one is ended, never rewritten."""
    client = _require_clinician(actor, client_id)
    code = _instrument(instrument).code
    if rule not in ScheduleRule.values:
        raise ValidationError(_("Choose how often to ask."))
    rule = ScheduleRule(rule)
    if rule == ScheduleRule.EVERY_N_DAYS:
        if interval_days is None or not 1 <= interval_days <= 366:
            raise ValidationError(_("Ask every 1 to 366 days."))
    else:
        interval_days = None
    now = timezone.now()
    starts_on = starts_on or now.astimezone(_zone(client.time_zone)).date()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The end date must not be before the start date."))
    with transaction.atomic():
        current = MeasureSchedule.objects.select_for_update().filter(
            client=client, instrument=code, ended_at__isnull=True
        )
        previous = current.first()
        if previous is not None:
            previous.ended_at = now
            previous.ended_by = actor
            previous.save(update_fields=["ended_at", "ended_by"])
        schedule = MeasureSchedule.objects.create(
            client=client,
            instrument=code,
            rule=rule,
            interval_days=interval_days,
            time_of_day=time_of_day,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=now,
            created_by=actor,
            replaces=previous,
        )
        _audit(
            MeasureAuditAction.SCHEDULE_SET,
            actor=actor,
            obj=schedule,
            client_id=client.pk,
            instrument=code,
            rule=str(rule),
            replaces=str(previous.pk) if previous else None,
        )
    return schedule


def schedule_end(*, actor: Any, schedule_id: uuid.UUID | str) -> MeasureSchedule:
    """End a schedule version: no new requests; requests already made stay as they are."""
    schedule = MeasureSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        raise Http404("No such schedule.")
    _require_clinician(actor, schedule.client_id)
    with transaction.atomic():
        schedule = MeasureSchedule.objects.select_for_update().get(pk=schedule.pk)
        if schedule.ended_at is None:
            schedule.ended_at = timezone.now()
            schedule.ended_by = actor
            schedule.save(update_fields=["ended_at", "ended_by"])
            _audit(MeasureAuditAction.SCHEDULE_ENDED, actor=actor, obj=schedule, client_id=schedule.client_id)
    return schedule


# --- Requests and their telemetry -------------------------------------------------------


def _occurrence_due(
    schedule: MeasureSchedule, occurrence: dt.date, zone: ZoneInfo, settings: PracticeMeasureSettings
) -> dt.datetime:
    due = _local(occurrence, schedule.time_of_day, zone)
    if due < schedule.created_at:
        # A schedule started today after its time of day: the first request is due at once.
        due = schedule.created_at.astimezone(zone)
    return _after_quiet_hours(due, settings)


def _window(schedule: MeasureSchedule, settings: PracticeMeasureSettings) -> dt.timedelta:
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
    settings_cache: dict[uuid.UUID, PracticeMeasureSettings] = {}
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


def requests_expire(*, now: dt.datetime | None = None) -> int:
    """Mark open requests past their expiry as expired. Returns how many."""
    now = now or timezone.now()
    return MeasureRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now).update(
        status=RequestStatus.EXPIRED, expired_at=now
    )


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
    settings_cache: dict[uuid.UUID, PracticeMeasureSettings] = {}
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
                transaction.on_commit(lambda r=request: _send_reminder(r))  # type: ignore[misc]
    return sent


def _send_reminder(request: MeasureRequest) -> None:
    try:
        send_mail(
            _("You have a questionnaire to fill in"),
            _("Your care team has asked you to fill in a short questionnaire. Sign in to Alongside to answer it."),
            None,
            [request.client.user.email],
        )
    except Exception:
        logger.exception("measures: reminder email failed for request %s", request.pk)
        MeasureRequest.objects.filter(pk=request.pk).update(delivered_at=None, delivery_channel="")


def request_mark_delivered(*, request_id: uuid.UUID | str, channel: DeliveryChannel, at: dt.datetime) -> bool:
    """Record that a reminder went out by ``channel`` (a push or SMS sender calls this). First time only."""
    updated = MeasureRequest.objects.filter(pk=request_id, delivered_at__isnull=True).update(
        delivered_at=at, delivery_channel=channel
    )
    return bool(updated)


def _own_requests(actor: Any, request_ids: Iterable[uuid.UUID | str]) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_client", False):
        return MeasureRequest.objects.none()
    return MeasureRequest.objects.filter(client_id=actor.pk, pk__in=list(request_ids))


def request_mark_seen(*, actor: Any, request_ids: Iterable[uuid.UUID | str], now: dt.datetime | None = None) -> int:
    """Record that the client's home page showed these requests (first sight only)."""
    return cast(
        int, _own_requests(actor, request_ids).filter(seen_at__isnull=True).update(seen_at=now or timezone.now())
    )


def request_mark_opened(*, actor: Any, request_id: uuid.UUID | str, now: dt.datetime | None = None) -> bool:
    """Record that the client opened a request (first time only); opening implies it was seen."""
    now = now or timezone.now()
    mine = _own_requests(actor, [request_id])
    mine.filter(seen_at__isnull=True).update(seen_at=now)
    return bool(mine.filter(opened_at__isnull=True).update(opened_at=now))


# --- Responses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    """What the client sees after saving one answer."""

    response: MeasureResponse
    critical: bool
    resources: list[crisis.CrisisResource] = field(default_factory=list)


@dataclass(frozen=True)
class SubmitResult:
    """A submitted response with its score, and crisis resources when an answer was critical."""

    response: MeasureResponse
    score: MeasureScore
    alert: CriticalAlert | None
    resources: list[crisis.CrisisResource] = field(default_factory=list)
    replayed: bool = False

    @property
    def critical(self) -> bool:
        return self.alert is not None


def _answering_client(actor: Any, client_id: uuid.UUID | str) -> ClientProfile:
    """The client, when ``actor`` may answer for them (themselves, or a clinician in session). 404 otherwise."""
    return access.client_or_404(actor, client_id, Action.WRITE_CLINICAL)


def crisis_resources_for(client: ClientProfile) -> list[crisis.CrisisResource]:
    """Crisis lines for the client's practice country and locale; never raises."""
    try:
        country = client.practice.country
    except Exception:
        country = None
    return crisis.resources_for(country, getattr(client, "locale", None), practice_id=client.practice_id)


def response_start(
    *,
    actor: Any,
    client_id: uuid.UUID | str,
    instrument: str,
    idempotency_key: str,
    request_id: uuid.UUID | str | None = None,
) -> MeasureResponse:
    """Start (or, with the same key, return) a response. Links it to the open request for the instrument."""
    client = _answering_client(actor, client_id)
    code = _instrument(instrument).code
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise ValidationError(_("The idempotency key must be 8 to 64 letters, digits or - _ . :"))
    existing = MeasureResponse.objects.filter(client=client, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_key(existing, code)
    now = timezone.now()
    with transaction.atomic():
        open_requests = MeasureRequest.objects.select_for_update().filter(
            client=client, instrument=code, status=RequestStatus.PENDING
        )
        if request_id is not None:
            request = open_requests.filter(pk=request_id).first()
            if request is None:
                raise ValidationError(_("This questionnaire is no longer due."))
        else:
            request = open_requests.order_by("due_at").first()
        try:
            with transaction.atomic():
                response = MeasureResponse.objects.create(
                    client=client,
                    instrument=code,
                    request=request,
                    idempotency_key=idempotency_key,
                    answers={},  # type: ignore[misc]
                    started_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            raced = MeasureResponse.objects.get(client=client, idempotency_key=idempotency_key)
            return _same_key(raced, code)
        if request is not None:
            MeasureRequest.objects.filter(pk=request.pk, opened_at__isnull=True).update(opened_at=now)
            MeasureRequest.objects.filter(pk=request.pk, seen_at__isnull=True).update(seen_at=now)
        _audit(MeasureAuditAction.RESPONSE_STARTED, actor=actor, obj=response, client_id=client.pk, instrument=code)
    return response


def _same_key(existing: MeasureResponse, code: str) -> MeasureResponse:
    if existing.instrument != code:
        raise ValidationError(_("This idempotency key was already used for another questionnaire."))
    return existing


def _response_for_update(actor: Any, response_id: uuid.UUID | str) -> MeasureResponse:
    try:
        found = MeasureResponse.objects.filter(pk=response_id).values_list("client_id", flat=True).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404("No such response.")
    _answering_client(actor, found)
    return MeasureResponse.objects.select_for_update().select_related("client__practice").get(pk=response_id)


def _validate_answer(instrument: Any, answers: Mapping[str, int | None], link_id: str, value: Any) -> int | None:
    item = next((i for i in instrument.items if i.link_id == link_id), None)
    if item is None:
        raise ValidationError(
            _("%(name)s has no question %(id)s.") % {"name": instrument.short_name or instrument.name, "id": link_id}
        )
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Question %(n)s needs one of its answers.") % {"n": item.number})
    allowed = [o.value for o in item.options]
    if allowed and value not in allowed:
        raise ValidationError(
            _("%(value)s is not an answer to question %(n)s; choose one of %(allowed)s.")
            % {"value": value, "n": item.number, "allowed": ", ".join(str(a) for a in allowed)}
        )
    trial = {**answers, link_id: value}
    if link_id not in {i.link_id for i in instrument.enabled_items(trial)}:
        raise ValidationError(_("Question %(n)s does not apply, given the earlier answers.") % {"n": item.number})
    return value


def response_save_answer(*, actor: Any, response_id: uuid.UUID | str, link_id: str, value: int | None) -> AnswerResult:
    """Save one answer as the client goes. A critical answer raises the alert at once, in this transaction."""
    with transaction.atomic():
        response = _response_for_update(actor, response_id)
        if response.status != ResponseStatus.IN_PROGRESS:
            raise ValidationError(_("This questionnaire was already submitted."))
        instrument = _instrument(response.instrument)
        answers = answers_of(response)
        clean = _validate_answer(instrument, answers, link_id, value)
        if clean is None:
            answers.pop(link_id, None)
        else:
            answers[link_id] = clean
        _set_answers(response, answers)
        response.updated_at = timezone.now()
        response.save(update_fields=["answers_sealed", "updated_at"])
        critical = clean is not None and library.is_critical(response.instrument, link_id, clean)
        if critical:
            item = next(i for i in instrument.items if i.link_id == link_id)
            _alert_raise(response=response, items=[item.number], risk_level="", actor=actor)
    resources = crisis_resources_for(response.client) if critical else []
    return AnswerResult(response=response, critical=critical, resources=resources)


def _scoring_answers(instrument: Any, answers: Mapping[str, int | None]) -> dict[str, int | None]:
    enabled = {i.link_id for i in instrument.enabled_items(answers)}
    return {i.link_id: (answers.get(i.link_id) if i.link_id in enabled else None) for i in instrument.items}


def _numbers(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keep numbers, booleans and band-like tokens only: scores never hold free text."""
    kept: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, bool | int | float) or value is None or (isinstance(value, str) and _TOKEN.match(value)):
            kept[str(key)] = value
        elif isinstance(value, Mapping):
            kept[str(key)] = _numbers(value)
    return kept


def response_submit(
    *,
    actor: Any,
    response_id: uuid.UUID | str,
    idempotency_key: str | None = None,
    answers: Mapping[str, int | None] | None = None,
    context: Mapping[str, Any] | None = None,
) -> SubmitResult:
    """Score and submit a response; create the critical alert in the same transaction.

    Submitting again (a retry) returns the stored result and changes nothing.
    """
    with transaction.atomic():
        response = _response_for_update(actor, response_id)
        if idempotency_key is not None and idempotency_key != response.idempotency_key:
            raise ValidationError(_("The idempotency key does not match this response."))
        if response.status == ResponseStatus.SUBMITTED:
            replay = True
        else:
            replay = False
            _submit(actor=actor, response=response, answers=answers, context=context)
    score = MeasureScore.objects.get(response=response)
    alert = CriticalAlert.objects.filter(response=response).first()
    resources = crisis_resources_for(response.client) if alert is not None else []
    return SubmitResult(response=response, score=score, alert=alert, resources=resources, replayed=replay)


def _submit(
    *,
    actor: Any,
    response: MeasureResponse,
    answers: Mapping[str, int | None] | None,
    context: Mapping[str, Any] | None,
) -> None:
    instrument = _instrument(response.instrument)
    merged = answers_of(response)
    for link_id, value in (answers or {}).items():
        clean = _validate_answer(instrument, merged, str(link_id), value)
        if clean is None:
            merged.pop(str(link_id), None)
        else:
            merged[str(link_id)] = clean
    scoring = _scoring_answers(instrument, merged)
    try:
        result = library.score(response.instrument, scoring, **dict(context or {}))
    except library.AnswerError as error:
        raise ValidationError(str(error)) from None
    now = timezone.now()
    _set_answers(response, {k: v for k, v in scoring.items() if v is not None})
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.updated_at = now
    response.save(update_fields=["answers_sealed", "status", "submitted_at", "updated_at"])
    extra = _numbers(getattr(result, "extra", None))
    critical_items = sorted({int(n) for n in (result.critical_items or [])})
    for item in instrument.items:
        value = scoring.get(item.link_id)
        if value is not None and library.is_critical(response.instrument, item.link_id, value):
            critical_items = sorted({*critical_items, int(item.number)})
    MeasureScore.objects.create(
        response=response,
        client_id=response.client_id,
        instrument=response.instrument,
        scored_at=now,
        total=None if result.total is None else float(result.total),
        severity=str(result.severity or "")[:64],
        caseness=result.caseness,
        subscales=_numbers(result.subscales),
        critical_items=critical_items,
        extra=extra,
    )
    if response.request_id is not None:
        MeasureRequest.objects.filter(pk=response.request_id, status=RequestStatus.PENDING).update(
            status=RequestStatus.COMPLETED, completed_at=now
        )
    _audit(
        MeasureAuditAction.RESPONSE_SUBMITTED,
        actor=actor,
        obj=response,
        client_id=response.client_id,
        instrument=response.instrument,
    )
    risk = str(extra.get("risk_level") or extra.get("risk") or "")
    if critical_items or risk in RISK_LEVELS_CRITICAL:
        _alert_raise(response=response, items=critical_items, risk_level=risk, actor=actor)


# --- Alerts ------------------------------------------------------------------------------


def _alert_raise(*, response: MeasureResponse, items: list[int], risk_level: str, actor: Any) -> CriticalAlert:
    """Create (or add items to) the response's alert and notify the treating clinicians. Caller's transaction."""
    alert = CriticalAlert.objects.select_for_update().filter(response=response).first()
    if alert is not None:
        merged = sorted({*alert.items, *items})
        changed = merged != alert.items or (risk_level and risk_level != alert.risk_level)
        if changed:
            alert.items = merged
            alert.risk_level = risk_level or alert.risk_level
            alert.save(update_fields=["items", "risk_level"])
        return alert
    alert = CriticalAlert.objects.create(
        client_id=response.client_id,
        response=response,
        instrument=response.instrument,
        items=sorted(set(items)),
        risk_level=risk_level[:32],
    )
    recipients = _staff_recipients(response.client)
    notices = AlertNotification.objects.bulk_create(
        [AlertNotification(alert=alert, recipient=user, reason=NotificationReason.ALERT) for user in recipients]
    )
    _audit(
        MeasureAuditAction.ALERT_RAISED,
        actor=actor,
        obj=alert,
        client_id=response.client_id,
        recipients=[str(u.pk) for u in recipients],
    )
    if notices:
        _mail_after_commit(
            kind="alert",
            notification_ids=[n.pk for n in notices],
            subject=_("A client needs your attention"),
            body=_(
                "There is a new alert for one of your clients in Alongside. "
                "Sign in to Alongside and open your alerts to see it and acknowledge it."
            ),
        )
    return alert


def alert_acknowledge(*, actor: Any, alert_id: uuid.UUID | str, note: str) -> CriticalAlert:
    """Acknowledge an alert with a note. Only a clinician on the client's current care team may."""
    try:
        client_id = CriticalAlert.objects.filter(pk=alert_id).values_list("client_id", flat=True).first()
    except (ValueError, ValidationError):
        client_id = None
    if client_id is None:
        raise Http404("No such alert.")
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can acknowledge this alert."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write a note saying what you did or will do."))
    if len(note) > 5000:
        raise ValidationError(_("Keep the note under 5,000 characters."))
    with transaction.atomic():
        alert = CriticalAlert.objects.select_for_update().get(pk=alert_id)
        if alert.status == AlertStatus.ACKNOWLEDGED:
            raise ValidationError(_("This alert was already acknowledged."))
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.note = note
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "note_sealed"])
        AlertNotification.objects.filter(alert=alert, recipient=actor, read_at__isnull=True).update(
            read_at=alert.acknowledged_at
        )
        _audit(MeasureAuditAction.ALERT_ACKNOWLEDGED, actor=actor, obj=alert, client_id=alert.client_id)
    return alert


def alerts_escalate(*, now: dt.datetime | None = None) -> list[CriticalAlert]:
    """Escalate open alerts older than their practice's limit to the practice admins (in-app and email)."""
    now = now or timezone.now()
    limits: dict[uuid.UUID, int] = dict(
        PracticeMeasureSettings.objects.values_list("practice_id", "escalation_minutes")
    )
    escalated: list[CriticalAlert] = []
    candidates = CriticalAlert.objects.filter(status=AlertStatus.OPEN).select_related("client").order_by("created_at")
    for candidate in candidates:
        practice_id = candidate.client.practice_id
        limit = dt.timedelta(minutes=limits.get(practice_id, DEFAULT_ESCALATION_MINUTES))
        if candidate.created_at + limit > now:
            continue
        with transaction.atomic():
            alert = CriticalAlert.objects.select_for_update().get(pk=candidate.pk)
            if alert.status != AlertStatus.OPEN:
                continue
            alert.status = AlertStatus.ESCALATED
            alert.escalated_at = now
            alert.save(update_fields=["status", "escalated_at"])
            admins = _practice_admins(practice_id)
            notices = AlertNotification.objects.bulk_create(
                [AlertNotification(alert=alert, recipient=a, reason=NotificationReason.ESCALATION) for a in admins],
                ignore_conflicts=False,
            )
            _audit(
                MeasureAuditAction.ALERT_ESCALATED,
                actor=None,
                obj=alert,
                client_id=alert.client_id,
                recipients=[str(a.pk) for a in admins],
            )
            if notices:
                _mail_after_commit(
                    kind="escalation",
                    notification_ids=[n.pk for n in notices],
                    subject=_("An alert in your practice needs attention"),
                    body=_(
                        "An alert for a client of your practice has not been acknowledged in time. "
                        "Sign in to Alongside and open your alerts."
                    ),
                )
        escalated.append(alert)
    return escalated


def notifications_mark_read(*, actor: Any, notification_ids: Iterable[int]) -> int:
    """Mark the actor's own in-app notices as read."""
    return AlertNotification.objects.filter(
        recipient_id=getattr(actor, "pk", None), pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def practice_settings_set(
    *,
    actor: Any,
    practice: Practice,
    escalation_minutes: int | None = None,
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    request_window_days: int | None = None,
) -> PracticeMeasureSettings:
    """Change a practice's measure settings. Practice owners and admins only."""
    membership = Membership.objects.filter(user=actor, practice=practice, is_active=True).first()
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can change these settings."))
    if escalation_minutes is not None and not 5 <= escalation_minutes <= 7 * 24 * 60:
        raise ValidationError(_("Escalate after 5 minutes to 7 days."))
    if request_window_days is not None and not 1 <= request_window_days <= 60:
        raise ValidationError(_("Keep requests open for 1 to 60 days."))
    with transaction.atomic():
        settings, _created = PracticeMeasureSettings.objects.select_for_update().get_or_create(practice=practice)
        for name, value in (
            ("escalation_minutes", escalation_minutes),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
            ("request_window_days", request_window_days),
        ):
            if value is not None:
                setattr(settings, name, value)
        settings.save()
        _audit(MeasureAuditAction.SETTINGS_CHANGED, actor=actor, obj=settings)
    return settings
