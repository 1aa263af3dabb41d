"""API routes of the foundation: who am I, and the client records a person may see.

Every route reads through :mod:`alongside.care.selectors`, which call the access
layer (404 for anyone without access) and audit reads by staff.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Schema

from alongside.api.urls import api
from alongside.care import selectors
from alongside.dashboards.client_record import client_record_for


class Me(Schema):
    id: uuid.UUID
    email: str
    kind: str
    name: str


@api.get("/me", response=Me, tags=["people"])
def me(request: HttpRequest) -> Me:
    """Return the signed-in person."""
    user = request.user
    return Me(id=user.pk, email=user.email, kind=user.kind, name=user.name)  # type: ignore[union-attr,arg-type]


class AccessEvent(Schema):
    at: dt.datetime
    who: str
    action: str
    label: str


class ClientSummary(Schema):
    id: uuid.UUID
    preferred_name: str
    status: str
    since: dt.datetime


class CareTeamMemberOut(Schema):
    clinician_id: uuid.UUID
    name: str
    is_primary: bool
    since: dt.datetime


class EpisodeOut(Schema):
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str


class ConsentOut(Schema):
    version: int | None
    signed_at: dt.datetime | None
    current: bool


class ClientRecordOut(Schema):
    id: uuid.UUID
    preferred_name: str
    email: str
    status: str
    practice: str
    care_team: list[CareTeamMemberOut]
    episodes: list[EpisodeOut]
    consent: ConsentOut
    scopes: dict[str, bool]


@api.get("/clients", response=list[ClientSummary], tags=["clients"])
def clients_list(request: HttpRequest) -> list[ClientSummary]:
    """List the clients whose administrative record the caller may see."""
    return [
        ClientSummary(id=c.pk, preferred_name=c.preferred_name, status=c.status, since=c.created_at)
        for c in selectors.clients_visible_to(user=request.user)
    ]


@api.get("/clients/{client_id}", response=ClientRecordOut, tags=["clients"])
def client_get(request: HttpRequest, client_id: uuid.UUID) -> ClientRecordOut:
    """Return a client's administrative record (404 when the caller may not see it)."""
    record = client_record_for(user=request.user, client_id=client_id)
    return ClientRecordOut(
        id=record.client.pk,
        preferred_name=record.preferred_name,
        email=record.email,
        status=record.status,
        practice=record.practice_name,
        care_team=[
            CareTeamMemberOut(clinician_id=m.clinician_id, name=m.name, is_primary=m.is_primary, since=m.since)
            for m in record.care_team
        ],
        episodes=[
            EpisodeOut(started_on=e.started_on, ended_on=e.ended_on, end_reason=e.end_reason) for e in record.episodes
        ],
        consent=ConsentOut(
            version=record.consent_version, signed_at=record.consent_signed_at, current=record.consent_current
        ),
        scopes=record.scopes,
    )


@api.get("/clients/{client_id}/access-log", response=list[AccessEvent], tags=["clients"])
def client_access_log(request: HttpRequest, client_id: uuid.UUID, limit: int = 200) -> list[AccessEvent]:
    """Return staff accesses to a client's record, newest first: for the client or their care team."""
    client = selectors.access_log_client(user=request.user, client_id=client_id)
    rows = selectors.access_log_rows(client=client, limit=max(1, min(limit, 1000)))
    return [AccessEvent(at=r.at, who=r.who, action=r.action, label=r.action_label) for r in rows]


# The domain apps' routers, mounted here (a domain app never imports the API layer above it).
from alongside.measures import api as measures_api  # noqa: E402
from alongside.messaging import api as messaging_api  # noqa: E402
from alongside.selfcare import api as selfcare_api  # noqa: E402
from alongside.wearables import api as wearables_api  # noqa: E402

api.add_router("", measures_api.router)
api.add_router("/messages", messaging_api.router)
api.add_router("/selfcare", selfcare_api.router)
api.add_router("/clients", selfcare_api.clients_router)
api.add_router("/wearables", wearables_api.router)
