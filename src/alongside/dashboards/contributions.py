"""Render what apps registered in :mod:`alongside.core.page_parts` onto the composed pages.

A contribution that fails is logged and left out: one app's bug never takes a page down.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from alongside.care.models import ClientProfile
from alongside.core import page_parts as registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shown:
    """A registered section or card with the data its template receives."""

    key: str
    title: Any
    template: str
    data: Any
    place: str = "end"
    framed: bool = True


def caseload_cells(
    clients: Sequence[ClientProfile], now: dt.datetime
) -> tuple[list[registry.CaseloadColumn], list[list[object]] | None]:
    """Return the registered caseload columns and each client's values for them, in order (None with no column).

    The rows partial (measures.caseload_display) prints the values, escaped, as cells at the end of each row.
    """
    columns = registry.caseload_columns()
    if not columns:
        return [], None
    values = []
    for column in columns:
        try:
            values.append(column.values(clients, now))
        except Exception:
            logger.exception("dashboards: caseload column %s failed", column.key)
            values.append({})
    return columns, [[found.get(client.pk, "") for found in values] for client in clients]


@dataclass(frozen=True)
class Flagged:
    """One registered reason a client needs attention, with its sentence for that client."""

    key: str
    label: Any
    text: str
    rank: int


def attention_found(clients: Sequence[ClientProfile], now: dt.datetime) -> dict[uuid.UUID, tuple[Flagged, ...]]:
    """Return, per client who needs attention for a registered reason, those reasons in rank order.

    Each reason is asked once for the whole page; with none registered this runs no query.
    """
    found: dict[uuid.UUID, list[Flagged]] = {}
    reasons = registry.attention_reasons()
    if not reasons or not clients:
        return {}
    for reason in reasons:
        try:
            sentences = reason.find(clients, now)
        except Exception:
            logger.exception("dashboards: attention reason %s failed", reason.key)
            continue
        for client in clients:
            text = sentences.get(client.pk)
            if text:
                found.setdefault(client.pk, []).append(Flagged(reason.key, reason.label, str(text), reason.rank))
    return {pk: tuple(flags) for pk, flags in found.items()}


def brief_extra(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> list[Shown]:
    """The registered brief sections that have something to show."""
    shown = []
    for section in registry.brief_sections():
        try:
            data = section.build(client, since, now)
        except Exception:
            logger.exception("dashboards: brief section %s failed", section.key)
            continue
        if data is not None:
            shown.append(Shown(section.key, section.title, section.template, data))
    return shown


def home_extra(request: HttpRequest, client: ClientProfile) -> list[Shown]:
    """The registered home cards that have something to show."""
    shown = []
    for card in registry.home_cards():
        try:
            data = card.build(request, client)
        except Exception:
            logger.exception("dashboards: home card %s failed", card.key)
            continue
        if data is not None:
            shown.append(Shown(card.key, "", card.template, data, card.place, card.framed))
    return shown


@dataclass(frozen=True)
class ShownBadge:
    key: str
    label: Any
    url_name: str
    count: int


def badges_for(user: Any, audience: str) -> list[ShownBadge]:
    """The registered navigation badges of the audience, with their counts (0 when a count fails)."""
    shown = []
    for badge in registry.badges(audience):
        try:
            count = int(badge.count(user))
        except Exception:
            logger.exception("dashboards: badge %s failed", badge.key)
            count = 0
        shown.append(ShownBadge(badge.key, badge.label, badge.url_name, count))
    return shown
