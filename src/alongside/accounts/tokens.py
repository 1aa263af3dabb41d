"""Personal access tokens for the JSON API: create (shown once), revoke, and authenticate.

A token reads ``alo_<prefix>_<secret>``. The prefix finds the row; only the SHA-256 of
the whole token is stored, so a database copy cannot be used to call the API.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import PersonalAccessToken, User
from alongside.audit.log import record
from alongside.audit.models import AuditAction

TOKEN_PREFIX = "alo_"
MAX_ACTIVE = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``plain`` is shown to its owner once and never stored."""

    token: PersonalAccessToken
    plain: str


def token_create(*, actor: User, name: str) -> NewToken:
    """Make a token for ``actor`` and return it with its plain text (the only time it exists)."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(_("Give the token a name of up to 80 characters."))
    with transaction.atomic():
        active = PersonalAccessToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
        if active.count() >= MAX_ACTIVE:
            raise ValidationError(_("You have too many tokens; revoke one first."))
        prefix = secrets.token_hex(4)
        plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = PersonalAccessToken.objects.create(user=actor, name=name, prefix=prefix, digest=_digest(plain))
        record(AuditAction.TOKEN_CREATED, actor=actor, obj=token, detail={"prefix": prefix})
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


def tokens_of(*, user: User) -> list[PersonalAccessToken]:
    """Return the user's tokens, newest first (never their secret: it is not stored)."""
    return list(PersonalAccessToken.objects.filter(user=user))


def token_authenticate(plain: str) -> Any:
    """Return the active user whose active token this is, or None."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, _rest = plain[len(TOKEN_PREFIX) :].partition("_")
    token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(plain)) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
