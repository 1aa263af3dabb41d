"""Private calendar links: make (and so replace), revoke, and note a read. Only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from alongside.audit.log import record
from alongside.core.actor import SignedIn
from alongside.core.services import reader, service, unaudited
from alongside.telehealth.models import CalendarFeed, TelehealthAuditAction


@reader
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@service
def feed_create(*, actor: SignedIn) -> tuple[CalendarFeed, str]:
    """Make a new private calendar link for the actor, revoking the old one; return it and its token (shown once)."""
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=token_hash(token), created_at=now)
    record(TelehealthAuditAction.FEED_CREATED, actor=actor, obj=feed, detail={"replaced": bool(revoked)})
    return feed, token


@service
def feed_revoke(*, actor: SignedIn) -> int:
    """Revoke the actor's private calendar link; calendar apps that read it get nothing more."""
    count = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        record(TelehealthAuditAction.FEED_REVOKED, actor=actor, detail={"revoked": count})
    return count


@unaudited("delivery telemetry: when a calendar app last read the feed (reads by staff are audited in the selector)")
def feed_touch(*, feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
