"""Personal access tokens for the JSON API: create (shown once), revoke, and authenticate.

A token reads ``alo_<prefix>_<secret>``. The prefix finds the row; only the SHA-256 of
the whole token is stored, so a database copy cannot be used to call the API.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import PersonalAccessToken, TokenScope, TotpDevice, User
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.core.actor import Actor
from alongside.core.prepared import Prepared

TOKEN_PREFIX = "alo_"
MAX_ACTIVE = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``plain`` is shown to its owner once and never stored."""

    token: PersonalAccessToken
    plain: str


def token_create(*, actor: User, name: str, scope: str = TokenScope.WRITE) -> NewToken:
    """Make a token for ``actor`` and return it with its plain text (the only time it exists).

    Staff need a confirmed second factor first (issue #11, finding 3); the settings page also asks
    for the password again. The token expires after ``ALONGSIDE_TOKEN_DAYS``.
    """
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(_("Give the token a name of up to 80 characters."))
    if scope not in TokenScope.values:
        raise ValidationError(_("Choose what the token may do."))
    if not actor.is_client and not TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).exists():
        raise ValidationError(_("Set up a second factor before you make a token."))
    now = timezone.now()
    with transaction.atomic():
        active = PersonalAccessToken.objects.select_for_update().filter(
            user=actor, revoked_at__isnull=True, expires_at__gt=now
        )
        if active.count() >= MAX_ACTIVE:
            raise ValidationError(_("You have too many tokens; revoke one first."))
        prefix = secrets.token_hex(4)
        plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        expires_at = now + timedelta(days=settings.ALONGSIDE_TOKEN_DAYS)
        token = PersonalAccessToken.objects.create(
            user=actor, name=name, prefix=prefix, digest=_digest(plain), scope=scope, expires_at=expires_at
        )
        record(AuditAction.TOKEN_CREATED, actor=actor, obj=token, detail={"prefix": prefix, "scope": scope})
    return NewToken(token=token, plain=plain)


def token_revoke(*, actor: User, token_id: uuid.UUID | str) -> PersonalAccessToken:
    """Revoke one of ``actor``'s own tokens (404 for anyone else's); it stops working at once."""
    try:
        token = PersonalAccessToken.objects.get(pk=token_id, user=actor)
    except (PersonalAccessToken.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such token.") from None
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(AuditAction.TOKEN_REVOKED, actor=actor, obj=token, detail={"prefix": token.prefix})
    return token


def tokens_revoke_all(*, user: User, actor: Actor, reason: str) -> int:
    """Revoke every live token of ``user`` (a password change or reset, a deactivation). Returns how many."""
    with transaction.atomic():
        live = list(PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True))
        PersonalAccessToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=timezone.now())
        for token in live:
            record(AuditAction.TOKEN_REVOKED, actor=actor, obj=token, detail={"prefix": token.prefix, "why": reason})
    return len(live)


def tokens_of(*, user: User) -> list[PersonalAccessToken]:
    """Return the user's tokens, newest first (never their secret: it is not stored)."""
    return list(PersonalAccessToken.objects.filter(user=user))


def token_lookup(plain: str, *, annotate: Mapping[str, Any] | None = None) -> PersonalAccessToken | None:
    """Return the live token this is (owner active, not revoked, not expired, not idle too long), or None.

    A staff token also needs its owner to still have a second factor, and stops working after
    ``ALONGSIDE_STAFF_TOKEN_IDLE_DAYS`` without use: the staff idle rule, in days rather than
    minutes, because a token serves scripts that run daily or weekly. ``annotate``: expressions a caller from a
    higher layer needs about the owner, asked in the same statement (the API's consent check).
    """
    if not plain.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, _rest = plain[len(TOKEN_PREFIX) :].partition("_")
    now = timezone.now()
    token = _live_by_prefix(prefix, now, annotate or {})
    if token is None or not hmac.compare_digest(token.digest, _digest(plain)) or not token.user.is_active:
        return None
    if not token.user.is_client:
        idle_limit = timedelta(days=settings.ALONGSIDE_STAFF_TOKEN_IDLE_DAYS)
        if now - (token.last_used_at or token.created_at) > idle_limit:
            return None
        if not TotpDevice.objects.filter(user=token.user, confirmed_at__isnull=False).exists():
            return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# The look-up's statement, compiled once per process and database (issue #19): building and compiling the
# queryset (its join, the consent annotation) was most of an API call's token cost; running it is a tenth of that.
_PREFIX_MARK = "\x00prefix-mark"
_NOW_MARK = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_PREPARED: dict[tuple[str, ...], Prepared[PersonalAccessToken]] = {}


def _live(*, prefix: str, now: datetime, annotate: Mapping[str, Any]) -> QuerySet[PersonalAccessToken]:
    # The prefix is unique: no ORDER BY (``first()`` sorted by the model's ordering on every API call).
    found = PersonalAccessToken.objects.select_related("user").filter(
        prefix=prefix, revoked_at__isnull=True, expires_at__gt=now
    )
    return (found.annotate(**annotate) if annotate else found).order_by()[:1]


def _live_by_prefix(prefix: str, now: datetime, annotate: Mapping[str, Any]) -> PersonalAccessToken | None:
    """The live token with this prefix, its owner joined, with ``annotate``: through the compiled statement.

    The statement is kept by the annotations' names: a caller must always give the same expressions under the
    same names (the API's consent check does).
    """
    key = tuple(annotate)
    prepared = _PREPARED.get(key)
    if prepared is None:
        meta = PersonalAccessToken._meta
        prepared = _PREPARED[key] = Prepared(
            PersonalAccessToken,
            partial(_live, annotate=dict(annotate)),
            prefix=(meta.get_field("prefix"), _PREFIX_MARK),
            now=(meta.get_field("expires_at"), _NOW_MARK),
        )
    return prepared.first(prefix=prefix, now=now)


def token_authenticate(plain: str) -> Any:
    """Return the active user whose live token this is, or None."""
    token = token_lookup(plain)
    return token.user if token is not None else None
