"""Account emails (reset links, sign-up links, lock notices), never sent inside the request.

Everything goes through the outbox of ``alongside.notify.mail`` when it is installed: the row is
written in the caller's transaction and a task delivers it. Without it, the email is sent after the
commit. Either way an unknown address and a known one cost the request the same: one queued email.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def account_email(*, to: str, template: str, context: dict[str, object], kind: str, locale: str = "") -> None:
    """Queue the email rendered from ``accounts/email/<template>.txt`` (and ``_subject.txt``)."""
    with translation.override(locale or translation.get_language()):
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        from alongside.notify.mail import email_enqueue
    except ImportError:  # the outbox is optional: fall back to sending after the commit
        transaction.on_commit(lambda: send_mail(subject, body, None, [to]))
        return
    email_enqueue(to=to, subject=subject, body=body, kind=f"accounts.{kind}"[:32])
