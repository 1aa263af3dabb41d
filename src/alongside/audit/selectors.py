"""Read the audit log for display: actors are stored as ids and named only when shown."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from alongside.audit.models import AuditAction, AuditEvent


def actor_labels(actor_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    """Return a label for each actor id: the person's name (or email) today, "Erased client" or "Erased user".

    The log stores only ids, so an erased person's name or address never appears in it, and a renamed
    person is shown by their current name. One query, and a second only when some actor no longer exists.
    """
    wanted = {actor_id for actor_id in actor_ids if actor_id is not None}
    labels: dict[uuid.UUID | None, str] = {None: _("System")}
    for pk, name, email in get_user_model().objects.filter(pk__in=wanted).values_list("pk", "name", "email"):
        labels[pk] = name or email
    gone = wanted - labels.keys()
    if gone:
        erased_clients = set(
            AuditEvent.objects.filter(action=AuditAction.CLIENT_ERASED, client_id__in=gone).values_list(
                "client_id", flat=True
            )
        )
        for actor_id in gone:
            labels[actor_id] = _("Erased client") if actor_id in erased_clients else _("Erased user")
    return labels
