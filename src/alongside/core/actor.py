"""Who performs an action: the signed-in user, or None for the system (ticks, commands, tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # django-stubs resolves these to settings.AUTH_USER_MODEL, so core names the user without importing accounts.
    from django.contrib.auth.models import _AnyUser, _User

type Actor = _User | None

# An actor that must be a person: services that record who did something in a non-null column (the sender of a
# message, the clinician of an appointment) or compare ids with it.
type SignedIn = _User

# What a request may hold: also the anonymous user (signing in, resetting a password).
type AnyActor = _AnyUser | None


def signed_in(user: AnyActor) -> SignedIn:
    """Return the request's user as the actor of a service call; an anonymous visitor is refused (403)."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
