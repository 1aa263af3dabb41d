"""Audit actions of every app have readable labels in the client's access log."""

from __future__ import annotations

from alongside.audit.models import AuditAction, action_label
from alongside.measures.models import MeasureAuditAction


def test_labels_come_from_the_app_that_owns_the_action() -> None:
    """Foundation and measures actions both resolve to their labels; unknown codes stay as they are."""
    assert action_label(AuditAction.CLIENT_VIEWED) == str(AuditAction.CLIENT_VIEWED.label)
    assert action_label(MeasureAuditAction.SCORES_VIEWED) == "Viewed questionnaire scores"
    assert action_label("nobody.knows") == "nobody.knows"
