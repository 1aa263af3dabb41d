"""Crisis lines for a client or a viewer: the practice's own lines in front of the built-in ones.

The built-in lines and their lookup are in :mod:`alongside.safety.resources`, which reads no database and never
fails. This module adds the practice's own lines (from its settings in core) and works out the country of a client
or of the person viewing a page. Measures (after a critical answer), messaging (on the message page) and the crisis
page all come here; moved from ``alongside.measures.crisis`` (issue #12). Nothing here raises: a crisis page must
show the built-in lines whatever else fails.
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest
from django.utils.translation import get_language

from alongside.care.models import ClientProfile, Practice
from alongside.care.selectors import own_client_profile
from alongside.safety import resources as safety_resources
from alongside.safety.resources import CrisisResource

logger = logging.getLogger(__name__)


def _practice_resources(practice_id: uuid.UUID | str, country: str | None = None) -> list[CrisisResource]:
    """The practice's own lines: those for every country, and those for ``country``."""
    from alongside.core.practice_settings import crisis_rows

    extra: list[CrisisResource] = []
    for item in crisis_rows(practice_id)[:10]:
        if not isinstance(item, dict) or str(item.get("country") or "").upper() not in {"", country or ""}:
            continue
        if item.get("name") and (item.get("phone") or item.get("url")):
            extra.append(
                CrisisResource(
                    name=str(item["name"])[:120],
                    phone=str(item.get("phone", ""))[:32],
                    description=str(item.get("description", ""))[:300],
                    text=str(item.get("text", ""))[:32],
                    url=str(item.get("url", ""))[:300],
                )
            )
    return extra


def resources_for(
    country: str | None,
    locale: str | None = None,
    *,
    practice_id: uuid.UUID | str | None = None,
    time_zone: str | None = None,
) -> list[CrisisResource]:
    """Return crisis resources for a country (or a time zone's or locale's), in the locale's language; never raise.

    A practice's own lines come first when ``practice_id`` is given and its settings can
    be read; the built-in lines (``alongside.safety.resources``) always follow.
    """
    practice_lines: list[CrisisResource] = []
    if practice_id is not None:
        try:
            code = safety_resources.resolve_country(country, locale, time_zone)
            practice_lines = _practice_resources(practice_id, country=code)
        except Exception:
            logger.exception("crisis resources: practice settings unreadable for practice %s", practice_id)
    return safety_resources.resources_for(country, locale, time_zone=time_zone, practice_lines=practice_lines)


def _default_country() -> str:
    try:
        return str(Practice._meta.get_field("country").default)
    except Exception:  # the model's default is a constant; this is belt and braces
        return "US"


def resources_for_request(request: HttpRequest) -> list[CrisisResource]:
    """Crisis lines for the viewer: a client's practice country and locale, else the default country. Never raises."""
    language = (get_language() or "en").split("-")[0]
    country: str | None = safety_resources.LANGUAGE_COUNTRY.get(language) or _default_country()
    locale: str | None = get_language()
    practice_id: uuid.UUID | None = None
    time_zone: str | None = None
    try:
        user = request.user
        if user.is_authenticated and getattr(user, "is_client", False):
            client = own_client_profile(user=user)
            locale, practice_id, time_zone = client.locale, client.practice_id, client.time_zone
            # The client's own country; else their time zone guesses it; else the practice's.
            country = client.country or (
                None if safety_resources.country_for_time_zone(time_zone) else client.practice.country
            )
    except Exception:
        logger.exception("crisis page: client details unreadable; showing the default resources")
    return resources_for(country, locale, practice_id=practice_id, time_zone=time_zone)


def resources_for_client(client: ClientProfile) -> list[CrisisResource]:
    """Crisis lines for a client: their country (else their time zone's, else their practice's) and locale."""
    time_zone = getattr(client, "time_zone", None)
    try:
        # The client's own country; else their time zone guesses it; else the practice's.
        country = client.country or (
            None if safety_resources.country_for_time_zone(time_zone) else client.practice.country
        )
    except Exception:
        country = None
    return resources_for(country, getattr(client, "locale", None), practice_id=client.practice_id, time_zone=time_zone)
