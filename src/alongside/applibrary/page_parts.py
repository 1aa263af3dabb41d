"""What the app library adds to the client's home page: the apps their therapist recommended, still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from alongside.access import Action, decide
from alongside.applibrary.models import ImportedEntry, Recommendation, RecommendationStatus
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope
from alongside.consent.selectors import scopes_for
from alongside.core import page_parts
from alongside.core.actor import Actor, signed_in


def open_recommendations(*, actor: Actor, client: ClientProfile) -> list[Recommendation]:
    """The client's own recommendations not yet declined (the client reading their own: not audited)."""
    if not decide(actor, client, Action.OWN):
        return []
    rows = Recommendation.objects.filter(client=client).exclude(status=RecommendationStatus.DECLINED)
    return list(rows.select_related("app").order_by("-created_at")[:5])


def _home_card(request: HttpRequest, client: ClientProfile) -> Any:
    return open_recommendations(actor=signed_in(request.user), client=client) or None


def register() -> None:
    register_brief()
    from alongside.applibrary.mood_chart import register as register_mood_source

    register_mood_source()
    page_parts.register_home_card(
        page_parts.HomeCard(key="applibrary", template="applibrary/_home_card.html", build=_home_card)
    )
    page_parts.register_badge(
        page_parts.Badge(
            key="applibrary",
            label=gettext_lazy("Apps"),
            url_name="applibrary:my_apps",
            audience="client",
            count=lambda user: Recommendation.objects.filter(
                client__user=user, status=RecommendationStatus.RECOMMENDED
            ).count(),
        )
    )


def _brief_imports(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[ImportedEntry] | None:
    """Imported mood entries since the last session, beside the brief's own mood check-ins (mood scope only).

    The brief checked that the reader is on the care team; imported mood is shared only while the client shares
    their mood check-ins.
    """
    if not scopes_for(client_id=client.pk).get(Scope.MOOD):
        return None
    rows = ImportedEntry.objects.filter(client=client, day__gte=since.date(), day__lte=now.date())
    return list(rows.order_by("-day", "-time")[:31]) or None


def register_brief() -> None:
    title: Any = gettext_lazy("Imported from other apps")
    page_parts.register_brief_section(
        page_parts.BriefSection("applibrary_imports", title, "applibrary/_brief_imports.html", _brief_imports)
    )
