"""The one-page session brief: what changed for a client since their last session.

Every section reads through its own app's selectors, which check access again; a section
the client does not share says so, and a section that fails to load is logged and shown as
such instead of failing the page (the brief uses whatever of the other capabilities exists).
The whole view is audited as one ``sessions.brief_viewed`` event; the selectors' own audits
of the reads (scores, check-ins, exercises) are written as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.http import Http404
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, collected, record_many
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core import page_parts as registry
from alongside.core.actor import Actor
from alongside.core.time import zone_or_utc as _zone
from alongside.sessions.models import Appointment, SessionsAuditAction
from alongside.sessions.selectors import last_session_before, next_session

logger = logging.getLogger(__name__)

DEFAULT_PERIOD = dt.timedelta(days=14)  # without an earlier session, the brief covers two weeks


class State(StrEnum):
    SHOWN = "shown"
    NOT_SHARED = "not_shared"
    FAILED = "failed"


@dataclass(frozen=True)
class Section[T]:
    """One section of the brief: its data, or why it is not shown."""

    state: State
    data: T | None = None

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN

    @property
    def not_shared(self) -> bool:
        return self.state == State.NOT_SHARED

    @property
    def failed(self) -> bool:
        return self.state == State.FAILED


# --- The sections' data comes from the apps that registered them (core.page_parts.BriefPart) ---------------


# The brief's own sections, in the template's order; measures, selfcare and messaging register them.
SECTIONS = ("questionnaires", "mood", "exercises", "alerts", "topics", "messages")


@dataclass(frozen=True)
class Brief:
    client: ClientProfile
    generated_at: dt.datetime
    since: dt.datetime
    last_session: Appointment | None
    next_session: Appointment | None
    questionnaires: Section[Any]
    mood: Section[Any]
    exercises: Section[Any]
    alerts: Section[Any]
    topics: Section[Any]
    messages: Section[Any]

    @property
    def period_days(self) -> int:
        """Calendar days since the last session, in the practice's time zone ("7 days ago")."""
        zone = _zone(self.client.practice.time_zone)
        return max(1, (self.generated_at.astimezone(zone).date() - self.since.astimezone(zone).date()).days)


# --- Sections -----------------------------------------------------------------------------


def _section[T](name: str, shared: bool, build: Callable[[], T]) -> Section[T]:
    if not shared:
        return Section(State.NOT_SHARED)
    try:
        return Section(State.SHOWN, build())
    except Http404:
        # Access changed between the checks (a scope revoked, the care team changed).
        return Section(State.NOT_SHARED)
    except Exception:  # the brief shows what it can; one broken section never fails the page
        logger.exception("session brief: the %s section could not be loaded", name)
        return Section(State.FAILED)


def _part(
    key: str,
    actor: Actor,
    client: ClientProfile,
    since: dt.datetime,
    now: dt.datetime,
    shares: Callable[[Scope], bool],
) -> Section[Any]:
    """Build the section ``key`` with what its app registered (a section no app registered failed to load)."""
    part = registry.brief_part(key)
    if part is None:
        logger.error("session brief: no app registered the %s section", key)
        return Section(State.FAILED)
    shared = True if part.scope is None else shares(Scope(part.scope))
    return _section(key, shared, lambda: part.build(actor, client, since, now))


# --- The brief ----------------------------------------------------------------------------


def brief_for(*, actor: Actor, client_id: uuid.UUID | str, now: dt.datetime | None = None) -> Brief:
    """Gather a client's session brief for a clinician on their care team (404 for anyone else). Audited."""
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "is_client", True):
        raise Http404("No such client.")
    # The sections' read events and the brief's own are written together at the end, in one transaction
    # (they were four, each taking the chain's lock and reading its head), never holding a lock over the reads.
    with collected():
        return _gather(actor, client_id, now or timezone.now())


def _gather(actor: Actor, client_id: uuid.UUID | str, now: dt.datetime) -> Brief:
    client = access.client_or_404(actor, client_id, Action.VIEW_CLINICAL)
    grant = access.grant_for(actor, client)
    if not grant.on_care_team:
        raise Http404("No such client.")
    last = last_session_before(client=client, when=now)
    since = last.starts_at if last is not None else now - DEFAULT_PERIOD
    coming = next_session(client=client, after=now)

    def shares(scope: Scope) -> bool:
        return grant.allows(Action.VIEW_CLINICAL, scope)

    brief = Brief(
        client=client,
        generated_at=now,
        since=since,
        last_session=last,
        next_session=coming,
        **{key: _part(key, actor, client, since, now, shares) for key in SECTIONS},
    )
    sections = {name: str(getattr(brief, name).state) for name in SECTIONS}
    record_many(
        [
            Entry(
                action=SessionsAuditAction.BRIEF_VIEWED,
                client_id=client.pk,
                detail={"since": since.isoformat(), "sections": sections},
            )
        ],
        actor=actor,
    )
    return brief
