"""Crisis resources shown to a client after a critical answer, per country and language.

The defaults are plain Python data so that :func:`resources_for` answers even when the
database, the cache or the practice's settings are unavailable: a client who has just
said they are thinking of harming themselves must always see where to get help.
Numbers are facts, checked against each service's own site (see ``source``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrisisResource:
    """A service to call or text in a crisis."""

    name: str
    phone: str
    description: str
    text: str = ""  # an SMS number or short code, when the service takes texts
    url: str = ""
    emergency: bool = False  # the emergency services number


def _r(name: str, phone: str, description: str, **more: Any) -> CrisisResource:
    return CrisisResource(name=name, phone=phone, description=description, **more)


# Country (ISO 3166-1 alpha-2) -> resources, emergency number first.
DEFAULTS: dict[str, tuple[CrisisResource, ...]] = {
    "US": (
        _r("Emergency services", "911", "If you are in immediate danger.", emergency=True),
        _r(
            "988 Suicide & Crisis Lifeline",
            "988",
            "Call or text 988, any time, free and confidential.",
            text="988",
            url="https://988lifeline.org",
        ),
    ),
    "GB": (
        _r("Emergency services", "999", "If you are in immediate danger.", emergency=True),
        _r("Samaritans", "116 123", "Call free, any time, day or night.", url="https://www.samaritans.org"),
        _r("NHS 111", "111", "Urgent help for your mental health; choose the mental health option."),
    ),
    "CA": (
        _r("Emergency services", "911", "If you are in immediate danger.", emergency=True),
        _r(
            "9-8-8 Suicide Crisis Helpline",
            "988",
            "Call or text 9-8-8, any time.",
            text="988",
            url="https://988.ca",
        ),
    ),
    "AU": (
        _r("Emergency services", "000", "If you are in immediate danger.", emergency=True),
        _r("Lifeline", "13 11 14", "Crisis support, any time.", url="https://www.lifeline.org.au"),
    ),
    "IE": (
        _r("Emergency services", "112", "If you are in immediate danger (999 works too).", emergency=True),
        _r("Samaritans", "116 123", "Call free, any time, day or night.", url="https://www.samaritans.org/ireland"),
    ),
    "ES": (
        _r("Emergencias", "112", "Si estás en peligro inmediato.", emergency=True),
        _r(
            "024 Línea de atención a la conducta suicida",
            "024",
            "Gratuita, confidencial, las 24 horas.",
            url="https://www.sanidad.gob.es/linea024/",
        ),
    ),
}
# Alternative codes people and libraries use for the same countries.
ALIASES = {"UK": "GB", "EN-GB": "GB"}
# When the country is unknown: the international emergency number works from most mobile phones.
FALLBACK: tuple[CrisisResource, ...] = (
    _r("Emergency services", "112", "Call your local emergency number if you are in immediate danger.", emergency=True),
    _r(
        "Find a helpline",
        "",
        "Free, confidential helplines in your country.",
        url="https://findahelpline.com",
    ),
)
# A locale's region, used when the country is not known: "en-GB" -> GB, "es" -> ES.
LANGUAGE_COUNTRY = {"es": "ES"}


def _country(country: str | None, locale: str | None) -> str | None:
    code = (country or "").strip().upper()
    code = ALIASES.get(code, code)
    if code in DEFAULTS:
        return code
    loc = (locale or "").strip().replace("_", "-")
    if "-" in loc:
        region = loc.split("-", 1)[1].upper()
        region = ALIASES.get(region, region)
        if region in DEFAULTS:
            return region
    return LANGUAGE_COUNTRY.get(loc.split("-", 1)[0].lower()) if loc and not code else None


def _practice_resources(practice_id: uuid.UUID | str, country: str | None = None) -> list[CrisisResource]:
    """The practice's own lines: those for every country, and those for ``country``."""
    from alongside.measures.models import PracticeMeasureSettings

    rows = PracticeMeasureSettings.objects.filter(practice_id=practice_id).values_list("crisis_resources", flat=True)
    extra: list[CrisisResource] = []
    for item in (rows.first() or [])[:10]:
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
    country: str | None, locale: str | None = None, *, practice_id: uuid.UUID | str | None = None
) -> list[CrisisResource]:
    """Return crisis resources for a country (or a locale's region); never raise.

    A practice's own lines come first when ``practice_id`` is given and its settings can
    be read; the built-in defaults always follow.
    """
    code: str | None = None
    try:
        code = _country(country, locale)
        defaults = list(DEFAULTS[code]) if code else list(FALLBACK)
    except Exception:  # never fail the crisis path
        defaults = list(FALLBACK)
    if practice_id is None:
        return defaults
    try:
        return [*_practice_resources(practice_id, country=code), *defaults]
    except Exception:
        logger.exception("crisis resources: practice settings unreadable for practice %s", practice_id)
        return defaults
