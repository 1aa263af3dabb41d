"""What a treatment-plan review shows of a client's digital readiness and suitability (issue #18).

The records app calls :func:`review_summary` with the client's latest check (it has checked access and
audits the read); the summary is the check's suggested set-up and its clinical prompts, so the
clinician can revisit them with the client and record at the review whether they still hold.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from alongside.applibrary.models import ReadinessCheck
from alongside.applibrary.readiness import Prompt

LABELS = {
    "low_bandwidth": _("Low-bandwidth mode"),
    "discreet": _("Discreet mode"),
    "reminders": _("Reminders"),
    "large_text": _("Large text"),
    "paper_pack": _("Paper pack"),
}


def review_summary(check: ReadinessCheck | None) -> dict[str, Any]:
    """The check, its suggested set-up as (label, on, reason) rows and its clinical prompts in words."""
    if check is None:
        return {"check": None, "rows": [], "prompts": []}
    config = check.configuration or {}
    reasons = config.get("reasons", {})
    rows = [(label, bool(config.get(name)), reasons.get(name, "")) for name, label in LABELS.items()]
    words = dict(Prompt.choices)
    prompts = [words[code] for code in (check.answers or {}).get("prompts", []) if code in words]
    return {"check": check, "rows": rows, "prompts": prompts}
