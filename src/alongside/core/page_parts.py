"""What apps add to the composed pages: caseload columns and attention reasons, brief sections, home cards, badges.

The registry sits in core, the bottom layer, so that every app may register; the dashboards app
(composition layer) renders what is registered (alongside.dashboards.contributions).

An app registers from its ``AppConfig.ready()`` (as audit's ``register_actions`` works), so a new
app adds a column or a section without editing any other app. With nothing registered, the pages
are exactly as before and run no extra query. Registering the same key again replaces the entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _

from alongside.core.formatting import fmt_number

# A client is a care.ClientProfile; core sits below care, so it is typed loosely here.
ClientProfile = Any


@dataclass(frozen=True)
class CaseloadColumn:
    """A caseload column: one call per page gives the cell text of every listed client (plain text)."""

    key: str
    label: Any  # a (lazily) translated string
    values: Callable[[Sequence[ClientProfile], dt.datetime], Mapping[uuid.UUID, str]]


@dataclass(frozen=True)
class AttentionReason:
    """A reason a client needs attention on the caseload, beyond the questionnaires' own (alerts, deterioration...).

    ``find(clients, now)`` is called once per page and returns, for each client who needs attention for this
    reason, one plain-text sentence saying why (clients left out need none). ``label`` is the short bold label.
    ``rank`` orders reasons of different apps (lower first); every registered reason sorts after the
    questionnaire reasons and before clients who need nothing.
    """

    key: str
    label: Any
    find: Callable[[Sequence[ClientProfile], dt.datetime], Mapping[uuid.UUID, str]]
    rank: int = 100


@dataclass(frozen=True)
class BriefPart:
    """One of the session brief's own sections (questionnaires, mood, exercises, alerts, topics, messages).

    ``build(actor, client, since, now)`` returns the data the brief template shows for ``key``; it reads through
    the app's own selectors (which check access again). ``scope``: the sharing scope the section needs (a
    ``consent.Scope`` value), or None for a section every care-team clinician sees. Registered by the app that
    owns the data, so the brief (dashboards) imports no domain selector.
    """

    key: str
    scope: str | None
    build: Callable[[Any, ClientProfile, dt.datetime, dt.datetime], Any]


@dataclass(frozen=True)
class BriefSection:
    """A session-brief section: ``build(client, since, now)`` returns the template's ``data`` (None hides it)."""

    key: str
    title: Any
    template: str
    build: Callable[[ClientProfile, dt.datetime, dt.datetime], Any]


@dataclass(frozen=True)
class HomeCard:
    """A card on the client's home page: ``build(request, client)`` returns the template's ``data`` (None hides it).

    ``place``: "tasks" puts the card among the things to do today (after the check-in, the next session and
    the homework), "end" after the privacy card. ``framed``: False when the template draws its own card.
    """

    key: str
    template: str
    build: Callable[[HttpRequest, ClientProfile], Any]
    place: Literal["tasks", "end"] = "end"
    framed: bool = True


@dataclass(frozen=True)
class Badge:
    """A navigation link with a count for staff or clients; ``count(user)`` of zero shows no number."""

    key: str
    label: Any
    url_name: str
    audience: Literal["staff", "client"]
    count: Callable[[Any], int]


@dataclass(frozen=True)
class MoodEntry:
    """A mood entry another app holds for a client (an import from a mood app), for the mood chart.

    ``value`` places it on the check-in scale (0-10), or is None when the app's scale has no place on it.
    """

    day: dt.date
    value: float | None
    label: str  # the entry as the app exported it
    source: str  # the app's name


@dataclass(frozen=True)
class MoodSource:
    """Mood entries drawn beside the client's own check-ins: ``entries(actor, client_id, since)`` reads them
    (through the owning app's access-checked selector)."""

    key: str
    entries: Callable[[Any, uuid.UUID, dt.date], Sequence[MoodEntry]]


_columns: dict[str, CaseloadColumn] = {}
_reasons: dict[str, AttentionReason] = {}
_parts: dict[str, BriefPart] = {}
_sections: dict[str, BriefSection] = {}
_cards: dict[str, HomeCard] = {}
_badges: dict[str, Badge] = {}
_mood_sources: dict[str, MoodSource] = {}


def register_caseload_column(column: CaseloadColumn) -> None:
    _columns[column.key] = column


def register_attention_reason(reason: AttentionReason) -> None:
    _reasons[reason.key] = reason


def register_brief_part(part: BriefPart) -> None:
    _parts[part.key] = part


def brief_part(key: str) -> BriefPart | None:
    return _parts.get(key)


def register_brief_section(section: BriefSection) -> None:
    _sections[section.key] = section


def register_home_card(card: HomeCard) -> None:
    _cards[card.key] = card


def register_badge(badge: Badge) -> None:
    _badges[badge.key] = badge


def register_mood_source(source: MoodSource) -> None:
    _mood_sources[source.key] = source


def mood_sources() -> list[MoodSource]:
    return list(_mood_sources.values())


def caseload_columns() -> list[CaseloadColumn]:
    return list(_columns.values())


def attention_reasons() -> list[AttentionReason]:
    """The registered attention reasons, by rank then key."""
    return sorted(_reasons.values(), key=lambda reason: (reason.rank, reason.key))


def brief_sections() -> list[BriefSection]:
    return list(_sections.values())


def home_cards() -> list[HomeCard]:
    return list(_cards.values())


def badges(audience: str) -> list[Badge]:
    return [badge for badge in _badges.values() if badge.audience == audience]


def snapshot() -> tuple[dict[str, Any], ...]:
    """Copies of the registries, for tests that register and then restore."""
    return (
        dict(_columns),
        dict(_sections),
        dict(_cards),
        dict(_badges),
        dict(_reasons),
        dict(_mood_sources),
        dict(_parts),  # last: tests restore everything but the brief's own parts with saved[:-1]
    )


def restore(saved: tuple[dict[str, Any], ...]) -> None:
    registries: tuple[dict[str, Any], ...] = (_columns, _sections, _cards, _badges, _reasons, _mood_sources, _parts)
    for registry, content in zip(registries, saved, strict=True):
        registry.clear()
        registry.update(content)


def number(value: float) -> str:
    """Return a score as people write it: 12, 12.5 (12,5 in Spanish)."""
    return fmt_number(value, 1)


def change_words(value: float | None) -> str:
    """Say a change in words for the composed pages: "down 4", "up 2.5", "no change"."""
    if value is None:
        return "—"
    if value > 0:
        return _("up %(n)s") % {"n": number(value)}
    if value < 0:
        return _("down %(n)s") % {"n": number(-value)}
    return _("no change")
