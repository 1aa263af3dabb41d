"""API authentication: a personal access token (``Authorization: Bearer``), or the session with CSRF."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from alongside.accounts.tokens import token_lookup
from alongside.consent.selectors import consent_due

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@cache
def _consent_annotation() -> dict[str, Any]:
    """The look-up's consent question, built once: the look-up's statement is compiled once per process, and
    building this expression (three querysets) on every call cost more than the whole statement (issue #19)."""
    return {"consent_due": consent_due("user_id")}


class TokenAuth(HttpBearer):
    """Accept ``Authorization: Bearer alo_…``; the request then acts as the token's owner.

    A read-only token is refused (403, with a JSON ``detail``) on any call that could change data, and a client's
    token on every call while a newer consent document waits for their signature.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_lookup(token, annotate=_consent_annotation())
        if found is None:
            return None
        if found.is_read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only; make a read-and-write token to change data.")
        if found.user.is_client and getattr(found, "consent_due", False):
            # As ConsentRequiredMiddleware does for a signed-in client: nothing until the current version is signed.
            raise HttpError(403, "Please sign the current consent document first.")
        request.user = found.user
        return found.user
