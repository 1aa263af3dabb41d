"""The paper pack: a printable check-in and exercise sheet, rendered to PDF with WeasyPrint (no network fetches)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.care.models import ClientProfile

DAYS = 14


def context(*, client: ClientProfile, rows: list[Any]) -> dict[str, Any]:
    """What the sheet shows: two weeks of blank check-in rows, the recommended apps, a thought record page."""
    today = timezone.localdate()
    open_rows = [row for row in rows if row.recommendation.status != "declined"]
    return {
        "client": client,
        "today": today,
        "days": [today + dt.timedelta(days=n) for n in range(DAYS)],
        "rows": open_rows,
    }


def _no_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """Refuse every fetch: the sheet carries its own style, and a PDF must never call another host."""
    raise ValueError(f"paper pack: no fetching {url}")


def to_pdf(html: str, *, base_url: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: it loads Pango, only this page needs it

    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=_no_fetch).write_pdf()
    return pdf
