"""Writes for topics for next session: a client raises one (a line, or a flagged entry); the clinician closes it."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.audit.log import record
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.selfcare.models import CheckIn, ExerciseEntry, PracticeLog, SelfcareAuditAction, SessionTopic
from alongside.selfcare.services.homework import _require_clinician

MAX_TEXT = 500
SOURCES: dict[str, type[Model]] = {
    "selfcare.checkin": CheckIn,
    "selfcare.exerciseentry": ExerciseEntry,
    "selfcare.practicelog": PracticeLog,
}
SOURCE_LABELS: dict[str, Any] = {
    "selfcare.checkin": gettext_lazy("A mood check-in"),
    "selfcare.exerciseentry": gettext_lazy("An exercise"),
    "selfcare.practicelog": gettext_lazy("A practice"),
}


def _own_client_id(actor: Actor) -> uuid.UUID:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_client", False):
        raise PermissionDenied(_("Only the client can raise a topic for their next session."))
    return cast(uuid.UUID, actor.pk)


@service
def topic_raise(*, actor: Actor, text: str = "", source_type: str = "", source_id: str = "") -> SessionTopic:
    """Add a topic for next session: a line of text, or one of the client's own entries (or both).

    An entry that is not the client's own is refused as if it did not exist; nothing is saved.
    """
    client_id = _own_client_id(actor)
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Keep the topic under 500 characters."))
    if source_type or source_id:
        model = SOURCES.get(source_type)
        if model is None:
            raise ValidationError(_("This kind of entry cannot be flagged."))
        try:
            pk = uuid.UUID(str(source_id))
        except ValueError:
            raise Http404("No such entry.") from None
        if not model._default_manager.filter(pk=pk, client_id=client_id).exists():
            raise Http404("No such entry.")
        source_id = str(pk)
    elif not text:
        raise ValidationError(_("Write what you would like to talk about."))
    with transaction.atomic():
        if source_id and not text:
            existing = SessionTopic.objects.filter(
                client_id=client_id, source_type=source_type, source_id=source_id, addressed_at__isnull=True
            ).first()
            if existing is not None:
                return existing  # flagging twice raises one topic
        topic = SessionTopic(client_id=client_id, source_type=source_type, source_id=source_id)
        cast(Any, topic).text = text
        topic.save()
        record(
            SelfcareAuditAction.TOPIC_RAISED,
            actor=actor,
            obj=topic,
            client_id=client_id,
            detail={"source_type": source_type or None},
        )
        if text:
            from alongside.care.models import ClientProfile
            from alongside.safety.models import FlagSource
            from alongside.safety.services.alerts import alert_raise_for_text

            client = ClientProfile.objects.get(pk=client_id)
            alert_raise_for_text(
                client=client, source=FlagSource.SESSION_TOPIC, source_id=topic.pk, text=text, actor=actor
            )
    return topic


@service
def topic_mark_addressed(*, actor: Actor, topic_id: uuid.UUID | str) -> SessionTopic:
    """Mark a topic as discussed (care-team clinicians only). Doing it twice changes nothing."""
    try:
        topic = SessionTopic.objects.get(pk=uuid.UUID(str(topic_id)))
    except (SessionTopic.DoesNotExist, ValueError):
        raise Http404("No such topic.") from None
    _require_clinician(actor, topic.client_id)
    with transaction.atomic():
        updated = SessionTopic.objects.filter(pk=topic.pk, addressed_at__isnull=True).update(
            addressed_at=timezone.now()
        )
        if updated:
            record(SelfcareAuditAction.TOPIC_ADDRESSED, actor=actor, obj=topic, client_id=topic.client_id)
    topic.refresh_from_db()
    return topic
