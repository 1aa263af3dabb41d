"""Erase a client: one transaction that either removes everything of theirs or changes nothing.

Order inside the transaction (each step is a function in :data:`ERASURE_STEPS`):

1. lock the client's account row, so two erasures (or a double submit) cannot interleave;
2. end their sign-in sessions, forget their failed sign-ins and drop unsent email to them;
3. keep the care team's side of their message thread, then delete the thread (see below);
4. delete the client record, which cascades to everything that hangs off it (check-ins,
   questionnaires, alerts, homework, appointments, consent, notifications about them...);
5. delete the account (second factors, recovery codes, API tokens, notification settings);
6. write the ``client.erased`` audit event;
7. destroy the data key, last, once no row of theirs remains.

If any step fails the whole transaction rolls back: the client, their rows and their data
key are as they were, and the admin is told nothing was changed. The audit trail keeps the
client's id (a random UUID that now names nobody) as a pseudonym, never their email.

The message thread goes with the client, but the care team keeps its side of it (issue #11):
before the rows are deleted, messaging's step copies the thread into an "erased thread" that
no longer points at the client. The clinicians' own messages are re-sealed under that record's
own data key (the client's key is destroyed last, so it still opens them at that moment); each
message the client sent stays as a tombstone, sender "Erased client", with its time but not its
text, attachment or entry link. Only the clinicians on the care team at erasure may read it
(see ``alongside.messaging.erasure``). ``Message.sender`` stays ``PROTECT``: a message the
client sent outside their own thread (there is none today) would stop the erasure instead of
vanishing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.accounts.models import LoginThrottle, ThrottleScope, User, UserSession
from alongside.accounts.throttle import throttle_key
from alongside.audit.log import record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.crypto.keys import KeyProblem, destroy_data_key
from alongside.notify.models import EmailStatus, OutboundEmail


@dataclass(frozen=True)
class Erasure:
    """The client being erased, as the steps need them."""

    client_id: Any
    practice_id: Any
    user: User
    email: str


def _end_sessions(erasure: Erasure) -> None:
    keys = UserSession.objects.filter(user=erasure.user).values_list("session_key", flat=True)
    Session.objects.filter(session_key__in=list(keys)).delete()


def _forget_login_throttle(erasure: Erasure) -> None:
    # Counts that name the account go with it (CASCADE); this also drops the per-account count
    # begun before the account existed, which is keyed by a hash of the email and names no user.
    key = throttle_key(ThrottleScope.ACCOUNT, erasure.email)
    LoginThrottle.objects.filter(Q(user=erasure.user) | Q(key=key)).delete()


def _drop_queued_email(erasure: Erasure) -> None:
    # Outbox rows seal the address under a key of their own; only unsent ones still hold it.
    # Open each and drop those addressed to the client, so nothing is mailed to them afterwards.
    addressed = []
    unsent = OutboundEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).only("id", "to")
    for email in unsent.iterator():
        try:
            to = email.to
        except KeyProblem:
            continue
        if to.strip().lower() == erasure.email.lower():
            addressed.append(email.pk)
    OutboundEmail.objects.filter(pk__in=addressed).delete()
    for email_id in addressed:
        destroy_data_key(email_id)


def _delete_client_record(erasure: Erasure) -> None:
    ClientProfile.objects.filter(pk=erasure.client_id).delete()


def _delete_account(erasure: Erasure) -> None:
    erasure.user.delete()


ERASURE_STEPS: list[Callable[[Erasure], None]] = [
    _end_sessions,
    _forget_login_throttle,
    _drop_queued_email,
    _delete_client_record,
    _delete_account,
]


def register_erasure_step(step: Callable[[Erasure], None]) -> None:
    """Add an app's step (deleting its records of the client) before the client record goes.

    Apps above care call this from ``AppConfig.ready()``, so care never imports them.
    """
    if step not in ERASURE_STEPS:
        ERASURE_STEPS.insert(ERASURE_STEPS.index(_delete_client_record), step)


def client_erase(*, actor: Actor, client: ClientProfile, confirm_email: str) -> None:
    """Delete every row of the client, audit it, then destroy their data key: all or nothing.

    Raise ``PermissionDenied`` for anyone but an admin of the client's practice, and
    ``ValidationError`` when the typed email does not match or a record elsewhere still
    names the client (nothing is changed then).
    """
    if not decide(actor, client, Action.ERASE):
        raise PermissionDenied(_("Only practice admins can erase a client."))
    if confirm_email.strip().lower() != client.user.email.lower():
        raise ValidationError(_("Type the client's email address exactly to confirm erasure."))
    _erase(client, actor=actor, detail={})


def erasures_unfinished() -> list[ClientProfile]:
    """Return the clients the audit log records as erased whose record is still here.

    Before issue #11 an erasure destroyed the key and then could fail on the rows, leaving a
    client whose records no longer open (and the practice's pages failing on them); such
    erasures are finished by :func:`client_erase_finish`.
    """
    erased = AuditEvent.objects.filter(action=AuditAction.CLIENT_ERASED, client_id__isnull=False)
    ids = set(erased.values_list("client_id", flat=True))
    return list(ClientProfile.objects.filter(pk__in=ids).select_related("user").order_by("created_at"))


def client_erase_finish(*, client: ClientProfile) -> None:
    """Finish an erasure the audit log already records (an operator's command; no email to type)."""
    if client not in erasures_unfinished():
        raise ValidationError(_("No erasure of this client is recorded, so there is none to finish."))
    _erase(client, actor=None, detail={"finished": "recorded erasure"})


def _erase(client: ClientProfile, *, actor: Actor, detail: dict[str, str]) -> None:
    try:
        with transaction.atomic(durable=True):
            user = User.objects.select_for_update().filter(pk=client.pk).first()
            if user is None:
                raise ValidationError(_("This client has already been erased."))
            erasure = Erasure(client_id=client.pk, practice_id=client.practice_id, user=user, email=user.email)
            for step in ERASURE_STEPS:
                step(erasure)
            record(
                AuditAction.CLIENT_ERASED,
                actor=actor,
                obj=None,
                client_id=erasure.client_id,
                detail={"practice": str(erasure.practice_id), **detail},
            )
            destroy_data_key(erasure.client_id)
    except (ProtectedError, RestrictedError) as error:
        named = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in named})
        raise ValidationError(
            _("Nothing was erased: other records still name this person (%(kinds)s).") % {"kinds": ", ".join(kinds)}
        ) from error
