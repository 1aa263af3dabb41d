"""What the risk app adds to the caseload (a column and an attention reason) and the session brief.

Both read the stored warnings (one query per page, whatever the caseload); nothing is computed in the request.
The pages that show them already limit the clients to the clinician's care team. Warnings are prompts to
consider, never automatic actions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.care.models import ClientProfile
from alongside.core import page_parts
from alongside.risk.models import ClientRisk, ModelSource


def factor_words(feature: str, value: float) -> str:
    """Say one factor in words, e.g. 'no check-in for 9 days'."""
    n = round(value)
    words = {
        "days_since_checkin": lambda: _("no check-in for %(days)d days") % {"days": n},
        "checkins_14": lambda: _("%(count)d check-ins in the last 14 days") % {"count": n},
        "checkin_trend": lambda: _("%(count)d fewer check-ins than in the fortnight before") % {"count": abs(n)},
        "homework_missed_3": lambda: _("%(count)d of the last 3 homework tasks missed") % {"count": n},
        "sessions_missed_56": lambda: _("%(count)d sessions missed or cancelled in the last 8 weeks") % {"count": n},
        "days_since_message": lambda: _("no message from the client for %(days)d days") % {"days": n},
        "phq9_change": lambda: _("PHQ-9 %(change)+d since the first score") % {"change": n},
        "weeks_in_care": lambda: _("%(weeks)d weeks in care") % {"weeks": n},
    }
    return words[feature]() if feature in words else feature


def _stored(clients: Sequence[ClientProfile]) -> dict[uuid.UUID, ClientRisk]:
    rows = ClientRisk.objects.filter(client_id__in=[c.pk for c in clients])
    return {row.client_id: row for row in rows}


def headline(risk: ClientRisk) -> str:
    """The short cell text: which warnings are on, e.g. 'Not on track; dropout risk 34%'."""
    parts = []
    if risk.not_on_track:
        parts.append(_("Not on track"))
    if risk.dropout_flag:
        parts.append(_("dropout risk %(percent)d%%") % {"percent": round(risk.dropout * 100)})
    return "; ".join(parts)


def explain(risk: ClientRisk) -> str:
    """A sentence with the top factors, e.g. 'no check-in for 9 days; 2 of the last 3 homework tasks missed'."""
    return "; ".join(factor_words(f["feature"], f["value"]) for f in risk.factors)


def caseload_values(clients: Sequence[ClientProfile], now: dt.datetime) -> Mapping[uuid.UUID, str]:
    """The caseload cell of each client with a warning on."""
    return {cid: headline(risk) for cid, risk in _stored(clients).items() if headline(risk)}


def attention(clients: Sequence[ClientProfile], now: dt.datetime) -> Mapping[uuid.UUID, str]:
    """Why each flagged client needs attention, with the top factors in words."""
    found = {}
    for cid, risk in _stored(clients).items():
        text = headline(risk)
        if not text:
            continue
        if risk.dropout_flag and risk.factors:
            text = _("%(warnings)s: %(factors)s") % {"warnings": text, "factors": explain(risk)}
        found[cid] = text
    return found


def brief_section(client: ClientProfile, since: dt.datetime, now: dt.datetime) -> dict[str, Any] | None:
    """The brief's warnings with their explanation, or None when no warning is on."""
    risk = ClientRisk.objects.filter(client=client).first()
    if risk is None or not (risk.not_on_track or risk.dropout_flag):
        return None
    return {
        "not_on_track": risk.not_on_track,
        "phq9_total": risk.phq9_total,
        "phq9_expected": risk.phq9_expected,
        "phq9_upper": risk.phq9_upper,
        "phq9_session": risk.phq9_session,
        "dropout_flag": risk.dropout_flag,
        "dropout_percent": round(risk.dropout * 100),
        "factors": [factor_words(f["feature"], f["value"]) for f in risk.factors],
        "reviewed_at": risk.reviewed_at,
        "practice_fitted": risk.model_source == ModelSource.PRACTICE,
    }


def register() -> None:
    """Register the caseload column, the attention reason and the brief section (from RiskConfig.ready)."""
    page_parts.register_caseload_column(
        page_parts.CaseloadColumn("risk", gettext_lazy("Early warnings"), caseload_values)
    )
    page_parts.register_attention_reason(
        page_parts.AttentionReason("risk", gettext_lazy("Early warning"), attention, rank=150)
    )
    page_parts.register_brief_section(
        page_parts.BriefSection("risk", gettext_lazy("Early warnings to consider"), "risk/_brief.html", brief_section)
    )
    from alongside.measures import hooks
    from alongside.risk.expected import expected_range

    hooks.register(hooks.EXPECTED_RESPONSE, expected_range)
