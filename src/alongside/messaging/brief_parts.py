"""The session brief's messages section, registered in core.page_parts (dashboards shows it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core import page_parts
from alongside.core.actor import Actor, SignedIn


@dataclass(frozen=True)
class Messages:
    awaiting_reply: bool
    unanswered: int  # client messages after the care team's latest reply
    waiting_since: dt.datetime | None
    from_client_in_period: int


def messages(actor: Actor, client: ClientProfile, since: dt.datetime, now: dt.datetime) -> Messages:
    from alongside.messaging.selectors import thread_activity

    # Flags and times only, no bodies: the read is covered by the brief's own audit event.
    activity = thread_activity(actor=_person(actor), client_id=client.pk)
    unanswered = []
    for from_client, created_at in reversed(activity.latest):
        if not from_client:
            break
        unanswered.append(created_at)
    return Messages(
        awaiting_reply=activity.last_from_client,
        unanswered=len(unanswered),
        waiting_since=unanswered[-1] if unanswered else None,
        from_client_in_period=sum(1 for from_client, at in activity.latest if from_client and at >= since),
    )


def _person(actor: Actor) -> SignedIn:
    if actor is None:  # the brief is for a signed-in clinician; dashboards refuses anyone else first
        raise PermissionError("the brief's messages need a signed-in clinician")
    return actor


def register() -> None:
    """Register the brief's messages section (from MessagingConfig.ready)."""
    page_parts.register_brief_part(page_parts.BriefPart("messages", Scope.MESSAGES, messages))
