"""API authentication: a personal access token (``Authorization: Bearer``), or the session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from alongside.accounts.tokens import token_lookup

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """Accept ``Authorization: Bearer alo_…``; the request then acts as the token's owner.

    A read-only token is refused (403, with a JSON ``detail``) on any call that could change data.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_lookup(token)
        if found is None:
            return None
        if found.is_read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only; make a read-and-write token to change data.")
        request.user = found.user
        return found.user
