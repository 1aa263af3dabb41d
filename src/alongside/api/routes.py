"""API routes of the foundation: who am I, and the client records a person may see."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from ninja import Schema

from alongside.api.urls import api


class Me(Schema):
    id: uuid.UUID
    email: str
    kind: str
    name: str


@api.get("/me", response=Me, tags=["people"])
def me(request: HttpRequest) -> Me:
    """Return the signed-in person."""
    user = request.user
    return Me(id=user.pk, email=user.email, kind=user.kind, name=user.name)  # type: ignore[union-attr]


class AccessEvent(Schema):
    at: datetime
    who: str
    action: str
