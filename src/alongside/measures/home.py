"""What the measures app gives the client's home page: the questionnaires due, as a registered home card."""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.urls import reverse

from alongside.core.actor import signed_in
from alongside.measures import selectors, services
from alongside.measures.views.answering import instrument_of, title_of
from alongside.measures.views.client import DueItem

logger = logging.getLogger("alongside.measures.views.client")  # the name its log lines always had


def due_card(request: HttpRequest, client: object) -> list[DueItem] | None:
    """The home page's 'Questionnaires due' card (registered in core.page_parts), or None when nothing is due."""
    return due_for_home(request) or None


def register() -> None:
    """Register the due-questionnaires card among the home page's tasks (from MeasuresConfig.ready)."""
    from alongside.core.page_parts import HomeCard, register_home_card

    register_home_card(
        HomeCard(key="measures_due", template="measures/client/_due.html", build=due_card, place="tasks", framed=False)
    )


def due_for_home(request: HttpRequest) -> list[DueItem]:
    """Return the signed-in client's due questionnaires and record that the home page showed them."""
    try:
        due = selectors.due_requests(user=request.user)
        if due:
            services.request_mark_seen(actor=signed_in(request.user), request_ids=[r.pk for r in due])
        return [
            DueItem(
                name=title_of(instrument_of(r)),
                url=reverse("measures:request", args=[r.pk]),
                due_at=r.due_at,
                started=r.opened_at is not None,
            )
            for r in due
        ]
    except Exception:
        # The home page must still open (and show how to get help) if measures cannot be read.
        logger.exception("client home: due questionnaires unreadable")
        return []
