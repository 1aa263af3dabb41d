"""Name the client of each staff notice, for readers who may still see that client (the access layer decides)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from alongside import access


def client_names(user: Any, notices: Sequence[Any]) -> dict[uuid.UUID, str]:
    """Return ``{notice id: the client's preferred name}`` for notices about clients ``user`` may see."""
    wanted = {n.subject_client_id for n in notices if n.subject_client_id}
    if not wanted:
        return {}
    names = {c.pk: c.preferred_name for c in access.visible_clients(user).filter(pk__in=wanted)}
    return {n.pk: names[n.subject_client_id] for n in notices if n.subject_client_id in names}
