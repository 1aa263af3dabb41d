"""Export clinicians' feedback in the evaluate format (``alongside safety feedback-export``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alongside.safety.models import FeedbackVerdict, SafetyFeedback

HEADER = ("label", "language", "category", "source", "text")


def _clean(value: str) -> str:
    return " ".join((value or "").replace("\x00", " ").split())


def export(path: Path, *, practice_id: Any = None) -> int:
    """Write every feedback row with its text as a TSV that ``alongside safety evaluate`` reads; return the count.

    "Missed something" is label 1 (must alert), "not a crisis" label 0. The category column
    says which verdict it was (``clinician_missed`` or ``clinician_not_a_crisis``); tabs and
    line breaks inside the text become spaces. The file holds client text: keep it inside
    the practice, like the database it came from.
    """
    rows = SafetyFeedback.objects.select_related("client").order_by("created_at")
    if practice_id is not None:
        rows = rows.filter(client__practice_id=practice_id)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(HEADER) + "\n")
        for row in rows.iterator():
            text = _clean(row.text)
            if not text:
                continue
            missed = row.verdict == FeedbackVerdict.MISSED_SOMETHING
            category = "clinician_missed" if missed else "clinician_not_a_crisis"
            source = f"clinician feedback {row.pk} on {row.target} {row.target_id}"
            out.write("\t".join(("1" if missed else "0", row.language or "", category, source, text)) + "\n")
            count += 1
    return count
