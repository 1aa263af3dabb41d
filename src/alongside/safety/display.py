"""Crisis resources as rows a page shows, with tel: and sms: links (plain data, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alongside.safety.resources import CrisisResource


@dataclass(frozen=True)
class ResourceRow:
    """A crisis resource with ready-made links for the template."""

    name: str
    description: str
    phone: str
    tel: str
    text: str
    sms: str
    url: str
    emergency: bool


def phone_digits(number: str) -> str:
    """Keep the digits and a leading plus of a phone number or short code, for tel: and sms: links."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def resource_rows(resources: Iterable[CrisisResource]) -> list[ResourceRow]:
    """Turn crisis resources into rows with tel: and sms: links."""
    rows = []
    for r in resources:
        rows.append(
            ResourceRow(
                name=r.name,
                description=r.description,
                phone=r.phone,
                tel=f"tel:{phone_digits(r.phone)}" if phone_digits(r.phone) else "",
                text=r.text,
                sms=f"sms:{phone_digits(r.text)}" if phone_digits(r.text) else "",
                url=r.url if r.url.startswith("https://") else "",
                emergency=r.emergency,
            )
        )
    return rows
