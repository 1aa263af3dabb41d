"""Disclosing a psychotherapy note: the author asks, the client signs a specific authorisation, the author records
the disclosure (45 CFR 164.508(a)(2), checked 2026-12-06). Every step is audited; the client reads the register."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import Action, client_or_404, owned_or_404
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.records.models import Disclosure, DisclosureStatus, PsychotherapyNote, RecordsAuditAction

MAX_FIELD = 500


def _field(value: str, empty: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(empty)
    if len(value) > MAX_FIELD:
        raise ValidationError(_("Keep it under %(n)s characters.") % {"n": MAX_FIELD})
    return value


@service
def disclosure_request(*, actor: SignedIn, note_id: uuid.UUID | str, recipient: str, purpose: str) -> Disclosure:
    """The note's author asks the client to authorise disclosing it to ``recipient`` for ``purpose``."""
    note = owned_or_404(actor, PsychotherapyNote, note_id, Action.CARE_TEAM)
    if note.author_id != actor.pk:
        raise Http404("No such note.")
    disclosure = Disclosure(client_id=note.client_id, note=note, requested_by=actor, requested_at=timezone.now())
    disclosure.recipient = _field(recipient, _("Say who would receive the note."))
    disclosure.purpose = _field(purpose, _("Say what the disclosure is for."))
    disclosure.save()
    record(RecordsAuditAction.DISCLOSURE_REQUESTED, actor=actor, obj=disclosure, client_id=note.client_id)
    return disclosure


@service
def disclosure_answer(
    *, actor: SignedIn, disclosure_id: uuid.UUID | str, authorise: bool, signature: str = ""
) -> Disclosure:
    """The client authorises (typing their name as a signature) or refuses; only the client may answer."""
    disclosure = owned_or_404(actor, Disclosure, disclosure_id, Action.OWN)
    if disclosure.status != DisclosureStatus.REQUESTED:
        raise ValidationError(_("This request has been answered already."))
    if authorise:
        disclosure.signature = _field(signature, _("Type your name to sign the authorisation."))
    disclosure.status = DisclosureStatus.AUTHORISED if authorise else DisclosureStatus.REFUSED
    disclosure.answered_at = timezone.now()
    disclosure.save()
    detail = {"status": disclosure.status}
    record(RecordsAuditAction.DISCLOSURE_AUTHORISED, actor=actor, obj=disclosure, client_id=disclosure.client_id,
           detail=detail)  # fmt: skip
    return disclosure


@service
def disclosure_make(*, actor: SignedIn, disclosure_id: uuid.UUID | str) -> Disclosure:
    """The author records that the note was disclosed, which needs the client's signed authorisation first."""
    disclosure = owned_or_404(actor, Disclosure, disclosure_id, Action.CARE_TEAM)
    if disclosure.requested_by_id != actor.pk:
        raise Http404("No such disclosure.")
    if disclosure.status != DisclosureStatus.AUTHORISED:
        raise PermissionDenied(_("The client has not signed an authorisation for this disclosure."))
    disclosure.status, disclosure.disclosed_at = DisclosureStatus.DISCLOSED, timezone.now()
    disclosure.save(update_fields=["status", "disclosed_at"])
    record(RecordsAuditAction.DISCLOSURE_MADE, actor=actor, obj=disclosure, client_id=disclosure.client_id)
    return disclosure


def register_for_client(*, actor: SignedIn, client_id: uuid.UUID | str) -> tuple[ClientProfile, list[Disclosure]]:
    """The client's own disclosure register: every request, answer and disclosure (no note text)."""
    client = client_or_404(actor, client_id, Action.OWN)
    rows = list(Disclosure.objects.filter(client=client).select_related("requested_by").order_by("-requested_at"))
    return client, rows


def for_note(*, actor: SignedIn, note: PsychotherapyNote) -> list[Disclosure]:
    """The disclosures of a note, for its author (the caller has opened the note through its selector)."""
    rows = list(Disclosure.objects.filter(note=note).order_by("-requested_at"))
    if rows:
        record(RecordsAuditAction.DISCLOSURES_VIEWED, actor=actor, obj=note, client_id=note.client_id)
    return rows
