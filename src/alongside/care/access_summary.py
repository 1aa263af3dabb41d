"""The client's access log in plain words: who looked at which part of their record, how often, on which day.

Staff events about a client are grouped by (person, area, kind, local day) in the reader's zone and told as one
sentence each ("Your clinician Alice Okonkwo viewed your check-ins, 3 times today"). Appearances in lists of
many clients (a caseload, the alerts list, a message search) are told apart, because the record was not opened.
Names are resolved when the page is shown: audit rows keep ids and labels only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alongside.audit.models import AuditEvent, action_label
from alongside.audit.selectors import actor_labels
from alongside.care.models import ADMIN_ROLES, CareTeamMember, ClientProfile, Membership
from alongside.core.formatting import current_zone, fmt_date

DAYS_PER_PAGE = 30


class Kind(StrEnum):
    VIEWED = "viewed"
    CHANGED = "changed"
    LISTED = "listed"


# Each area as it is named to the client, with its possessive, so a translation can agree in gender and number.
AREAS: Mapping[str, Any] = {
    "record": gettext_lazy("your record"),
    "checkins": gettext_lazy("your check-ins"),
    "exercises": gettext_lazy("your exercises"),
    "homework": gettext_lazy("your homework"),
    "selfcare": gettext_lazy("your self-care records"),
    "measures": gettext_lazy("your questionnaires"),
    "messages": gettext_lazy("your messages"),
    "sessions": gettext_lazy("your sessions"),
    "brief": gettext_lazy("the summary prepared for your session"),
    "notes": gettext_lazy("your clinical notes"),
    "wearables": gettext_lazy("your body data"),
    "apps": gettext_lazy("your app recommendations"),
    "imports": gettext_lazy("mood entries you imported from other apps"),
    "safety": gettext_lazy("the crisis-language check of your messages"),
    "risk": gettext_lazy("your risk warnings"),
    "report": gettext_lazy("your progress report"),
    "access_log": gettext_lazy("this access log"),
}

# Lists of many clients in which this client's name was shown.
LISTS: Mapping[str, Any] = {
    "client.listed": gettext_lazy("Your name appeared in your practice's client list"),
    "measures.alerts_listed": gettext_lazy("Your name appeared in the list of questionnaire alerts"),
    "safety.flags_listed": gettext_lazy("Your name appeared in the list of crisis-language checks"),
    "messaging.threads_searched": gettext_lazy("Your conversation appeared in a search of messages"),
    "records.notes_listed": gettext_lazy("Your notes appeared in a list of clinical notes"),
}

# Action code -> (area, kind). Codes not named here are told with their own label.
_ACTIONS: Mapping[str, tuple[str, Kind]] = {
    "client.viewed": ("record", Kind.VIEWED),
    "client.updated": ("record", Kind.CHANGED),
    "client.care_team_changed": ("record", Kind.CHANGED),
    "client.episode_changed": ("record", Kind.CHANGED),
    "client.access_log_viewed": ("access_log", Kind.VIEWED),
    "measures.scores_viewed": ("measures", Kind.VIEWED),
    "measures.schedule_set": ("measures", Kind.CHANGED),
    "measures.schedule_ended": ("measures", Kind.CHANGED),
    "measures.alert_acknowledged": ("measures", Kind.CHANGED),
    "measures.alert_escalated": ("measures", Kind.CHANGED),
    "messaging.thread_viewed": ("messages", Kind.VIEWED),
    "messaging.attachment_opened": ("messages", Kind.VIEWED),
    "selfcare.assignment_set": ("homework", Kind.CHANGED),
    "selfcare.assignment_ended": ("homework", Kind.CHANGED),
    "selfcare.topic_addressed": ("sessions", Kind.CHANGED),
    "sessions.appointments_viewed": ("sessions", Kind.VIEWED),
    "sessions.appointment_created": ("sessions", Kind.CHANGED),
    "sessions.appointment_rescheduled": ("sessions", Kind.CHANGED),
    "sessions.appointment_cancelled": ("sessions", Kind.CHANGED),
    "sessions.appointment_marked": ("sessions", Kind.CHANGED),
    "telehealth.series_created": ("sessions", Kind.CHANGED),
    "telehealth.series_changed": ("sessions", Kind.CHANGED),
    "sessions.brief_viewed": ("brief", Kind.VIEWED),
    "records.note_viewed": ("notes", Kind.VIEWED),
    "records.note_exported": ("notes", Kind.VIEWED),
    "records.private_note_viewed": ("notes", Kind.VIEWED),
    "records.plan_viewed": ("notes", Kind.VIEWED),
    "records.note_started": ("notes", Kind.CHANGED),
    "records.note_draft_saved": ("notes", Kind.CHANGED),
    "records.note_signed": ("notes", Kind.CHANGED),
    "records.addendum_added": ("notes", Kind.CHANGED),
    "records.private_note_saved": ("notes", Kind.CHANGED),
    "records.plan_saved": ("notes", Kind.CHANGED),
    "records.plan_reviewed": ("notes", Kind.CHANGED),
    "wearables.features_viewed": ("wearables", Kind.VIEWED),
    "wearables.imported": ("wearables", Kind.CHANGED),
    "wearables.deleted": ("wearables", Kind.CHANGED),
    "applibrary.readiness_viewed": ("apps", Kind.VIEWED),
    "applibrary.recommendations_viewed": ("apps", Kind.VIEWED),
    "applibrary.readiness_recorded": ("apps", Kind.CHANGED),
    "applibrary.recommended": ("apps", Kind.CHANGED),
    "applibrary.imports_viewed": ("imports", Kind.VIEWED),
    "safety.feedback_given": ("safety", Kind.CHANGED),
    "risk.reviewed": ("risk", Kind.CHANGED),
    "dashboards.report_downloaded": ("report", Kind.VIEWED),
}

# selfcare.viewed says which page in its detail, under one of these keys.
_SELFCARE_PAGES = {"checkins": "checkins", "exercises": "exercises", "homework": "homework"}


@dataclass(frozen=True)
class AccessGroup:
    """One line of the summary: a person, an area and a kind of access on one local day."""

    day: dt.date
    last_at: dt.datetime
    actor_id: uuid.UUID | None
    kind: Kind
    key: str
    count: int
    sentence: str


@dataclass(frozen=True)
class AccessSummary:
    opened: list[AccessGroup]
    listed: list[AccessGroup]
    page: int
    has_older: bool
    first_day: dt.date
    last_day: dt.date


def _area_of(action: str, detail: Any) -> tuple[str, Kind]:
    if action == "selfcare.viewed":
        detail = detail if isinstance(detail, dict) else {}
        page = next((detail[k] for k in ("what", "area", "view") if k in detail), "")
        return _SELFCARE_PAGES.get(str(page), "selfcare"), Kind.VIEWED
    if action in LISTS:
        return action, Kind.LISTED
    return _ACTIONS.get(action, (action, Kind.CHANGED))


def _who(client: ClientProfile, actor_ids: set[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    """Name each person as the client knows them: their clinician, an administrator, or staff of the practice."""
    names = actor_labels(actor_ids)
    ids = {actor_id for actor_id in actor_ids if actor_id is not None}
    team = set(
        CareTeamMember.objects.filter(client=client, clinician_id__in=ids).values_list("clinician_id", flat=True)
    )
    admins = set(
        Membership.objects.filter(practice_id=client.practice_id, user_id__in=ids, role__in=ADMIN_ROLES).values_list(
            "user_id", flat=True
        )
    )
    staff = set(
        Membership.objects.filter(practice_id=client.practice_id, user_id__in=ids).values_list("user_id", flat=True)
    )
    who: dict[uuid.UUID | None, str] = {}
    for actor_id in actor_ids:
        name = names.get(actor_id, _("Erased user"))
        if actor_id in team:
            who[actor_id] = _("Your clinician %(name)s") % {"name": name}
        elif actor_id in admins:
            who[actor_id] = _("%(name)s, an administrator of your practice") % {"name": name}
        elif actor_id in staff:
            who[actor_id] = _("%(name)s, a member of staff at your practice") % {"name": name}
        else:
            who[actor_id] = name
    return who


def _when(day: dt.date, today: dt.date) -> str:
    if day == today:
        return _("today")
    if day == today - dt.timedelta(days=1):
        return _("yesterday")
    return _("on %(date)s") % {"date": fmt_date(day, "long")}


def _times(count: int) -> str:
    if count == 1:
        return _("once")
    return ngettext("%(count)d time", "%(count)d times", count) % {"count": count}


def _sentence(*, who: str, kind: Kind, key: str, count: int, day: str) -> str:
    parts = {"who": who, "times": _times(count), "day": day}
    if kind is Kind.LISTED:
        return _("%(what)s, shown to %(who)s, %(times)s %(day)s") % {**parts, "what": LISTS[key]}
    if key not in AREAS:
        return _("%(who)s: %(what)s, %(times)s %(day)s") % {**parts, "what": action_label(key)}
    what = AREAS[key]
    if kind is Kind.VIEWED:
        return _("%(who)s viewed %(what)s, %(times)s %(day)s") % {**parts, "what": what}
    return _("%(who)s changed %(what)s, %(times)s %(day)s") % {**parts, "what": what}


def access_summary(*, client: ClientProfile, page: str | int | None = 1) -> AccessSummary:
    """Return ``client``'s access log for one window of days, grouped and told in plain words, newest first."""
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    zone = current_zone()
    today = timezone.now().astimezone(zone).date()
    last_day = today - dt.timedelta(days=DAYS_PER_PAGE * (number - 1))
    first_day = last_day - dt.timedelta(days=DAYS_PER_PAGE - 1)
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    # Staff events about this client (the client's own actions are not access by others).
    events = AuditEvent.objects.filter(client_id=client.pk, actor_id__isnull=False).exclude(actor_id=client.pk)
    rows = events.filter(at__gte=start, at__lt=end).values_list("actor_id", "action", "at", "detail")
    counts: dict[tuple[dt.date, uuid.UUID | None, Kind, str], list[Any]] = {}
    for actor_id, action, at, detail in rows.iterator():
        key, kind = _area_of(action, detail)
        group = counts.setdefault((at.astimezone(zone).date(), actor_id, kind, key), [0, at])
        group[0] += 1
        group[1] = max(group[1], at)
    who = _who(client, {actor_id for _day, actor_id, _kind, _key in counts})
    groups = sorted(
        (
            AccessGroup(
                day=day,
                last_at=last_at,
                actor_id=actor_id,
                kind=kind,
                key=key,
                count=count,
                sentence=_sentence(who=who[actor_id], kind=kind, key=key, count=count, day=_when(day, today)),
            )
            for (day, actor_id, kind, key), (count, last_at) in counts.items()
        ),
        key=lambda g: g.last_at,
        reverse=True,
    )
    return AccessSummary(
        opened=[g for g in groups if g.kind is not Kind.LISTED],
        listed=[g for g in groups if g.kind is Kind.LISTED],
        page=number,
        has_older=events.filter(at__lt=start).exists(),
        first_day=first_day,
        last_day=last_day,
    )
