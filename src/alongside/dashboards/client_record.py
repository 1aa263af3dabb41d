"""A client's administrative record: who, status, care team, episodes, consent and sharing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from alongside.access import Action, client_or_404, decide
from alongside.care.models import (
    CareTeamMember,
    ClientProfile,
    ClientStatus,
    Episode,
)
from alongside.care.selectors import client_for_staff, is_staff
from alongside.consent.models import ConsentDocument, ConsentSignature, Scope
from alongside.consent.selectors import scopes_for


@dataclass(frozen=True)
class TeamMember:
    clinician_id: uuid.UUID
    name: str
    is_primary: bool
    since: dt.datetime


@dataclass(frozen=True)
class EpisodeRow:
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str
    reason: str | None  # None when the viewer may not see it


@dataclass(frozen=True)
class ClientRecord:
    """A client's administrative record: who, status, care team, episodes, consent, sharing."""

    client: ClientProfile
    preferred_name: str
    email: str
    status: str
    status_label: str
    practice_name: str
    care_team: list[TeamMember]
    episodes: list[EpisodeRow]
    consent_version: int | None
    consent_signed_at: dt.datetime | None
    consent_current: bool
    scopes: dict[str, bool] = field(default_factory=dict)
    phone: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    can_manage: bool = False

    @property
    def is_discharged(self) -> bool:
        return self.status == ClientStatus.DISCHARGED

    @property
    def shared_scopes(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Scope.choices if self.scopes.get(value)]

    @property
    def unshared_scopes(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Scope.choices if not self.scopes.get(value)]


def client_record_build(*, viewer: Any, client: ClientProfile) -> ClientRecord:
    """Assemble the administrative record of a client the viewer was already allowed to see."""
    team = [
        TeamMember(
            clinician_id=m.clinician_id, name=m.clinician.display_name, is_primary=m.is_primary, since=m.started_at
        )
        for m in CareTeamMember.objects.filter(client=client, ended_at__isnull=True)
        .select_related("clinician")
        .order_by("-is_primary", "started_at")
    ]
    clinical = decide(viewer, client, Action.VIEW_CLINICAL)
    episodes = [
        EpisodeRow(
            started_on=e.started_on,
            ended_on=e.ended_on,
            end_reason=e.get_end_reason_display() if e.end_reason else "",
            reason=e.reason if clinical else None,
        )
        for e in Episode.objects.filter(client=client)
    ]
    signature = ConsentSignature.objects.filter(client=client).select_related("document").order_by("-signed_at").first()
    latest = ConsentDocument.objects.filter(practice_id=client.practice_id).order_by("-version").first()
    return ClientRecord(
        client=client,
        preferred_name=client.preferred_name,
        email=client.user.email,
        status=client.status,
        status_label=client.get_status_display(),
        practice_name=client.practice.name,
        care_team=team,
        episodes=episodes,
        consent_version=signature.document.version if signature else None,
        consent_signed_at=signature.signed_at if signature else None,
        consent_current=bool(signature and latest and signature.document_id == latest.pk),
        scopes=scopes_for(client_id=client.pk),
        phone=client.phone,
        emergency_contact_name=client.emergency_contact_name,
        emergency_contact_phone=client.emergency_contact_phone,
        can_manage=viewer.pk != client.pk and decide(viewer, client, Action.MANAGE),
    )


def client_record_for(*, user: Any, client_id: uuid.UUID | str) -> ClientRecord:
    """Return the administrative record for staff (audited) or for the client themselves."""
    if is_staff(user):
        client = client_for_staff(user=user, client_id=client_id, action=Action.VIEW_ADMIN)
    else:
        client = client_or_404(user, client_id, Action.VIEW_ADMIN)
    return client_record_build(viewer=user, client=client)
