"""Crisis and emergency lines by country and language, from ``data/crisis_lines.json``.

Plain data and the standard library only, so that the lines can be shown when the
database, the cache or the practice's settings are unavailable: a client who has just said
they are thinking of harming themselves must always see where to get help. The country
comes from the client's profile; their time zone only guesses it when the profile has
none. Names and descriptions are in the client's language (English or Spanish). A
practice's own lines are passed in by the caller and always come first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
LINES_PATH = Path(__file__).with_name("data") / "crisis_lines.json"
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class CrisisResource:
    """A service to call or text in a crisis."""

    name: str
    phone: str
    description: str
    text: str = ""  # an SMS number or short code, when the service takes texts
    url: str = ""
    emergency: bool = False  # the emergency services number
    source: str = ""  # the published page the number was checked against
    checked_on: str = ""  # the date it was checked (YYYY-MM-DD), or "unverified"

    @property
    def verified(self) -> bool:
        """Whether the number was confirmed against a published page on a known date."""
        return bool(self.source) and self.checked_on[:2] == "20"


# Alternative codes people and libraries use for the same countries.
ALIASES = {"UK": "GB", "EN-GB": "GB"}
# A language's country, used when nothing else tells the country: "es" -> Spain.
LANGUAGE_COUNTRY = {"es": "ES"}


@cache
def _data() -> dict[str, Any]:
    data = json.loads(LINES_PATH.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def language_of(locale: object) -> str:
    """ "es-CO" -> "es"; anything not Spanish reads English."""
    return "es" if str(locale or "").strip().lower().startswith("es") else "en"


def _resource(entry: dict[str, Any], language: str) -> CrisisResource:
    def pick(field: str) -> str:
        value = entry.get(field) or {}
        return str(value.get(language) or value.get("en") or "") if isinstance(value, dict) else str(value)

    return CrisisResource(
        name=pick("name"),
        phone=str(entry.get("phone", "")),
        description=pick("description"),
        text=str(entry.get("text", "")),
        url=str(entry.get("url", "")),
        emergency=bool(entry.get("emergency", False)),
        source=str(entry.get("source", "")),
        checked_on=str(entry.get("checked_on", "")),
    )


def countries() -> list[str]:
    """Every country code in the data file."""
    return sorted(_data().get("countries", {}))


def lines(code: str, language: str = "en") -> tuple[CrisisResource, ...]:
    """The built-in lines of one country, emergency first, in ``language``."""
    entries = _data().get("countries", {}).get(code, {}).get("lines", [])
    found = [_resource(e, language_of(language)) for e in entries]
    return tuple(sorted(found, key=lambda r: not r.emergency))


def reference(language: str = "en") -> list[tuple[str, tuple[CrisisResource, ...]]]:
    """Every country's built-in lines for the practice admin's reference page: (country name, lines)."""
    names = {code: _data()["countries"][code].get("name", {}) for code in countries()}
    lang = language_of(language)
    return [(str(names[code].get(lang) or names[code].get("en") or code), lines(code, lang)) for code in countries()]


def fallback(language: str = "en") -> tuple[CrisisResource, ...]:
    return tuple(_resource(e, language_of(language)) for e in _data().get("fallback", []))


def country_for_time_zone(time_zone: object) -> str | None:
    """Guess a country from an IANA time zone ("America/Bogota" -> "CO")."""
    zone = str(time_zone or "")
    for code, country in _data().get("countries", {}).items():
        if zone in country.get("time_zones", ()):
            return str(code)
    return None


def resolve_country(country: object, locale: object = None, time_zone: object = None) -> str | None:
    """The country whose lines to show: the given one, else the time zone's, else the locale's region."""
    known = _data().get("countries", {})
    code = str(country or "").strip().upper() if isinstance(country, str) else ""
    code = ALIASES.get(code, code)
    if code in known:
        return code
    guessed = country_for_time_zone(time_zone)
    if guessed:
        return guessed
    loc = str(locale or "").strip().replace("_", "-") if isinstance(locale, str) else ""
    if "-" in loc:
        region = ALIASES.get(loc.split("-", 1)[1].upper(), loc.split("-", 1)[1].upper())
        if region in known:
            return region
    return LANGUAGE_COUNTRY.get(loc.split("-", 1)[0].lower()) if loc and not code else None


def resources_for(
    country: object,
    locale: object = None,
    *,
    time_zone: object = None,
    practice_lines: Iterable[CrisisResource] = (),
) -> list[CrisisResource]:
    """Crisis lines for a client: the practice's first, then the country's, in their language. Never raises."""
    language = language_of(locale)
    try:
        code = resolve_country(country, locale, time_zone)
        defaults = list(lines(code, language)) if code else []
        defaults = defaults or list(fallback(language))
    except Exception:  # never fail the crisis path
        logger.exception("crisis resources: the data file could not be read; showing the fallback")
        defaults = [
            CrisisResource("Emergency services", "112", "Call your local emergency number.", emergency=True),
            CrisisResource("Find a helpline", "", "Free, confidential helplines.", url="https://findahelpline.com"),
        ]
    try:
        return [*practice_lines, *defaults]
    except Exception:
        return defaults


def __getattr__(name: str) -> Any:
    """``DEFAULTS`` and ``FALLBACK`` in English, built on first use (the old module's names)."""
    if name == "DEFAULTS":
        return {code: lines(code, "en") for code in countries()}
    if name == "FALLBACK":
        return fallback("en")
    raise AttributeError(name)
