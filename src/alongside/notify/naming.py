"""What an in-app notice says: its kind, and for staff the client it is about ("New message from Sam").

Notices store no names (``Notification`` holds ids only, and emails stay content-free). The list page asks the
registered namers, filled by higher apps from their ``AppConfig.ready()`` (``care`` registers one that reads names
through the access layer), for the names this reader may see; a notice without one keeps its plain kind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from alongside.notify import discreet
from alongside.notify.models import Notification, NotificationKind

Namer = Callable[[Any, Sequence[Notification]], dict[uuid.UUID, str]]
NAMERS: list[Namer] = []


def register_namer(namer: Namer) -> None:
    """Add a function returning ``{notice id: client name}`` for the notices a reader may see named."""
    if namer not in NAMERS:
        NAMERS.append(namer)


def title(notice: Notification, name: str | None) -> str:
    """Say what happened, naming the client when there is a name to give."""
    if not name:
        return str(notice.get_kind_display())
    sentences = {
        NotificationKind.MESSAGE: _("New message from %(name)s"),
        NotificationKind.ALERT: _("Alert about %(name)s: answers that need your attention"),
        NotificationKind.ESCALATION: _("Escalated alert about %(name)s: still not acknowledged"),
    }
    sentence = sentences.get(NotificationKind(notice.kind))
    return sentence % {"name": name} if sentence else f"{notice.get_kind_display()} · {name}"


def titles_for(user: Any, notices: Sequence[Notification]) -> dict[uuid.UUID, str]:
    """Return each notice's title for ``user``."""
    if discreet.wanted(user):
        # A client in discreet mode: a notice says only that there is an update, as their emails do, because
        # someone else may be looking at the phone (Freed et al., CHI 2018; see applibrary.readiness).
        update = discreet.neutral_text()[0]
        return {notice.pk: update for notice in notices}
    names: dict[uuid.UUID, str] = {}
    if not getattr(user, "is_client", False):
        for namer in NAMERS:
            names.update(namer(user, notices))
    return {notice.pk: title(notice, names.get(notice.pk)) for notice in notices}
