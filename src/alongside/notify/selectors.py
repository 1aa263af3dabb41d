"""Reads of a person's own notifications and choices. Nobody reads another person's."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from alongside.notify.models import (
    ALWAYS_ON,
    CLIENT_KINDS,
    STAFF_KINDS,
    Notification,
    NotificationKind,
    NotificationPreference,
)

LIST_LIMIT = 100


def notifications_for(*, user: Any, limit: int = LIST_LIMIT) -> QuerySet[Notification]:
    """The person's own in-app notices, newest first."""
    return Notification.objects.filter(recipient_id=user.pk, in_app=True).order_by("-created_at")[:limit]


def notified_already(*, pairs: Iterable[tuple[Any, str]]) -> set[tuple[Any, str]]:
    """Which of these (recipient id, dedupe key) pairs already have a notice (one query; ids and keys only)."""
    wanted = set(pairs)
    if not wanted:
        return set()
    rows = Notification.objects.filter(
        recipient_id__in={user_id for user_id, _ in wanted}, dedupe_key__in={key for _, key in wanted}
    ).values_list("recipient_id", "dedupe_key")
    return {row for row in rows if row in wanted}


def unread_count(*, user: Any) -> int:
    """How many of the person's in-app notices are unread (one query; 0 when signed out)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, in_app=True, read_at__isnull=True).count()


def unread_about_count(*, user: Any, topic_prefix: str) -> int:
    """How many of the person's in-app notices about topics starting with ``topic_prefix`` are unread (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not topic_prefix:
        return 0
    return Notification.objects.filter(
        recipient_id=user.pk, in_app=True, read_at__isnull=True, topic__startswith=topic_prefix
    ).count()


def unread_ids_about(*, user: Any, topic: str) -> list[uuid.UUID]:
    """The ids of the person's own unread notices about one topic."""
    if not topic:
        return []
    return list(
        Notification.objects.filter(recipient_id=user.pk, topic=topic, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


@dataclass(frozen=True)
class Choice:
    kind: NotificationKind
    in_app: bool
    email: bool
    locked: bool


def preferences_of(*, user: Any) -> list[Choice]:
    """The kinds that apply to this person, with their current choice (on by default; alerts locked on)."""
    kinds = CLIENT_KINDS if getattr(user, "is_client", False) else STAFF_KINDS
    saved = {
        kind: (in_app, email)
        for kind, in_app, email in NotificationPreference.objects.filter(user_id=user.pk).values_list(
            "kind", "in_app", "email"
        )
    }
    choices = []
    for kind in kinds:
        locked = kind in ALWAYS_ON
        in_app, email = (True, True) if locked else saved.get(kind, (True, True))
        choices.append(Choice(kind=kind, in_app=in_app, email=email, locked=locked))
    return choices
