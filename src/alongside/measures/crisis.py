"""Crisis resources shown to a client after a critical answer, per country and language.

The built-in lines and their lookup live in :mod:`alongside.safety.resources`; this module
adds the practice's own lines (from its measures settings) in front and keeps the old
import paths (``CrisisResource``, ``DEFAULTS``, ``FALLBACK``, ``resources_for``) working.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from alongside.care.models import Practice
from alongside.care.selectors import own_client_profile
from alongside.safety import resources as safety_resources
from alongside.safety.resources import CrisisResource

logger = logging.getLogger(__name__)


# The data and the lookup moved to alongside.safety.resources (issue #13); these names keep
# the old import paths working.
ALIASES = safety_resources.ALIASES
LANGUAGE_COUNTRY = safety_resources.LANGUAGE_COUNTRY
country_for_time_zone = safety_resources.country_for_time_zone


def __getattr__(name: str) -> Any:
    if name in ("DEFAULTS", "FALLBACK"):
        return getattr(safety_resources, name)
    raise AttributeError(name)


def _country(country: str | None, locale: str | None) -> str | None:
    return safety_resources.resolve_country(country, locale)


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
    country: str | None = LANGUAGE_COUNTRY.get(language) or _default_country()
    locale: str | None = get_language()
    practice_id: uuid.UUID | None = None
    time_zone: str | None = None
    try:
        user = request.user
        if user.is_authenticated and getattr(user, "is_client", False):
            client = own_client_profile(user=user)
            locale, practice_id, time_zone = client.locale, client.practice_id, client.time_zone
            # The client's own country; else their time zone guesses it; else the practice's.
            country = client.country or (None if country_for_time_zone(time_zone) else client.practice.country)
    except Exception:
        logger.exception("crisis page: client details unreadable; showing the default resources")
    return resources_for(country, locale, practice_id=practice_id, time_zone=time_zone)
