"""API authentication: a personal access token (``Authorization: Bearer``), or the session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from alongside.accounts.tokens import token_authenticate


class TokenAuth(HttpBearer):
    """Accept ``Authorization: Bearer alo_…``; the request then acts as the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user
