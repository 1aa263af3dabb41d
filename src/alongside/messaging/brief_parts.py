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
    from alongside.messaging.selectors import thread_view

    # Counts only, no bodies: the read is covered by the brief's own audit event.
    view = thread_view(actor=_person(actor), client_id=client.pk, audit=False)
    unanswered = []
    for message in reversed(view.messages):
        if not message.from_client:
            break
        unanswered.append(message)
    return Messages(
        awaiting_reply=bool(view.thread and view.thread.last_from_client),
        unanswered=len(unanswered),
        waiting_since=unanswered[-1].created_at if unanswered else None,
        from_client_in_period=sum(1 for m in view.messages if m.from_client and m.created_at >= since),
    )


def _person(actor: Actor) -> SignedIn:
    if actor is None:  # the brief is for a signed-in clinician; dashboards refuses anyone else first
        raise PermissionError("the brief's messages need a signed-in clinician")
    return actor


def register() -> None:
    """Register the brief's messages section (from MessagingConfig.ready)."""
    page_parts.register_brief_part(page_parts.BriefPart("messages", Scope.MESSAGES, messages))
