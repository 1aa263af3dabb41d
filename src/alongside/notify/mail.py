"""The email outbox: every email Alongside sends goes through :func:`email_enqueue`.

The outbox row is written in the caller's transaction, so an email exists exactly when what it
announces does (a rolled-back caller sends nothing), and a task to send it is enqueued after commit.
A task makes one attempt; a failure is retried with exponential backoff up to
``ALONGSIDE_EMAIL_MAX_ATTEMPTS`` and then given up, logged and audited. Each row is its own
delivery record: attempts, outcome, the last error's class and SMTP code (never the server's text, which
can quote the address), when it was sent.

Delivery is at least once, made exactly once in effect where we can. Before talking to the mail
server an attempt commits its claim (status "sending", attempts + 1, a lease), so a second task for
the same email does nothing. A worker killed after the server accepted the email but before the
success was recorded leaves a claim whose lease runs out; :func:`outbox_sweep` then sends it again
rather than risk a lost alert. That resend carries the same ``Message-ID`` (made from the row's id),
which receiving systems use to drop the duplicate. We chose at least once over at most once because
a missed critical alert costs more than a repeated "sign in to Alongside" email.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.tasks import default_task_backend, task
from django.utils import timezone

from alongside.audit.log import Entry, record_many
from alongside.crypto.keys import destroy_data_key
from alongside.notify.models import EmailStatus, NotifyAuditAction, OutboundEmail

logger = logging.getLogger("alongside.notify")

_REF_FIELD = "emailed_at"


@dataclass(frozen=True)
class Attachment:
    """One text file sent with an email: its name, its text and its full MIME type (parameters included)."""

    name: str
    content: str
    mimetype: str


def email_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    ref: str = "",
    note: str = "",
    attachment: Attachment | None = None,
) -> OutboundEmail:
    """Put one email in the outbox (in the caller's transaction) and send it after commit.

    ``kind`` names the email in telemetry ("notify.message", "care.invitation"); ``ref`` names a row
    ("app_label.Model:pk") whose ``emailed_at`` is set once it is sent; ``note`` holds ids for the logs.
    ``attachment`` is stored with the email, so every attempt sends the same file.
    Never raises because the mail server is down: delivery happens later, in a task.
    """
    if ref:
        _parse_ref(ref)
    with transaction.atomic():
        email = OutboundEmail(kind=kind[:32], ref=ref, note=note[:120])
        email.to, email.subject, email.body = to, subject, body
        if attachment is not None:
            email.attachment = attachment.content
            email.attachment_name, email.attachment_type = attachment.name[:80], attachment.mimetype[:120]
        email.save(force_insert=True)
    email_id = str(email.pk)
    transaction.on_commit(lambda: _enqueue(email_id))
    return email


def _enqueue(email_id: str, *, at: dt.datetime | None = None) -> None:
    """Hand one email to the task backend; if that fails, the outbox sweep picks the row up later."""
    try:
        if at is not None and default_task_backend.supports_defer:
            deliver_email.using(run_after=at).enqueue(email_id)
        elif at is None:
            deliver_email.enqueue(email_id)
    except Exception:
        logger.exception("notify: could not enqueue email %s; the outbox sweep will retry it", email_id)


def _parse_ref(ref: str) -> tuple[Any, str]:
    label, _sep, pk = ref.partition(":")
    model = apps.get_model(label)
    if not pk or _REF_FIELD not in {f.name for f in model._meta.get_fields()}:
        raise ValueError(f"An email ref is 'app_label.Model:pk' of a model with {_REF_FIELD}: {ref!r}")
    return model, pk


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, then four times longer each time."""
    base = settings.ALONGSIDE_EMAIL_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 4 ** max(attempts - 1, 0), 6 * 60 * 60))


def _message_id(email: OutboundEmail) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "alongside.invalid"
    return f"<{email.pk}@{domain}>"


@task
def deliver_email(email_id: str) -> str:
    """Make one attempt at one outbox email; return what happened ("sent", "retry", "failed", "skipped")."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.ALONGSIDE_EMAIL_LEASE_SECONDS)
    # The claim is committed before the mail server is contacted: the idempotency marker.
    claimed = (
        OutboundEmail.objects.filter(pk=email_id)
        .filter(
            Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(status=EmailStatus.SENDING, lease_until__lt=now)
        )
        .update(status=EmailStatus.SENDING, attempts=F("attempts") + 1, lease_until=now + lease)
    )
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        message = EmailMessage(email.subject, email.body, None, [email.to], headers={"Message-ID": _message_id(email)})
        if email.attachment_name:
            message.attach(email.attachment_name, email.attachment, email.attachment_type)
        message.send()
    except Exception as exc:
        return _record_failure(email, exc)
    _record_sent(email)
    return "sent"


def _erase_content() -> dict[str, Any]:
    """Column updates that forget the address and text once an email is done with."""
    return {"to_sealed": "", "subject_sealed": "", "body_sealed": "", "attachment_sealed": "", "lease_until": None}


def _record_sent(email: OutboundEmail) -> None:
    now = timezone.now()
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.SENT, sent_at=now, last_error="", **_erase_content()
        )
        if email.ref:
            try:
                model, pk = _parse_ref(email.ref)
            except (LookupError, ValueError):
                # The row it names is gone with its model; the email is sent all the same, so never resend it.
                logger.error(
                    "notify: email %s is sent, but its ref %s names no model with emailed_at", email.pk, email.ref
                )
            else:
                model.objects.filter(pk=pk).update(**{_REF_FIELD: now})
        destroy_data_key(email.pk)


def smtp_code(exc: BaseException) -> int | None:
    """The SMTP reply code of a failure (550, 421, ...), or None when the server gave none."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        return code
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [reply[0] for reply in exc.recipients.values() if reply and isinstance(reply[0], int)]
        return min(codes) if codes else None
    return None


def error_label(exc: BaseException) -> str:
    """What a failure is recorded as: the error class and the SMTP code, never the server's text.

    A mail server's message quotes the address it refused ("5.1.1 <sam@example.org>: unknown user"), and
    ``str()`` of a refusal holds the address itself, so neither goes into the outbox, the audit log or the logs.
    """
    code = smtp_code(exc)
    return f"{type(exc).__name__[:180]}{f' {code}' if code is not None else ''}"


def _record_failure(email: OutboundEmail, exc: Exception) -> str:
    error = error_label(exc)
    about = f"{email.kind} email {email.pk} (ref {email.ref or '-'}, {email.note or '-'})"
    if email.attempts < settings.ALONGSIDE_EMAIL_MAX_ATTEMPTS:
        when = timezone.now() + retry_delay(email.attempts)
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.PENDING, next_attempt_at=when, lease_until=None, last_error=error
        )
        logger.error("notify: %s attempt %d failed (%s); retrying after %s", about, email.attempts, error, when)
        _enqueue(str(email.pk), at=when)
        return "retry"
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED, last_error=error, **_erase_content()
        )
        destroy_data_key(email.pk)
        record_many(
            [
                Entry(
                    action=NotifyAuditAction.EMAIL_FAILED,
                    detail={
                        "kind": email.kind,
                        "email": str(email.pk),
                        "attempts": email.attempts,
                        "error": type(exc).__name__[:200],
                        "smtp_code": smtp_code(exc),
                    },
                )
            ],
            actor=None,
        )
    logger.error("notify: %s given up after %d attempts (%s)", about, email.attempts, error)
    return "failed"


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    """Send again what no task is sending: retries that are due, and claims whose worker died.

    A row waiting for its first task or a deferred retry is left a lease's length, so the sweep
    rarely races a live task (and a race is harmless: the claim lets one attempt through).
    """
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.ALONGSIDE_EMAIL_LEASE_SECONDS)
    stale = OutboundEmail.objects.filter(
        Q(status=EmailStatus.PENDING, next_attempt_at__lte=now - lease)
        | Q(status=EmailStatus.SENDING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    ids = [str(pk) for pk in stale[:500]]
    for email_id in ids:
        if default_task_backend.supports_defer:
            _enqueue(email_id)
        else:
            # The immediate backend (tests, a worker-less setup) runs the attempt here and now.
            _attempt_now(email_id, now=now)
    return len(ids)


def _attempt_now(email_id: str, *, now: dt.datetime) -> None:
    # ``now`` may be a test's future; the claim compares with the real clock.
    OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=timezone.now()
    )
    try:
        deliver_email.call(email_id)
    except Exception:
        logger.exception("notify: sweep could not attempt email %s", email_id)


def outbox_counts() -> dict[str, dict[str, int]]:
    """Delivery telemetry: per kind, how many emails are in each status and the attempts made in all."""
    counts: dict[str, dict[str, int]] = {}
    for row in OutboundEmail.objects.values("kind", "status").annotate(n=Count("id"), tries=Sum("attempts")):
        entry = counts.setdefault(row["kind"], dict.fromkeys([*EmailStatus.values, "attempts"], 0))
        entry[row["status"]] = row["n"]
        entry["attempts"] += int(row["tries"] or 0)
    return counts
