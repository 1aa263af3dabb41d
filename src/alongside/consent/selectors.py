"""Reads of consent state."""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef

from alongside.care.models import Practice
from alongside.consent.models import ConsentDocument, ConsentSignature, Scope, ScopeGrant


def current_document(*, practice_id: uuid.UUID) -> ConsentDocument | None:
    """Return the practice's latest published consent document, if any."""
    return ConsentDocument.objects.filter(practice_id=practice_id).order_by("-version").first()


def consent_outstanding(*, client_id: uuid.UUID) -> ConsentDocument | None:
    """Return the document the client still has to sign, or None when they are up to date."""
    from alongside.care.models import ClientProfile

    practice_id = ClientProfile.objects.filter(pk=client_id).values_list("practice_id", flat=True).first()
    if practice_id is None:
        return None
    document = current_document(practice_id=practice_id)
    if document is None:
        return None
    if ConsentSignature.objects.filter(client_id=client_id, document=document).exists():
        return None
    return document


def consent_due(client_ref: str) -> Exists:
    """An expression: the client at ``OuterRef(client_ref)`` has yet to sign their practice's latest document.

    For the token-authenticated API, which asks it inside the token look-up's own statement on every call
    (the session middleware cannot: a token is read after the middleware has run).
    """
    newer = ConsentDocument.objects.filter(practice_id=OuterRef("practice_id"), version__gt=OuterRef("version"))
    signed = ConsentSignature.objects.filter(document=OuterRef("pk"), client_id=OuterRef(OuterRef(client_ref)))
    latest_unsigned = ConsentDocument.objects.filter(practice__clients=OuterRef(client_ref)).filter(
        ~Exists(newer), ~Exists(signed)
    )
    return Exists(latest_unsigned)


def consent_is_outstanding(*, client_id: uuid.UUID) -> bool:
    """``consent_outstanding(...) is not None`` in one statement, through ``consent_due``."""
    from alongside.care.models import ClientProfile

    due = ClientProfile.objects.filter(pk=client_id).annotate(due=consent_due("pk")).values_list("due", flat=True)
    return bool(due.first())


def scopes_for(*, client_id: uuid.UUID) -> dict[str, bool]:
    """Return every scope with whether the client currently shares it (default: not shared)."""
    granted = dict(ScopeGrant.objects.filter(client_id=client_id).values_list("scope", "granted"))
    return {scope: bool(granted.get(scope, False)) for scope in Scope.values}


def consent_documents_of(*, practice: Practice) -> list[ConsentDocument]:
    """Return every published version of the practice's consent text, newest first."""
    return list(ConsentDocument.objects.filter(practice=practice).select_related("published_by").order_by("-version"))
