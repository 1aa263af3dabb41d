"""Writes of consent documents, signatures and sharing scopes."""

from __future__ import annotations

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.care.models import ClientProfile, Practice
from alongside.care.services import DEFAULT_CONSENT_BODY, DEFAULT_CONSENT_TITLE
from alongside.consent.models import ConsentDocument, ConsentSignature, Scope, ScopeGrant
from alongside.core.actor import Actor
from alongside.core.services import reader, service


@reader
def text_digest(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


@service
def consent_document_start(*, practice: Practice, actor: Actor) -> ConsentDocument:
    """Publish the starter consent document of a new practice (called by care.services.practice_signup)."""
    return consent_document_publish(
        practice=practice, title=DEFAULT_CONSENT_TITLE, body=DEFAULT_CONSENT_BODY, actor=actor
    )


@service
def consent_document_publish(*, practice: Practice, title: str, body: str, actor: Actor) -> ConsentDocument:
    """Publish a new version of the practice's consent text; clients are asked to sign it."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("A consent document needs a title and a text."))
    with transaction.atomic():
        latest = ConsentDocument.objects.filter(practice=practice).aggregate(v=Max("version"))["v"] or 0
        document = ConsentDocument.objects.create(
            practice=practice,
            version=latest + 1,
            title=title,
            body=body,
            body_sha256=text_digest(title, body),
            published_at=timezone.now(),
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(AuditAction.CONSENT_PUBLISHED, actor=actor, obj=document, detail={"version": document.version})
    return document


@service
def consent_sign(
    *, client: ClientProfile, document: ConsentDocument, typed_name: str, shown_sha256: str, actor: Actor
) -> ConsentSignature:
    """Record the client's signature of exactly the text they were shown."""
    typed_name = typed_name.strip()
    if not typed_name:
        raise ValidationError(_("Type your name to sign."))
    if document.practice_id != client.practice_id:
        raise ValidationError(_("This document belongs to another practice."))
    if shown_sha256 != document.body_sha256:
        raise ValidationError(_("The consent text changed while you were reading it. Please read the new version."))
    with transaction.atomic():
        signature = ConsentSignature.objects.filter(client=client, document=document).first()
        if signature is None:
            signature = ConsentSignature(
                client=client, document=document, signed_at=timezone.now(), text_sha256=document.body_sha256
            )
            signature.typed_name = typed_name
            signature.save(force_insert=True)
            record(
                AuditAction.CONSENT_SIGNED,
                actor=actor,
                obj=signature,
                client_id=client.pk,
                detail={"version": document.version, "sha256": document.body_sha256},
            )
    return signature


@service
def scopes_set(*, client: ClientProfile, scopes: dict[str, bool], actor: Actor) -> list[str]:
    """Turn sharing scopes on or off; takes effect for the next request. Returns what changed."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValidationError(_("Unknown sharing choice: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changed: list[str] = []
    with transaction.atomic():
        for scope, granted in scopes.items():
            if not granted and not ScopeGrant.objects.filter(client=client, scope=scope).exists():
                continue  # never shared: turning it off changes nothing, and writes no row to audit
            grant, _created = ScopeGrant.objects.select_for_update().get_or_create(client=client, scope=scope)
            if grant.granted == bool(granted) and not _created:
                continue
            grant.granted = bool(granted)
            grant.save(update_fields=["granted", "changed_at"])
            changed.append(scope)
            record(
                AuditAction.SCOPE_GRANTED if granted else AuditAction.SCOPE_REVOKED,
                actor=actor,
                obj=grant,
                client_id=client.pk,
                detail={"scope": scope},
            )
    return changed


@reader
def scope_ids(client_id: uuid.UUID) -> list[str]:
    return list(ScopeGrant.objects.filter(client_id=client_id, granted=True).values_list("scope", flat=True))


@service
def consent_sign_with_scopes(
    *,
    client: ClientProfile,
    document: ConsentDocument,
    typed_name: str,
    shown_sha256: str,
    scopes: dict[str, bool],
    actor: Actor,
) -> ConsentSignature:
    """Sign the consent document and set the sharing choices as one decision: both are kept, or neither."""
    signature = consent_sign(
        client=client, document=document, typed_name=typed_name, shown_sha256=shown_sha256, actor=actor
    )
    scopes_set(client=client, scopes=scopes, actor=actor)
    return signature
