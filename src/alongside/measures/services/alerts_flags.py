"""Crisis language in a client's free text other than messages: a safety flag and its alert.

Check-in notes, exercise entries and topics for next session go through ``alongside.safety``;
a flag it raises becomes a ``CriticalAlert`` here, so an urgent flag takes the same path as an
urgent message (email without content, acknowledgement with a note, escalation to the practice
admins, email failures retried by notify's outbox) and a review flag lands in the alert list
only (no email, no live push, no escalation). Safety sits below measures, so the link is made
on this side.
"""

from __future__ import annotations

from typing import Any

from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.care.selectors import staff_recipients
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.measures.models import (
    FLAG_ALERT_INSTRUMENT,
    REVIEW_PREFIX,
    AlertSource,
    CriticalAlert,
    MeasureAuditAction,
)
from alongside.measures.services.alerts import _alert_notify, _notices_send
from alongside.notify.models import NotificationKind
from alongside.safety.models import FlagLevel, FlagSource, SafetyFlag
from alongside.safety.services import flag_raise_for_text


@service
def alert_raise_for_flag(*, flag: SafetyFlag, actor: Actor) -> CriticalAlert:
    """Raise the alert of a safety flag (once per flag). Caller's transaction (the text's own).

    Urgent: the treating clinicians in the app and by email without content, then the practice
    admins when nobody acknowledges in time. Review: the same clinicians' alert list, marked
    "review", with no email, no live push and no escalation.
    """
    existing = CriticalAlert.objects.filter(flag=flag).first()
    if existing is not None:
        return existing
    review = flag.level != FlagLevel.URGENT
    prefix = REVIEW_PREFIX if review else ""
    alert = CriticalAlert.objects.create(
        client_id=flag.client_id,
        source=AlertSource.FLAG,
        flag=flag,
        instrument=FLAG_ALERT_INSTRUMENT,
        items=[],
        risk_level=(prefix + ",".join(sorted(set(flag.categories))))[:32],
    )
    client = flag.client
    if review:
        recipients = staff_recipients(client=client)
        _notices_send(alert=alert, client=client, recipients=recipients, kind=NotificationKind.ALERT)
        record(
            MeasureAuditAction.ALERT_RAISED,
            actor=actor,
            obj=alert,
            client_id=alert.client_id,
            detail={"recipients": [str(u.pk) for u in recipients], "level": "review", "source": flag.source},
        )
    else:
        _alert_notify(alert=alert, client=client, actor=actor)
    return alert


@service
def alert_raise_for_text(
    *, client: ClientProfile, source: FlagSource, source_id: Any, text: str, actor: Actor
) -> SafetyFlag | None:
    """Check a client's free text (not a message); on crisis language store the flag and raise its alert.

    Runs in the caller's transaction, so the text, its flag and its alert are stored together
    or not at all. Saving the same text again raises nothing new. Returns the flag, or None.
    """
    flag = flag_raise_for_text(client=client, source=source, source_id=source_id, text=text, actor=actor)
    if flag is not None:
        alert_raise_for_flag(flag=flag, actor=actor)
    return flag
