"""The sentences that say why a client needs attention on the caseload, translated once per language."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Reasons:
    """The caseload's reason sentences in one language (see :func:`reasons`)."""

    message_alert: str
    alert_items: str
    alert: str
    not_shared: str
    change: str
    worse: str
    not_improving: str
    overdue: str


@functools.lru_cache(maxsize=16)
def reasons(language: str | None) -> Reasons:
    """Translate the reason sentences once per language, not once per client of every caseload view."""
    with translation.override(language):
        return Reasons(
            message_alert=_("Crisis language in a message; acknowledge the alert."),
            alert_items=_("Critical answer on %(instrument)s (item %(items)s); acknowledge the alert."),
            alert=_("Critical answer on %(instrument)s; acknowledge the alert."),
            not_shared=_("The client is not sharing questionnaires."),
            change=_("%(instrument)s from %(first)s to %(latest)s"),
            worse=_("Reliably worse since baseline: %(changes)s."),
            not_improving=_("No reliable change after %(weeks)d weeks and still at caseness."),
            overdue=_("A questionnaire has been overdue for %(days)d days."),
        )
