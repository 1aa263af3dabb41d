"""A curated time-zone picker: zones grouped under their country, named by their city, in the reader's language.

The choices come from CLDR (Babel's territory data), about 450 zones under some 250 countries, instead of
the raw list of every IANA name (aliases, ``Etc/GMT+5`` and the like). A small script on the page
(``core/zone_picker.js``) adds a search box; without it the grouped list still works.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from babel.core import get_global
from babel.dates import get_timezone_location
from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.formatting import babel_locale

Choices = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]


@cache
def _zone_choices(locale_name: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    locale = babel_locale(locale_name)
    known = available_timezones()
    groups = []
    for territory, zones in get_global("territory_zones").items():
        names = sorted(
            (
                (zone, get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True))
                for zone in zones
                if zone in known
            ),
            key=lambda pair: pair[1],
        )
        if names:
            groups.append((locale.territories.get(territory, territory), tuple(names)))
    groups.sort(key=lambda group: group[0])
    return tuple(groups)


def zone_choices(language: str | None = None) -> Choices:
    """Return the picker's choices: UTC, then (country, [(zone, city), ...]) groups sorted by name."""
    groups: Choices = [("UTC", "UTC")]
    groups.extend((country, list(zones)) for country, zones in _zone_choices(babel_locale(language).language))
    return groups


def is_known_zone(name: str) -> bool:
    """Whether ``name`` is a zone the picker offers."""
    return name == "UTC" or any(name in dict(zones) for _, zones in _zone_choices("en"))


class ZoneField(forms.ChoiceField):
    """A time-zone choice shown as the curated, searchable picker (choices in the active language)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(choices=lambda: zone_choices(), **kwargs)
        self.widget.attrs.update({"data-zone-picker": "", "data-search-label": _("Search time zones")})
