"""Reading what stays of erased clients' conversations (see :mod:`alongside.messaging.erasure`).

Only the clinicians recorded as readers when the client was erased, while they are still active
staff of that practice, may list or open one; every opening is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.care.models import Membership
from alongside.core.services import reader
from alongside.messaging.models import ErasedMessage, ErasedThread, MessagingAuditAction


@dataclass(frozen=True)
class ErasedThreadRow:
    id: uuid.UUID
    started_at: datetime
    erased_at: datetime
    messages: int


@dataclass(frozen=True)
class ErasedMessageView:
    seq: int
    from_client: bool
    mine: bool
    sender_name: str
    body: str
    had_attachment: bool
    created_at: datetime


def _visible(actor: User, membership: Membership) -> QuerySet[ErasedThread]:
    return ErasedThread.objects.filter(practice_id=membership.practice_id, readers=actor.pk)


@reader
def has_erased_threads(*, actor: User, membership: Membership) -> bool:
    """Whether this clinician may read any erased conversation (the inbox then links to them)."""
    return bool(_visible(actor, membership).exists())


@reader
def erased_threads_for(*, actor: User, membership: Membership) -> list[ErasedThreadRow]:
    """The erased conversations this clinician may read, latest erasure first."""
    rows = _visible(actor, membership).annotate(n=Count("messages")).order_by("-erased_at")
    return [ErasedThreadRow(t.pk, t.started_at, t.erased_at, t.n) for t in rows]


def _sender_name(message: ErasedMessage) -> str:
    if message.from_client:
        return _("Erased client")
    if message.sender is None:
        return _("Former staff member")
    return getattr(message.sender, "display_name", "") or _("Care team")


@reader
def erased_thread_open(*, actor: User, membership: Membership, thread_id: uuid.UUID) -> list[ErasedMessageView]:
    """The messages of one erased conversation; 404 for anyone not recorded as its reader. Audited."""
    thread = _visible(actor, membership).filter(pk=thread_id).first()
    if thread is None:
        raise Http404(_("No such conversation."))
    messages = ErasedMessage.objects.filter(thread=thread).select_related("sender").order_by("seq")
    views = [
        ErasedMessageView(
            seq=m.seq,
            from_client=m.from_client,
            mine=m.sender_id == actor.pk,
            sender_name=_sender_name(m),
            body="" if m.from_client else m.body,
            had_attachment=m.had_attachment,
            created_at=m.created_at,
        )
        for m in messages
    ]
    record(MessagingAuditAction.ERASED_THREAD_VIEWED, actor=actor, obj=thread, detail={"messages": len(views)})
    return views
