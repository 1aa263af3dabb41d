"""Reads of messages, each through the access layer; staff reads are audited.

Who may use a client's thread: the client, and clinicians on the client's current care
team while the client shares the "messages" scope. Everyone else gets a 404 and learns
nothing, not even that the thread exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core.actor import Actor, SignedIn
from alongside.core.practice_settings import office_hours
from alongside.core.time import zone_or_utc
from alongside.messaging.models import (
    Attachment,
    EntryKind,
    Message,
    MessagingAuditAction,
    Thread,
    ThreadRead,
)

SEARCH_SCAN_LIMIT = 5000  # messages decrypted per search, newest first


class MessagingOff(PermissionDenied):
    """The client does not share messages with their care team (yet)."""


def _is_client(user: Any) -> bool:
    return bool(getattr(user, "is_client", False))


def _audit(actor: Actor, action: MessagingAuditAction, *, client_id: Any, obj: Any = None, **detail: Any) -> None:
    record_many([Entry(action=action, obj=obj, client_id=client_id, detail=detail or None)], actor=actor)


def thread_client(*, actor: Actor, client_id: uuid.UUID | str, for_writing: bool = False) -> ClientProfile:
    """Return the client whose thread ``actor`` may use; 404 for outsiders, MessagingOff when not shared.

    The client always reaches their own thread; staff need the care team and the client's
    "messages" scope. A client who does not share messages can read their thread but not
    send (their team could not read it). One access decision, asked several questions.
    """
    client, grant = access.client_and_grant_or_404(actor, client_id, Action.VIEW_ADMIN)
    _thread_rules(client, grant, for_writing=for_writing)
    return client


def _thread_rules(client: ClientProfile, grant: access.Grant, *, for_writing: bool = False) -> None:
    if grant.is_self:
        if for_writing and not client_shares_messages(client):
            raise MessagingOff(_("Turn on sharing of messages to write to your care team."))
        return
    if not grant.allows(Action.WRITE_CLINICAL):
        raise Http404("No such client.")
    if not grant.allows(Action.VIEW_CLINICAL, Scope.MESSAGES):
        raise MessagingOff(_("This client does not share messages with their care team."))


def client_shares_messages(client: ClientProfile) -> bool:
    """Whether the client currently shares the "messages" scope."""
    from alongside.consent.models import ScopeGrant

    return ScopeGrant.objects.filter(client=client, scope=Scope.MESSAGES, granted=True).exists()


@dataclass(frozen=True)
class AttachmentView:
    id: uuid.UUID
    filename: str
    content_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True)
class MessageView:
    id: uuid.UUID
    seq: int
    from_client: bool
    mine: bool
    sender_name: str
    body: str
    created_at: dt.datetime
    crisis_language: bool
    attachment: AttachmentView | None = None
    entry_kind: str = ""
    entry_label: str = ""
    entry_url: str = ""

    @property
    def entry_link_text(self) -> str:
        """The link to an attached entry, one whole sentence per kind (so translations can agree)."""
        return (
            {
                EntryKind.CHECKIN: _("Open the attached check-in"),
                EntryKind.EXERCISE: _("Open the attached exercise"),
                EntryKind.SCORE: _("Open the attached score"),
            }.get(EntryKind(self.entry_kind), "")
            if self.entry_kind
            else ""
        )


@dataclass(frozen=True)
class OfficeStatus:
    is_open: bool
    reply_within_hours: int
    days: list[int]
    opens_at: dt.time
    closes_at: dt.time
    time_zone: str


@dataclass
class ThreadView:
    client: ClientProfile
    thread: Thread | None
    viewer_is_client: bool
    can_send: bool
    messages: list[MessageView] = field(default_factory=list)
    other_read_seq: int = 0  # how far the other side has read (read receipts)
    office: OfficeStatus | None = None

    @property
    def last_seq(self) -> int:
        return self.messages[-1].seq if self.messages else 0


def _entry_link(kind: str, entry_id: uuid.UUID | None, client_id: Any, viewer_is_client: bool) -> tuple[str, str]:
    if not kind or entry_id is None:
        return "", ""
    label = str(EntryKind(kind).label)
    if kind == EntryKind.CHECKIN:
        url = (
            reverse("selfcare:checkins") if viewer_is_client else reverse("selfcare:client_checkins", args=[client_id])
        )
    elif kind == EntryKind.EXERCISE:
        url = (
            reverse("selfcare:exercise", args=[entry_id])
            if viewer_is_client
            else reverse("selfcare:staff_exercises", args=[client_id]) + f"#entry-{entry_id}"
        )
    else:
        url = (
            reverse("measures:result", args=[entry_id])
            if viewer_is_client
            else reverse("measures:progress", args=[client_id])
        )
    return label, url


def _views(rows: list[Message], *, viewer: Any, client: ClientProfile, viewer_is_client: bool) -> list[MessageView]:
    names: dict[Any, str] = {}
    result = []
    for m in rows:
        if m.sender_id not in names:
            names[m.sender_id] = (
                client.preferred_name if m.from_client else getattr(m.sender, "display_name", "") or _("Care team")
            )
        try:
            attachment: Attachment | None = m.attachment  # joined by the caller, without the file itself
        except Attachment.DoesNotExist:
            attachment = None
        label, url = _entry_link(m.entry_kind, m.entry_id, client.pk, viewer_is_client)
        result.append(
            MessageView(
                id=m.pk,
                seq=m.seq,
                from_client=m.from_client,
                mine=m.sender_id == viewer.pk,
                sender_name=names[m.sender_id],
                body=m.body,
                created_at=m.created_at,
                crisis_language=m.crisis_language,
                attachment=AttachmentView(a.pk, a.filename, a.content_type, a.size) if (a := attachment) else None,
                entry_kind=m.entry_kind,
                entry_label=label,
                entry_url=url,
            )
        )
    return result


def thread_view(
    *,
    actor: SignedIn,
    client_id: uuid.UUID | str,
    after_seq: int = 0,
    limit: int = 200,
    audit: bool = True,
    for_page: bool = True,
) -> ThreadView:
    """Return a thread's messages after ``after_seq`` (the latest ``limit`` when 0), for the client or their team.

    ``for_page`` adds what only a whole page shows (office hours, whether sending is on);
    a live socket pushing one new message leaves it out.
    """
    client = thread_client(actor=actor, client_id=client_id)
    viewer_is_client = actor.pk == client.user_id
    # A live push needs only the new rows; a page also shows the thread's state.
    thread = Thread.objects.filter(client=client).first() if for_page else None
    view = ThreadView(
        client=client,
        thread=thread,
        viewer_is_client=viewer_is_client,
        can_send=client_shares_messages(client) if for_page else True,
        office=office_status(client.practice_id) if for_page else None,
    )
    if thread is not None or not for_page:
        rows = (
            Message.objects.filter(client=client)
            .select_related("sender", "attachment")
            .defer("attachment__data_sealed")
        )
        if after_seq:
            chosen = list(rows.filter(seq__gt=after_seq).order_by("seq")[:limit])
        else:
            chosen = list(reversed(rows.order_by("-seq")[:limit]))
        view.messages = _views(chosen, viewer=actor, client=client, viewer_is_client=viewer_is_client)
        if for_page and thread is not None:
            others = ThreadRead.objects.filter(thread=thread).exclude(user=actor)
            others = others.filter(user=client.user) if not viewer_is_client else others.exclude(user=client.user)
            view.other_read_seq = max(others.values_list("last_read_seq", flat=True), default=0)
    if audit and not viewer_is_client and view.messages:
        _audit(
            actor,
            MessagingAuditAction.THREAD_VIEWED,
            client_id=client.pk,
            seq_from=view.messages[0].seq,
            seq_to=view.messages[-1].seq,
        )
    return view


@dataclass(frozen=True)
class ThreadActivity:
    """Who wrote when in a thread's latest messages: no bodies, senders or attachments (for the session brief)."""

    last_from_client: bool
    latest: list[tuple[bool, dt.datetime]]  # (from the client, when), oldest first


def thread_activity(*, actor: SignedIn, client_id: uuid.UUID | str, limit: int = 200) -> ThreadActivity:
    """Return the flags and times of a thread's latest ``limit`` messages, for the client or their team (not audited).

    The same access rules as :func:`thread_view`, without decrypting a body: callers that only count
    messages audit the read themselves (the brief's own event covers it).
    """
    client = thread_client(actor=actor, client_id=client_id)
    last_from_client = Thread.objects.filter(client=client).values_list("last_from_client", flat=True).first()
    if last_from_client is None:  # no thread yet
        return ThreadActivity(last_from_client=False, latest=[])
    rows = Message.objects.filter(client=client).order_by("-seq").values_list("from_client", "created_at")[:limit]
    return ThreadActivity(last_from_client=bool(last_from_client), latest=list(reversed(rows)))


def message_view(*, actor: SignedIn, client_id: uuid.UUID | str, seq: int) -> MessageView:
    """Return the message at position ``seq`` of a client's thread as ``actor`` sees it (not audited).

    For answering a send with the message it wrote: reading "the latest after seq - 1" instead
    returned another sender's message when one arrived in between on a new thread.
    """
    client = thread_client(actor=actor, client_id=client_id)
    row = (
        Message.objects.filter(client=client, seq=seq)
        .select_related("sender", "attachment")
        .defer("attachment__data_sealed")
        .get()
    )
    return _views([row], viewer=actor, client=client, viewer_is_client=actor.pk == client.user_id)[0]


def sent_message_view(*, actor: SignedIn, message: Message) -> MessageView:
    """Return the message ``actor`` has just sent in this request, as they see it, from the saved object.

    The send checked that the thread is open to the sender; its client, sender and attachment are the
    objects it saved, so nothing is read again (a replayed send goes through :func:`message_view`).
    """
    client = message.client
    return _views([message], viewer=actor, client=client, viewer_is_client=actor.pk == client.user_id)[0]


def attachment_open(*, actor: SignedIn, attachment_id: uuid.UUID | str) -> tuple[Attachment, bytes]:
    """Return an attachment and its bytes to the client or their team (audited for staff)."""
    attachment, grant = access.owned_and_grant_or_404(actor, Attachment, attachment_id, Action.VIEW_ADMIN)
    client = attachment.client
    _thread_rules(client, grant)
    data = bytes(cast(bytes, attachment.data))
    if actor.pk != client.user_id:
        _audit(actor, MessagingAuditAction.ATTACHMENT_OPENED, client_id=client.pk, obj=attachment)
    return attachment, data


@dataclass(frozen=True)
class InboxRow:
    client_id: uuid.UUID
    name: str
    last_message_at: dt.datetime | None
    unread: int
    awaiting_reply: bool
    shares: bool


def inbox_for_staff(*, actor: Actor) -> list[InboxRow]:
    """The staff member's care-team clients with their thread state: awaiting reply first, then newest."""
    from alongside.consent.models import ScopeGrant

    clients = list(access.care_team_clients(actor).order_by("preferred_name"))
    ids = [c.pk for c in clients]
    threads = {t.client_id: t for t in Thread.objects.filter(client_id__in=ids)}
    reads = dict(
        ThreadRead.objects.filter(thread__client_id__in=ids, user=actor).values_list(
            "thread__client_id", "last_read_seq"
        )
    )
    sharing = set(
        ScopeGrant.objects.filter(client_id__in=ids, scope=Scope.MESSAGES, granted=True).values_list(
            "client_id", flat=True
        )
    )
    rows = []
    for c in clients:
        t = threads.get(c.pk)
        shares = c.pk in sharing
        unread = max(0, t.last_seq - reads.get(c.pk, 0)) if t is not None and shares else 0
        rows.append(
            InboxRow(
                client_id=c.pk,
                name=c.preferred_name,
                last_message_at=t.last_message_at if t else None,
                unread=unread,
                awaiting_reply=bool(t and t.last_from_client and shares),
                shares=shares,
            )
        )
    far_past = dt.datetime.min.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (not r.awaiting_reply, -(r.last_message_at or far_past).timestamp()))
    return rows


def unread_total(user: Any) -> int:
    """Unread messages across the threads this person may read (one query; for the navigation on every page)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    if _is_client(user):
        threads = Thread.objects.filter(client_id=user.pk)
    else:
        # Joined to each team client's own grant (an index seek), not a list of every sharing client there is.
        threads = Thread.objects.filter(
            client__in=access.care_team_clients(user),
            client__scope_grants__scope=Scope.MESSAGES,
            client__scope_grants__granted=True,
        )
    read = ThreadRead.objects.filter(thread_id=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    rows = threads.annotate(read=Subquery(read)).values_list("last_seq", "read")
    return sum(max(0, last_seq - (position or 0)) for last_seq, position in rows)


@dataclass(frozen=True)
class SearchHit:
    client_id: uuid.UUID
    client_name: str
    seq: int
    created_at: dt.datetime
    snippet: str


def threads_search(*, actor: Actor, query: str, limit: int = 50) -> list[SearchHit]:
    """Find messages containing ``query`` in the threads this staff member may read (never another client's).

    Bodies are encrypted, so the search decrypts the newest messages of the allowed
    threads only and matches in memory; the audit records which clients had hits.
    """
    query = (query or "").strip()
    if _is_client(actor) or len(query) < 2:
        return []
    from alongside.consent.models import ScopeGrant

    clients = {
        c.pk: c
        for c in access.care_team_clients(actor).filter(
            pk__in=ScopeGrant.objects.filter(scope=Scope.MESSAGES, granted=True).values("client_id")
        )
    }
    needle = query.casefold()
    hits: list[SearchHit] = []
    rows = Message.objects.filter(client_id__in=list(clients)).order_by("-created_at")[:SEARCH_SCAN_LIMIT]
    for m in rows:
        text = m.body
        at = text.casefold().find(needle)
        if at < 0:
            continue
        start = max(0, at - 60)
        snippet = (
            ("…" if start else "")
            + text[start : at + len(query) + 60]
            + ("…" if at + len(query) + 60 < len(text) else "")
        )
        hits.append(SearchHit(m.client_id, clients[m.client_id].preferred_name, m.seq, m.created_at, snippet))
        if len(hits) >= limit:
            break
    _audit(
        actor,
        MessagingAuditAction.THREADS_SEARCHED,
        client_id=None,
        clients=sorted({str(h.client_id) for h in hits}),
        hits=len(hits),
    )
    return hits


def office_status(practice_id: Any, now: dt.datetime | None = None) -> OfficeStatus:
    """Whether the practice's office is open now (in the practice's time zone), and its reply time."""
    from alongside.care.models import Practice

    now = now or timezone.now()
    settings = office_hours(practice_id)
    zone_name = Practice.objects.filter(pk=practice_id).values_list("time_zone", flat=True).first() or "UTC"
    zone = zone_or_utc(zone_name)
    local = now.astimezone(zone)
    days = [int(d) for d in settings.office_days or []]
    opens = (
        settings.opens_at if isinstance(settings.opens_at, dt.time) else dt.time.fromisoformat(str(settings.opens_at))
    )
    closes = (
        settings.closes_at
        if isinstance(settings.closes_at, dt.time)
        else dt.time.fromisoformat(str(settings.closes_at))
    )
    is_open = local.isoweekday() in days and opens <= local.time() < closes
    return OfficeStatus(
        is_open=is_open,
        reply_within_hours=settings.reply_within_hours,
        days=days,
        opens_at=opens,
        closes_at=closes,
        time_zone=str(zone),
    )


def messages_after(*, actor: SignedIn, client_id: uuid.UUID | str, after_seq: int) -> ThreadView:
    """Messages after ``after_seq`` for a live page catching up (access re-checked every time)."""
    return thread_view(actor=actor, client_id=client_id, after_seq=max(0, int(after_seq)), limit=500, for_page=False)
