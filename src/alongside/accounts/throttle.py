"""Failed sign-ins counted per account from one address, per account and per address, with backoff.

Why three counts: a lock on the account alone lets anyone lock anyone out (issue #11, finding 11).
The tight limit (``ALONGSIDE_LOGIN_MAX_FAILURES``) applies to one account *from one address*, so an
attacker's guesses pause only the attacker; the account as a whole pauses only after many more
failures (``ALONGSIDE_LOGIN_ACCOUNT_MAX_FAILURES``, several addresses guessing), and one address
guessing many accounts pauses after ``ALONGSIDE_LOGIN_IP_MAX_FAILURES``. Each pause lasts
``ALONGSIDE_LOGIN_LOCK_MINUTES``, twice as long for each further pause in a row, at most
``ALONGSIDE_LOGIN_MAX_LOCK_HOURS``. A pause ends by itself; the right password then works.

Rows are keyed by an HMAC of the email address and/or network address under a key derived from
``SECRET_KEY``, so the table never holds either in the clear. Counts change by single UPDATEs
(``failures = failures + 1``) so that parallel requests cannot overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alongside.accounts.models import LoginThrottle, ThrottleScope, TotpDevice, User

_HMAC_SALT = "alongside.accounts.throttle"


def client_address(request: HttpRequest | None) -> str:
    """Return the caller's network address (the trusted proxy has already put it in REMOTE_ADDR)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", "") or "")


def throttle_key(scope: str, *parts: str) -> str:
    """Return the keyed hash naming one throttle row: nothing in it can be turned back into an email."""
    message = "\x1f".join((scope, *(part.strip().lower() for part in parts)))
    return salted_hmac(_HMAC_SALT, message, algorithm="sha256").hexdigest()


def _limit(scope: str) -> int:
    if scope == ThrottleScope.ACCOUNT_IP:
        return int(settings.ALONGSIDE_LOGIN_MAX_FAILURES)
    if scope == ThrottleScope.ACCOUNT:
        return int(settings.ALONGSIDE_LOGIN_ACCOUNT_MAX_FAILURES)
    return int(settings.ALONGSIDE_LOGIN_IP_MAX_FAILURES)


def _subjects(email: str, ip: str) -> list[tuple[str, str]]:
    # No email: a passkey nobody here owns was offered; only the address it came from is counted.
    subjects: list[tuple[str, str]] = []
    if email:
        subjects = [
            (ThrottleScope.ACCOUNT_IP.value, throttle_key(ThrottleScope.ACCOUNT_IP, email, ip)),
            (ThrottleScope.ACCOUNT.value, throttle_key(ThrottleScope.ACCOUNT, email)),
        ]
    if ip:
        subjects.append((ThrottleScope.IP.value, throttle_key(ThrottleScope.IP, ip)))
    return subjects


def pause_length(lockouts: int) -> dt.timedelta:
    """How long the ``lockouts``-th pause in a row lasts (1 is the first): doubling, with a ceiling."""
    minutes = settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 2 ** max(min(lockouts, 20) - 1, 0)
    return min(dt.timedelta(minutes=minutes), dt.timedelta(hours=settings.ALONGSIDE_LOGIN_MAX_LOCK_HOURS))


@dataclass(frozen=True)
class Pause:
    """A pause this failure started: which count, whose account (if known), until when."""

    scope: str
    user: User | None
    until: dt.datetime
    lockouts: int


def throttle_paused_until(*, email: str, ip: str) -> dt.datetime | None:
    """Return when the latest pause covering this sign-in ends, or None if sign-in may be tried."""
    keys = [key for _scope, key in _subjects(email, ip)]
    now = timezone.now()
    ends = LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list("locked_until", flat=True)
    return max((end for end in ends if end is not None), default=None)


def throttle_failure(*, email: str, ip: str, user: User | None) -> list[Pause]:
    """Count one failed sign-in under each of its keys; return the pauses it started."""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.ALONGSIDE_LOGIN_LOCK_MINUTES)
    memory = dt.timedelta(hours=settings.ALONGSIDE_LOGIN_MAX_LOCK_HOURS)
    pauses = []
    for scope, key in _subjects(email, ip):
        row, created = LoginThrottle.objects.get_or_create(key=key, defaults={"scope": scope, "user": user})
        if created:
            throttle_prune(now=now)
        rows = LoginThrottle.objects.filter(pk=row.pk)
        # Failures spread thinly over time are forgotten; so, much later, are earlier pauses.
        rows.filter(last_failure_at__lt=now - window).update(failures=0)
        rows.filter(last_failure_at__lt=now - memory).update(lockouts=0)
        rows.update(failures=F("failures") + 1, last_failure_at=now)
        row.refresh_from_db(fields=["failures", "lockouts"])
        if row.failures < _limit(scope):
            continue
        until = now + pause_length(row.lockouts + 1)
        # Only one of several parallel requests over the limit starts the pause (the others find 0 failures).
        started = rows.filter(failures__gte=_limit(scope)).update(
            failures=0, lockouts=F("lockouts") + 1, locked_at=now, locked_until=until
        )
        if started:
            pauses.append(Pause(scope=scope, user=user, until=until, lockouts=row.lockouts + 1))
    return pauses


KEEP_DAYS = 7


def throttle_prune(*, now: dt.datetime | None = None) -> int:
    """Delete counts untouched for a week (the admins' list shows a week) and not paused now.

    Runs whenever a failure starts a new row, so guesses at made-up addresses cannot grow the
    table without bound. Returns how many rows went.
    """
    now = now or timezone.now()
    limit = now - max(dt.timedelta(days=KEEP_DAYS), 2 * dt.timedelta(hours=settings.ALONGSIDE_LOGIN_MAX_LOCK_HOURS))
    stale = LoginThrottle.objects.filter(last_failure_at__lt=limit).exclude(locked_until__gt=now)
    deleted, _by_model = stale.delete()
    return deleted


def throttle_success(*, email: str, ip: str) -> None:
    """Forget the failures of an account (overall and from this address) once its owner signed in."""
    keys = [key for scope, key in _subjects(email, ip) if scope != ThrottleScope.IP]
    LoginThrottle.objects.filter(key__in=keys).update(failures=0, lockouts=0, locked_until=None)


ACCOUNT_EMAILS_PER_HOUR = 3


def throttle_mail_allowed(*, email: str) -> bool:
    """Count one sign-up or reset email to ``email``; False once it has had its hourly share.

    The same work for an address with or without an account (one keyed row), so the limit neither
    reveals who has an account nor lets a flood of requests flood anyone's inbox.
    """
    now = timezone.now()
    row, _created = LoginThrottle.objects.get_or_create(
        key=throttle_key(ThrottleScope.MAIL, email), defaults={"scope": ThrottleScope.MAIL, "last_failure_at": now}
    )
    rows = LoginThrottle.objects.filter(pk=row.pk)
    rows.filter(last_failure_at__lt=now - dt.timedelta(hours=1)).update(failures=0, last_failure_at=now)
    return bool(rows.filter(failures__lt=ACCOUNT_EMAILS_PER_HOUR).update(failures=F("failures") + 1))


def recent_pauses(*, users: Any, days: int = 7) -> list[LoginThrottle]:
    """Return the pauses of these users' accounts started in the last ``days`` days, newest first."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        LoginThrottle.objects.filter(user__in=users, locked_at__gte=since)
        .exclude(scope=ThrottleScope.IP)
        .select_related("user")
        .order_by("-locked_at")[:50]
    )


def recent_code_pauses(*, users: Any, days: int = 7) -> list[TotpDevice]:
    """Return these users' authenticators paused after wrong codes in the last ``days`` days."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(TotpDevice.objects.filter(user__in=users, locked_until__gte=since).select_related("user")[:50])
