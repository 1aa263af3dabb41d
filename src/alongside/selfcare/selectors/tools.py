"""Reads for the relaxation tools and the reading library: the client's own history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alongside import access
from alongside.access import Action
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.core.actor import Actor
from alongside.selfcare import library
from alongside.selfcare.models import ModuleRead, PracticeLog
from alongside.selfcare.toolkit import KIND_TO_TOOL, TOOL_KINDS, Tool


@dataclass(frozen=True)
class ToolUse:
    log: PracticeLog
    tool: Tool

    @property
    def change(self) -> int | None:
        if self.log.rating_before is None or self.log.rating_after is None:
            return None
        return self.log.rating_after - self.log.rating_before


def tool_history(*, actor: Actor, client: ClientProfile, limit: int = 20) -> list[ToolUse]:
    """The client's latest relaxation tool uses, newest first (their own, or within the exercises scope)."""
    client = access.client_or_404(actor, client.pk, Action.VIEW_CLINICAL, Scope.EXERCISES)
    logs = PracticeLog.objects.filter(client=client, kind__in=TOOL_KINDS).order_by("-at")[:limit]
    return [ToolUse(log, KIND_TO_TOOL[log.kind]) for log in logs]  # type: ignore[index]


def modules() -> list[tuple[str, str]]:
    """(slug, title) of every reading, in the active language: for the homework form."""
    return [(m.slug, m.title) for m in library.all_modules()]


def modules_read(*, actor: Actor, client: ClientProfile) -> dict[str, Any]:
    """When the client last marked each module as read: {slug: datetime}."""
    client = access.client_or_404(actor, client.pk, Action.VIEW_CLINICAL, Scope.EXERCISES)
    last: dict[str, Any] = {}
    for slug, at in ModuleRead.objects.filter(client=client).order_by("read_at").values_list("module", "read_at"):
        last[slug] = at
    return last
